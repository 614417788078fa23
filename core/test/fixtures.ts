import { openCore, type Core, type CoreOptions } from '../app.ts';
import type { InputOf, OperationName, OutputOf } from '../contract.ts';
import type { Envelope } from '../api/envelope.ts';

/** Test accounts' password; accounts are created with a cheap scrypt cost so tests stay fast. */
export const TEST_PASSWORD = 'mot-de-passe-test';

/**
 * Opens a core as tests and benches need it: cheap password hashing, no idle lock (tests move the clock by months),
 * and an administrator signed in.
 */
export async function openTestCore(options: CoreOptions): Promise<Core> {
  const core = await openCore({ scryptLogN: 10, idleMinutes: 60 * 24 * 365 * 100, ...options });
  const setup = await core.invoke('auth.setupAdmin', {
    username: 'admin',
    displayName: 'Administrateur',
    password: TEST_PASSWORD,
  });
  // A file opened again already has its administrator.
  const r = setup.ok
    ? setup
    : await core.invoke('auth.login', { username: 'admin', password: TEST_PASSWORD });
  if (!r.ok) throw new Error(r.error.message);
  return core;
}

/** A core on an in-memory database with a fixed (or given) clock, and a typed `call` that throws on an error. */
export async function testCore(now: Date | (() => Date) = new Date('2026-11-23T10:00:00Z')) {
  const core = await openTestCore({ path: ':memory:', clock: typeof now === 'function' ? now : () => now });
  const invoke = <N extends OperationName>(name: N, input: InputOf<N>) =>
    core.invoke(name, input) as Promise<Envelope<OutputOf<N>>>;
  const call = async <N extends OperationName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> => {
    const r = await invoke(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  return { core, invoke, call };
}

export type TestCore = Awaited<ReturnType<typeof testCore>>;

export const LEFEVRE: InputOf<'family.createHousehold'> = {
  name: 'Lefèvre',
  addressLine1: '12 rue des Tilleuls',
  postalCode: '45000',
  city: 'Orléans',
  email: 'sophie.lefevre@exemple.fr',
  phoneMobile: '06 12 34 56 78',
  guardians: [
    {
      rank: 1,
      civility: 'Mme',
      lastName: 'Lefèvre',
      firstName: 'Sophie',
      relationship: 'mère',
      phoneMobile: '0612345678',
    },
    { rank: 2, civility: 'M.', lastName: 'Lefèvre', firstName: 'Éric', relationship: 'père' },
  ],
  children: [
    {
      lastName: 'Lefèvre',
      firstName: 'Zoé',
      birthDate: '2018-03-14',
      school: 'École Jean Jaurès',
      classLevel: 'CE1',
    },
    {
      lastName: 'Lefèvre',
      firstName: 'Noé',
      birthDate: '2020-09-02',
      school: 'École Jean Jaurès',
      classLevel: 'GS',
    },
  ],
  qf: { value: 640, source: 'CAF', effectiveMonth: '2026-01' },
};

export async function countRows(core: Core, table: string): Promise<number> {
  return (core.raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}
