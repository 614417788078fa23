import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { id, isoDate, optionalText, requiredText } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import { readSetting } from '../db/settings.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { overrideKeyOf } from './override-key.ts';
import { can, PERMISSION_LABELS, ROLE_LABELS, ROLE_PERMISSIONS, ROLES, type Role } from './roles.ts';

const username = () =>
  z
    .string({ message: 'texte attendu' })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9._-]{2,40}$/, { message: 'lettres, chiffres, point ou tiret (2 à 40)' });
const newPassword = () =>
  z
    .string({ message: 'texte attendu' })
    .min(8, { message: '8 caractères au moins' })
    .max(200, { message: '200 caractères au plus' });
const password = () => z.string({ message: 'texte attendu' }).min(1, { message: 'obligatoire' }).max(200);

export const DEFAULT_IDLE_MINUTES = 5;

async function staffCount(db: Parameters<typeof readSetting>[0]): Promise<number> {
  const r = await db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

const describeAgent = (agent: { agentName: string; username: string; role: Role }) => ({
  name: agent.agentName,
  username: agent.username,
  role: agent.role,
  roleLabel: ROLE_LABELS[agent.role],
  permissions: [...ROLE_PERMISSIONS[agent.role]],
});

/**
 * Signing in and out changes who acts, not the town's data: these are queries, never logged, so no password
 * reaches the command log. Creating an account is a command whose logged input carries the hash only.
 */
export const authOperations = {
  'auth.status': query({
    permission: 'public',
    label: 'État de la session',
    input: z.object({}),
    async run({ db, session, now }) {
      const { agent, locked } = session.status(now);
      return {
        setupNeeded: (await staffCount(db)) === 0,
        agent: agent ? describeAgent(agent) : null,
        locked,
        idleMinutes: (await readSetting<number>(db, 'security.idleMinutes')) ?? DEFAULT_IDLE_MINUTES,
        /** Only in the demo town: which accounts to try, shown on its login screen. */
        demoAccounts:
          (await readSetting<{ password: string; usernames: string[] }>(db, 'demo.accounts')) ?? null,
      };
    },
  }),

  'auth.login': query({
    permission: 'public',
    label: 'Connexion',
    input: z.object({ username: username(), password: password() }),
    async run({ db, session, now }, input) {
      const row = await db
        .selectFrom('staff')
        .selectAll()
        .where('username', '=', input.username)
        .executeTakeFirst();
      // Same answer for an unknown name and a wrong password: the counter does not tell which names exist.
      if (!row || row.active !== 1 || !(await verifyPassword(input.password, row.password_hash))) {
        throw new DomainError('UNAUTHORIZED', 'Identifiant ou mot de passe incorrect.', 'password');
      }
      const agent = {
        agentId: row.id,
        agentName: row.display_name,
        username: row.username,
        role: row.role as Role,
      };
      // A régisseur's sign-in also gives the key that proves, to the central server, the overrides they authorise.
      const overrideKey = can(agent.role, 'regie')
        ? await overrideKeyOf(db, row.username, input.password)
        : null;
      session.signIn(agent, now, { overrideKey });
      return describeAgent(agent);
    },
  }),

  'auth.unlock': query({
    permission: 'public',
    label: 'Déverrouillage',
    input: z.object({ password: password() }),
    async run({ db, session, now }, input) {
      const { agent } = session.status(now);
      if (!agent) throw new DomainError('UNAUTHORIZED', 'Aucune session à déverrouiller : connectez-vous.');
      const row = await db
        .selectFrom('staff')
        .select(['password_hash', 'active'])
        .where('id', '=', agent.agentId)
        .executeTakeFirst();
      if (!row || row.active !== 1 || !(await verifyPassword(input.password, row.password_hash))) {
        throw new DomainError('UNAUTHORIZED', 'Mot de passe incorrect.', 'password');
      }
      session.unlock(now);
      return describeAgent(agent);
    },
  }),

  'auth.lock': query({
    permission: 'public',
    label: 'Verrouillage',
    input: z.object({}),
    async run({ session }) {
      session.lock();
      return { locked: true };
    },
  }),

  'auth.logout': query({
    permission: 'public',
    label: 'Déconnexion',
    input: z.object({}),
    async run({ session }) {
      session.signOut();
      return { signedOut: true };
    },
  }),

  /** First run only: the administrator who will create the other accounts. */
  'auth.setupAdmin': command({
    permission: 'public',
    sync: 'local',
    label: 'Création de l’administrateur',
    input: z.object({
      staffId: id().optional(),
      username: username(),
      displayName: requiredText(80),
      password: newPassword(),
    }),
    prepare: (input, ctx) => ({ ...input, staffId: input.staffId ?? ctx.newId() }),
    logInput: (input) => ({ ...input, password: undefined }),
    async run({ db, now, session }, input) {
      if ((await staffCount(db)) > 0)
        throw new DomainError('FORBIDDEN', 'L’administrateur existe déjà : connectez-vous.');
      const at = now.toISOString();
      const staffId = input.staffId;
      await db
        .insertInto('staff')
        .values({
          id: staffId,
          username: input.username,
          display_name: input.displayName,
          role: 'admin',
          password_hash: await hashPassword(input.password, session.scryptLogN),
          created_at: at,
          updated_at: at,
        })
        .execute();
      const agent = {
        agentId: staffId,
        agentName: input.displayName,
        username: input.username,
        role: 'admin' as const,
      };
      session.signIn(agent, now);
      return describeAgent(agent);
    },
  }),

  'staff.list': query({
    permission: 'admin',
    label: 'Liste des comptes',
    input: z.object({}),
    async run({ db }) {
      const rows = await db
        .selectFrom('staff')
        .select(['id', 'username', 'display_name', 'role', 'active'])
        .orderBy('display_name')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        username: r.username,
        displayName: r.display_name,
        role: r.role as Role,
        roleLabel: ROLE_LABELS[r.role as Role],
        active: r.active === 1,
      }));
    },
  }),

  'staff.save': command({
    permission: 'admin',
    sync: 'local',
    label: 'Enregistrement d’un compte',
    input: z.object({
      staffId: id().optional(),
      username: username(),
      displayName: requiredText(80),
      role: z.enum(ROLES, { message: 'rôle inconnu' }),
      password: newPassword().optional(),
      active: z.boolean().default(true),
    }),
    prepare: (input, ctx) => ({ ...input, staffId: input.staffId ?? ctx.newId() }),
    logInput: (input) => ({ ...input, password: undefined }),
    async run({ db, now, actor, session }, input) {
      const at = now.toISOString();
      const staffId = input.staffId;
      const sameName = await db
        .selectFrom('staff')
        .select('id')
        .where('username', '=', input.username)
        .executeTakeFirst();
      if (sameName && sameName.id !== staffId)
        throw new DomainError('CONFLICT', 'Cet identifiant est déjà pris.', 'username');
      const existing = await db.selectFrom('staff').select('id').where('id', '=', staffId).executeTakeFirst();
      if (staffId === actor.agentId && (input.role !== 'admin' || !input.active)) {
        throw new DomainError(
          'CONFLICT',
          'Vous ne pouvez pas retirer vos propres droits d’administrateur.',
          'role',
        );
      }
      const hash = input.password ? await hashPassword(input.password, session.scryptLogN) : null;
      if (existing) {
        await db
          .updateTable('staff')
          .set({
            username: input.username,
            display_name: input.displayName,
            role: input.role,
            active: input.active ? 1 : 0,
            updated_at: at,
            ...(hash ? { password_hash: hash } : {}),
          })
          .where('id', '=', staffId)
          .execute();
      } else {
        if (!hash)
          throw new DomainError(
            'VALIDATION',
            'Champ « mot de passe » : obligatoire pour un nouveau compte.',
            'password',
          );
        await db
          .insertInto('staff')
          .values({
            id: staffId,
            username: input.username,
            display_name: input.displayName,
            role: input.role,
            password_hash: hash,
            active: input.active ? 1 : 0,
            created_at: at,
            updated_at: at,
          })
          .execute();
      }
      return { staffId };
    },
  }),

  'health.read': command({
    permission: 'health',
    sync: 'local',
    label: 'Lecture d’une fiche sanitaire',
    input: z.object({ childId: id() }),
    async run({ db, now, actor, newId }, input) {
      const child = await db
        .selectFrom('children')
        .select(['health_notes', 'first_name', 'last_name'])
        .where('id', '=', input.childId)
        .executeTakeFirst();
      if (!child) throw new DomainError('NOT_FOUND', 'Enfant introuvable.', 'childId');
      await db
        .insertInto('health_reads')
        .values({ id: newId(), child_id: input.childId, agent_id: actor.agentId, at: now.toISOString() })
        .execute();
      return { childId: input.childId, notes: child.health_notes };
    },
  }),

  'health.save': command({
    permission: 'health',
    sync: 'request',
    label: 'Fiche sanitaire',
    input: z.object({ childId: id(), notes: optionalText(2000) }),
    async run({ db, now }, input) {
      const r = await db
        .updateTable('children')
        .set({ health_notes: input.notes, updated_at: now.toISOString() })
        .where('id', '=', input.childId)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0)
        throw new DomainError('NOT_FOUND', 'Enfant introuvable.', 'childId');
      return { childId: input.childId };
    },
  }),

  'health.readLog': query({
    permission: 'admin',
    label: 'Journal des lectures de fiches sanitaires',
    input: z.object({ childId: id().optional(), since: isoDate().optional() }),
    async run({ db }, input) {
      let q = db
        .selectFrom('health_reads')
        .innerJoin('children', 'children.id', 'health_reads.child_id')
        .leftJoin('staff', 'staff.id', 'health_reads.agent_id')
        .select([
          'health_reads.at',
          'health_reads.child_id as childId',
          'children.first_name as childFirstName',
          'children.last_name as childLastName',
          'staff.display_name as agentName',
          'health_reads.agent_id as agentId',
        ])
        .orderBy('health_reads.at', 'desc')
        .limit(500);
      if (input.childId) q = q.where('health_reads.child_id', '=', input.childId);
      if (input.since) q = q.where('health_reads.at', '>=', input.since);
      return q.execute();
    },
  }),
};

export { PERMISSION_LABELS };
