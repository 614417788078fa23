import type { Kysely } from 'kysely';
import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { bool, id, isoDate, optionalText, requiredText } from '../api/fields.ts';
import { command, query, type Actor } from '../api/operation.ts';
import { verifyPassword } from '../auth/password.ts';
import { can, type Role } from '../auth/roles.ts';
import { formatEuros } from '../billing/format.ts';
import { loadIssuer } from '../billing/issuer.ts';
import type { Database } from '../db/schema.ts';
import { renderCollectionReportPdf, renderDepositSlipPdf, renderReceiptPdf } from '../pdf/regie.ts';
import { collectionReport, collectionReportCsv } from '../regie/collection-report.ts';
import {
  createDepositSlip,
  depositSlipCsv,
  depositSlipDetail,
  listDepositSlips,
  pendingCheques,
} from '../regie/deposit-slips.ts';
import { closeSession, findOpenSession, openSession, sessionView } from '../regie/session.ts';
import { readSetting, writeSetting } from '../system/settings.ts';
import { townTimeZone } from '../time.ts';
import { verifyJournal } from './journal.ts';
import { creditBalance, familyBalance, openInvoices, planAllocations } from './ledger.ts';
import {
  counterCodeKey,
  DENOMINATIONS,
  loadRegieSettings,
  MODE_LABELS,
  PAYMENT_MODES,
  REGIE_KEYS,
  receiptSeries,
} from './modes.ts';
import { recordPayment, reversePayment, useCredit } from './payments.ts';
import { listForHousehold, paymentDetail } from './read.ts';
import { amountInWords } from './words.ts';

const cents = (min = 1) =>
  z
    .int({ message: 'montant en centimes attendu' })
    .min(min, { message: min === 0 ? 'montant positif ou nul attendu' : 'montant positif attendu' })
    .max(100_000_000, { message: 'montant trop élevé' });

const count = () =>
  z
    .int({ message: 'nombre entier attendu' })
    .min(0, { message: 'nombre positif attendu' })
    .max(100_000, { message: 'nombre trop élevé' });

const allocations = () =>
  z
    .array(z.object({ invoiceId: id(), amountCents: cents() }), { message: 'liste attendue' })
    .max(200, { message: '200 factures au plus' });

const counting = () =>
  z
    .array(
      z.object({ denominationCents: z.int({ message: 'coupure en centimes attendue' }), count: count() }),
      {
        message: 'liste attendue',
      },
    )
    .max(DENOMINATIONS.length, { message: 'trop de coupures' });

const pdf = (fileName: string, bytes: Buffer) => ({
  fileName,
  mimeType: 'application/pdf' as const,
  base64: bytes.toString('base64'),
});
const csv = (fileName: string, text: string) => ({
  fileName,
  mimeType: 'text/csv;charset=utf-8' as const,
  text,
});

const period = () =>
  z
    .object({ from: isoDate(), to: isoDate(), byPayer: bool().default(false) })
    .refine((p) => p.from <= p.to, { message: 'la fin précède le début', path: ['to'] });

/** Roles that may authorise a cash payment over the limit: the régie's own (RULES.md). */
const mayOverride = (role: string) => can(role as Role, 'regie');

/**
 * Who lets a cash payment over the limit through. A régisseur (or administrator) signed in authorises it
 * themselves; an agent at the counter calls one, who types their username and password on the agent's screen.
 */
async function resolveOverride(
  db: Kysely<Database>,
  actor: Actor,
  override: { reason: string; username?: string | undefined; password?: string | undefined } | undefined,
) {
  if (!override) return null;
  const me = await db.selectFrom('staff').select('role').where('id', '=', actor.agentId).executeTakeFirst();
  if (me && mayOverride(me.role))
    return { reason: override.reason, byId: actor.agentId, byName: actor.agentName };
  if (!override.username || !override.password)
    throw new DomainError(
      'FORBIDDEN',
      'Seul un régisseur peut autoriser cette dérogation : il saisit son identifiant et son mot de passe.',
      'override.username',
    );
  const staff = await db
    .selectFrom('staff')
    .select(['id', 'display_name', 'role', 'active', 'password_hash'])
    .where('username', '=', override.username.trim().toLowerCase())
    .executeTakeFirst();
  if (!staff || staff.active !== 1 || !(await verifyPassword(override.password, staff.password_hash)))
    throw new DomainError(
      'VALIDATION',
      'Identifiant ou mot de passe du régisseur incorrect.',
      'override.password',
    );
  if (!mayOverride(staff.role))
    throw new DomainError(
      'FORBIDDEN',
      `${staff.display_name} n’est pas régisseur : seul un régisseur peut autoriser cette dérogation.`,
      'override.username',
    );
  return { reason: override.reason, byId: staff.id, byName: staff.display_name };
}

export const paymentOperations = {
  /** What the payment screen needs: modes accepted (with labels), limits, the counter's series, denominations. */
  'payment.settings': query({
    input: z.object({}),
    async run({ db, actor }) {
      const s = await loadRegieSettings(db, actor.deviceId);
      return {
        ...s,
        modes: s.modes.map((mode) => ({ mode, label: MODE_LABELS[mode] })),
        allModes: PAYMENT_MODES.map((mode) => ({ mode, label: MODE_LABELS[mode] })),
        receiptSeries: receiptSeries(s.counterCode).code,
        denominations: [...DENOMINATIONS],
      };
    },
  }),

  'regie.saveSettings': command({
    input: z.object({
      modes: z
        .array(z.enum(PAYMENT_MODES, { message: 'mode de paiement inconnu' }), { message: 'liste attendue' })
        .min(1, { message: 'au moins un mode' }),
      cashLimitCents: cents(),
      cashLimitOverridable: bool(),
      cashCeilingCents: cents(),
      counterCode: z
        .string({ message: 'texte attendu' })
        .trim()
        .toUpperCase()
        .regex(/^[A-Z0-9]{1,6}$/, { message: '1 à 6 lettres ou chiffres' })
        .optional(),
    }),
    async run({ db, actor }, input) {
      if (input.counterCode && (await readSetting(db, 'sync.serverUrl')))
        throw new DomainError(
          'FORBIDDEN',
          'Ce poste est relié au serveur central : son code de guichet (et ses séries de numéros) est celui que le serveur lui a attribué.',
          'counterCode',
        );
      await writeSetting(
        db,
        REGIE_KEYS.modes,
        PAYMENT_MODES.filter((m) => input.modes.includes(m)),
      );
      await writeSetting(db, REGIE_KEYS.cashLimitCents, input.cashLimitCents);
      await writeSetting(db, REGIE_KEYS.cashLimitOverridable, input.cashLimitOverridable);
      await writeSetting(db, REGIE_KEYS.cashCeilingCents, input.cashCeilingCents);
      if (input.counterCode) await writeSetting(db, counterCodeKey(actor.deviceId), input.counterCode);
      return { saved: true };
    },
  }),

  /** The allocation the payment screen shows before validating: oldest first, which the agent may then edit. */
  'payment.proposeAllocation': query({
    input: z.object({ householdId: id(), amountCents: cents() }),
    async run({ db }, input) {
      const open = await openInvoices(db, input.householdId);
      const plan = planAllocations(open, input.amountCents, undefined);
      return {
        openInvoices: open.map((i) => ({
          invoiceId: i.id,
          number: i.number,
          issueDate: i.issueDate,
          dueDate: i.dueDate,
          totalCents: i.totalCents,
          remainingCents: i.remainingCents,
        })),
        allocations: plan.allocations,
        excessCents: plan.excessCents,
        familyCreditCents: await creditBalance(db, input.householdId),
        amountInWords: amountInWords(input.amountCents),
      };
    },
  }),

  /** Takes a payment: allocation, receipt number, journal entry; the receipt is printed by `payment.receiptPdf`. */
  'payment.record': command({
    input: z.object({
      paymentId: id().optional(),
      householdId: id(),
      mode: z.enum(PAYMENT_MODES, { message: 'mode de paiement inconnu' }),
      amountCents: cents(),
      cheque: z
        .object({
          number: z
            .string({ message: 'texte attendu' })
            .trim()
            .regex(/^[0-9A-Za-z-]{1,20}$/, { message: 'numéro de chèque invalide' }),
          bank: requiredText(80),
          drawer: requiredText(120),
          date: isoDate().nullable().default(null),
          // REGIE §1 Cheques: payee checked (Trésor public, or the régisseur « ès qualités »), never the agent.
          payeeChecked: z.literal(true, { message: 'vérifiez l’ordre du chèque (Trésor public)' }),
        })
        .optional(),
      card: z
        .object({
          authorisation: requiredText(40),
          transaction: z.string({ message: 'texte attendu' }).trim().max(40).nullable().default(null),
          last4: z
            .string({ message: 'texte attendu' })
            .regex(/^\d{4}$/, { message: '4 chiffres au plus de la carte' })
            .nullable()
            .default(null),
        })
        .optional(),
      vouchers: z
        .array(
          z.object({
            faceValueCents: cents(),
            count: z
              .int({ message: 'nombre entier attendu' })
              .min(1, { message: 'un titre au moins' })
              .max(1000),
          }),
          { message: 'liste attendue' },
        )
        .min(1, { message: 'un titre au moins' })
        .max(20)
        .optional(),
      online: z.object({ reference: requiredText(80) }).optional(),
      note: optionalText(200),
      allocations: allocations().optional(),
      override: z
        .object({
          reason: requiredText(200),
          username: z.string({ message: 'texte attendu' }).max(40).optional(),
          password: z.string({ message: 'texte attendu' }).max(200).optional(),
          /** Who authorised it, as the counter that checked the password logged it (replays only). */
          byId: z.string().max(64).optional(),
          byName: z.string().max(120).optional(),
        })
        .optional(),
    }),
    // The régisseur's password is checked once, where the payment is taken; the log keeps who and why, never the
    // password, and the server and the counter's own replays take that authorisation as logged.
    prepare: async (input, ctx) => {
      let override = input.override;
      if (override?.byId && !ctx.replay)
        throw new DomainError(
          'FORBIDDEN',
          'Une dérogation s’autorise par le mot de passe du régisseur.',
          'override',
        );
      if (override && !override.byId && input.mode === 'cash') {
        const resolved = await resolveOverride(ctx.db, ctx.actor, override);
        if (resolved) override = { reason: resolved.reason, byId: resolved.byId, byName: resolved.byName };
      }
      // The allocation the receipt shows is fixed here and logged, so the server applies the very same one.
      const allocations =
        input.allocations ??
        planAllocations(
          await openInvoices(ctx.db, input.householdId),
          input.amountCents,
          undefined,
        ).allocations.map((a) => ({ invoiceId: a.invoiceId, amountCents: a.amountCents }));
      return { ...input, override, allocations, paymentId: input.paymentId ?? ctx.newId() };
    },
    logInput: (input) =>
      input.override ? { ...input, override: { ...input.override, password: undefined } } : input,
    async run({ db, actor, now, newId }, input) {
      const o = input.override;
      const override =
        input.mode === 'cash' && o?.byId
          ? { reason: o.reason, byId: o.byId, byName: o.byName ?? o.byId }
          : null;
      const { cheque } = input;
      return recordPayment(
        db,
        {
          ...input,
          paymentId: input.paymentId as string,
          cheque: cheque
            ? { number: cheque.number, bank: cheque.bank, drawer: cheque.drawer, date: cheque.date }
            : undefined,
          override,
        },
        { actor, now, newId, timeZone: await townTimeZone(db) },
      );
    },
  }),

  /** Spends the family's credit on its invoices (oldest first, or as given). */
  'payment.useCredit': command({
    input: z.object({
      creditUseId: id().optional(),
      householdId: id(),
      allocations: allocations().optional(),
    }),
    prepare: (input, ctx) => ({ ...input, creditUseId: input.creditUseId ?? ctx.newId() }),
    run: async ({ db, actor, now, newId }, input) =>
      useCredit(
        db,
        { ...input, creditUseId: input.creditUseId as string },
        { actor, now, newId, timeZone: await townTimeZone(db) },
      ),
  }),

  /** The only correction of a payment: a reversing entry with a reason (REGIE req. 4). */
  'payment.reverse': command({
    input: z.object({ reversalId: id().optional(), paymentId: id(), reason: requiredText(200) }),
    prepare: (input, ctx) => ({ ...input, reversalId: input.reversalId ?? ctx.newId() }),
    run: async ({ db, actor, now, newId }, input) =>
      reversePayment(
        db,
        { ...input, reversalId: input.reversalId as string },
        { actor, now, newId, timeZone: await townTimeZone(db) },
      ),
  }),

  'payment.get': query({
    input: z.object({ paymentId: id() }),
    run: ({ db }, input) => paymentDetail(db, input.paymentId),
  }),

  'payment.listForHousehold': query({
    input: z.object({ householdId: id() }),
    run: ({ db }, input) => listForHousehold(db, input.householdId),
  }),

  /** invoices − credit notes − allocations, and the family credit, each a sum of its own table. */
  'payment.familyBalance': query({
    input: z.object({ householdId: id() }),
    async run({ db }, input) {
      const household = await db
        .selectFrom('households')
        .select('id')
        .where('id', '=', input.householdId)
        .executeTakeFirst();
      if (!household) throw new DomainError('NOT_FOUND', 'Ce foyer est introuvable.', 'householdId');
      const [balance, open] = await Promise.all([
        familyBalance(db, input.householdId),
        openInvoices(db, input.householdId),
      ]);
      return {
        ...balance,
        openInvoices: open.map((i) => ({
          invoiceId: i.id,
          number: i.number,
          issueDate: i.issueDate,
          dueDate: i.dueDate,
          totalCents: i.totalCents,
          remainingCents: i.remainingCents,
        })),
      };
    },
  }),

  /**
   * The receipt as a PDF. A command, because each print is recorded: the first print is the original, every later
   * one — or one asked as such — says DUPLICATA.
   */
  'payment.receiptPdf': command({
    input: z.object({ paymentId: id(), duplicate: bool().default(false) }),
    async run({ db, actor, now, newId }, input) {
      const [detail, issuer] = await Promise.all([paymentDetail(db, input.paymentId), loadIssuer(db)]);
      const duplicate = input.duplicate || detail.printCount > 0;
      await db
        .insertInto('receipt_prints')
        .values({
          id: newId(),
          receipt_id: detail.receiptId,
          printed_at: now.toISOString(),
          duplicate: duplicate ? 1 : 0,
          agent_id: actor.agentId,
        })
        .execute();
      const bytes = await renderReceiptPdf(detail, issuer, { duplicate, printedAt: now });
      return {
        ...pdf(`recu-${detail.receiptNumber}${duplicate ? '-duplicata' : ''}.pdf`, bytes),
        duplicate,
        printCount: detail.printCount + 1,
      };
    },
  }),

  'regie.openSession': command({
    input: z.object({
      sessionId: id().optional(),
      floatCents: cents(0).optional(),
      floatDenominations: counting().optional(),
    }),
    prepare: (input, ctx) => ({ ...input, sessionId: input.sessionId ?? ctx.newId() }),
    async run({ db, actor, now, newId }, input) {
      const timeZone = await townTimeZone(db);
      const row = await openSession(
        db,
        { ...input, sessionId: input.sessionId as string },
        { actor, now, newId, timeZone },
      );
      const settings = await loadRegieSettings(db, actor.deviceId);
      return sessionView(db, row, settings.cashCeilingCents, now, timeZone);
    },
  }),

  /** This counter's till: running totals by mode, cash on hand and the ceiling warning; null when none is open. */
  'regie.currentSession': query({
    input: z.object({}),
    async run({ db, actor, now }) {
      const [row, settings] = await Promise.all([
        findOpenSession(db, actor.deviceId),
        loadRegieSettings(db, actor.deviceId),
      ]);
      return {
        session: row
          ? await sessionView(db, row, settings.cashCeilingCents, now, await townTimeZone(db))
          : null,
      };
    },
  }),

  'regie.closeSession': command({
    input: z.object({ sessionId: id(), counted: counting(), reason: optionalText(300) }),
    async run({ db, actor, now, newId }, input) {
      const timeZone = await townTimeZone(db);
      const row = await closeSession(db, input, { actor, now, newId, timeZone });
      const settings = await loadRegieSettings(db, actor.deviceId);
      const view = await sessionView(db, row, settings.cashCeilingCents, now, timeZone);
      if (view.differenceCents)
        view.warnings.unshift(
          `Écart de caisse : ${formatEuros(view.differenceCents)} (${view.differenceCents > 0 ? 'excédent' : 'déficit'}) — ${view.differenceReason ?? ''}`,
        );
      return view;
    },
  }),

  /** Past tills, newest first, as their closing certified them. */
  'regie.sessions': query({
    input: z.object({ from: isoDate().optional(), to: isoDate().optional() }),
    async run({ db, actor, now }, input) {
      let q = db.selectFrom('cash_sessions').selectAll().orderBy('opened_at', 'desc').limit(200);
      if (input.from) q = q.where('open_date', '>=', input.from);
      if (input.to) q = q.where('open_date', '<=', input.to);
      const settings = await loadRegieSettings(db, actor.deviceId);
      const rows = await q.execute();
      const zone = await townTimeZone(db);
      const out = [];
      for (const r of rows) out.push(await sessionView(db, r, settings.cashCeilingCents, now, zone));
      return out;
    },
  }),

  'regie.pendingCheques': query({
    input: z.object({}),
    async run({ db }) {
      const cheques = await pendingCheques(db);
      return { cheques, count: cheques.length, totalCents: cheques.reduce((s, c) => s + c.amountCents, 0) };
    },
  }),

  /** A deposit slip of the cheques given, or of every cheque pending. */
  'regie.depositSlip.create': command({
    input: z.object({
      depositSlipId: id().optional(),
      paymentIds: z
        .array(id(), { message: 'liste attendue' })
        .min(1, { message: 'aucun chèque choisi' })
        .max(500)
        .optional(),
    }),
    prepare: (input, ctx) => ({ ...input, depositSlipId: input.depositSlipId ?? ctx.newId() }),
    run: async ({ db, actor, now, newId }, input) =>
      createDepositSlip(
        db,
        { slipId: input.depositSlipId as string, paymentIds: input.paymentIds },
        { actor, now, newId, timeZone: await townTimeZone(db) },
      ),
  }),

  'regie.depositSlips': query({
    input: z.object({}),
    run: ({ db }) => listDepositSlips(db),
  }),

  'regie.depositSlipPdf': query({
    input: z.object({ depositSlipId: id() }),
    async run({ db }, input) {
      const [slip, issuer] = await Promise.all([depositSlipDetail(db, input.depositSlipId), loadIssuer(db)]);
      return pdf(`bordereau-${slip.number}.pdf`, await renderDepositSlipPdf(slip, issuer));
    },
  }),

  'regie.depositSlipCsv': query({
    input: z.object({ depositSlipId: id() }),
    async run({ db }, input) {
      const slip = await depositSlipDetail(db, input.depositSlipId);
      return csv(`bordereau-${slip.number}.csv`, depositSlipCsv(slip));
    },
  }),

  /** The état récapitulatif des encaissements for a day or a month, as data for the screen. */
  'regie.collectionReport': query({
    input: period(),
    run: ({ db }, input) => collectionReport(db, input),
  }),

  'regie.collectionReportPdf': query({
    input: period(),
    async run({ db, now }, input) {
      const [report, issuer] = await Promise.all([collectionReport(db, input), loadIssuer(db)]);
      return pdf(
        `etat-encaissements-${input.from}-${input.to}.pdf`,
        await renderCollectionReportPdf(report, issuer, now),
      );
    },
  }),

  'regie.collectionReportCsv': query({
    input: period(),
    async run({ db }, input) {
      return csv(
        `etat-encaissements-${input.from}-${input.to}.csv`,
        collectionReportCsv(await collectionReport(db, input)),
      );
    },
  }),

  /** The régisseur's button: checks the journal and answers the first altered, missing or moved entry. */
  'regie.verifyJournal': query({
    input: z.object({}),
    run: ({ db }) => verifyJournal(db),
  }),
};
