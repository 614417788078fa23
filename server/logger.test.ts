import { Writable } from 'node:stream';
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Driver,
} from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { healthCheck } from './health.ts';
import { createLogger, safeError, scrub } from './logger.ts';
import { openServerStore, type ServerDb, type ServerStore } from './store.ts';

const NOTES = 'Asthme, Ventoline avant le sport';

/** A logger writing into an array, one parsed object per line. */
function capture(options: Parameters<typeof createLogger>[0] = {}) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger({ ...options, destination });
  return { log, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the journal filter', () => {
  it('masks bearer tokens, passwords in URLs, PC credentials and the configured secrets', () => {
    const credential = '01938c4e-7d1a-7b2c-9f00-1234567890ab.naiBBgCk4yqsIeBzsaXhMaVSrYhj4mBhFssv9lpCAJc';
    expect(
      scrub(
        `Bearer abc.def postgres://gf:Secr3t@db/guichet ${credential} password=hunter2 jeton-de-la-commune`,
        ['jeton-de-la-commune'],
      ),
    ).toBe(
      'Bearer [masqué] postgres://gf:[masqué]@db/guichet 01938c4e-7d1a-7b2c-9f00-1234567890ab.[masqué] password=[masqué] [masqué]',
    );
  });

  it('applies to every line written, whatever the caller logged', () => {
    const { log, lines } = capture({ secrets: ['jeton-admin-de-la-commune'] });
    log.info(`connexion refusée avec jeton-admin-de-la-commune`);
    log.info({ url: 'postgres://gf:Secr3t@db/guichet' }, 'base');
    expect(lines.join('\n')).not.toMatch(/jeton-admin-de-la-commune|Secr3t/);
  });

  it('masks fields that carry data or secrets, should anyone log them', () => {
    const { log, entries } = capture();
    log.info(
      {
        input: { notes: NOTES },
        body: { password: 'x' },
        headers: { authorization: 'Bearer t' },
        cmd: { notes: NOTES, credential: 'c' },
      },
      'objet',
    );
    const entry = entries()[0] as Record<string, unknown>;
    expect(JSON.stringify(entry)).not.toContain(NOTES);
    expect(entry).toMatchObject({
      input: '[masqué]',
      body: '[masqué]',
      headers: { authorization: '[masqué]' },
      cmd: { notes: '[masqué]', credential: '[masqué]' },
      level: 'info',
    });
  });
});

describe('errors in the journal', () => {
  /** What node-postgres throws: the row's values in `detail`, and in the message for a data exception. */
  const pgError = (code: string, message: string) =>
    Object.assign(new Error(message), {
      severity: 'ERROR',
      code,
      detail: `Failing row contains (id, ${NOTES}).`,
      where: `SQL statement "UPDATE children SET health_notes = '${NOTES}'"`,
      table: 'children',
      column: 'health_notes',
      parameters: [NOTES],
    });

  it('keeps the type, message, code, stack and PostgreSQL’s names, never detail, where or parameters', () => {
    const e = safeError(pgError('23502', 'null value in column "health_notes" violates not-null constraint'));
    expect(e).toMatchObject({
      type: 'Error',
      message: 'null value in column "health_notes" violates not-null constraint',
      code: '23502',
      table: 'children',
      column: 'health_notes',
    });
    expect(JSON.stringify(e)).not.toContain(NOTES);
  });

  it('drops the message of a data exception, where PostgreSQL quotes the value', () => {
    const e = safeError(pgError('22P02', `invalid input syntax for type integer: "${NOTES}"`));
    expect(e.message).toBe('valeur refusée par PostgreSQL (SQLSTATE 22P02) : détail non journalisé');
    expect(JSON.stringify(e)).not.toContain(NOTES);
  });

  it('serialises an error logged under err, with its cause, and without extra properties', () => {
    const { log, lines } = capture();
    const wrapped = new Error('échec du push', { cause: pgError('22001', `value too long: "${NOTES}"`) });
    Object.assign(wrapped, { request: { body: NOTES } });
    log.error({ err: wrapped }, 'Erreur interne');
    expect(lines[0]).not.toContain(NOTES);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 'error',
      err: { type: 'Error', message: 'échec du push', cause: { code: '22001' } },
    });
  });
});

describe('/healthz', { timeout: 60_000 }, () => {
  let store: ServerStore | null = null;
  afterEach(async () => {
    await store?.close().catch(() => {});
    store = null;
  });
  const options = {
    appVersion: '9.9.9',
    expectedSchemaVersion: 0,
    clock: () => new Date('2026-12-04T10:00:00Z'),
  };

  it('answers 503 when PostgreSQL stops answering, and says why only to the journal', async () => {
    store = await openServerStore({ pglite: true });
    const failures: unknown[] = [];
    const { MIGRATIONS } = await import('../migrations/index.ts');
    const check = healthCheck({
      ...options,
      db: store.db,
      dialect: 'postgres',
      expectedSchemaVersion: MIGRATIONS.at(-1)?.version ?? 0,
      onFailure: (e) => failures.push(e),
    });
    expect(await check()).toMatchObject({ status: 200, body: { status: 'ok', version: '9.9.9' } });
    await store.close();
    store = null;
    expect(await check()).toMatchObject({
      status: 503,
      body: { status: 'indisponible', error: 'Base de données injoignable.' },
    });
    expect(failures).toHaveLength(1);
  });

  it('answers 503 within its timeout when the database hangs, rather than hanging the probe', async () => {
    const hanging: Driver = {
      init: async () => {},
      acquireConnection: () => new Promise<DatabaseConnection>(() => {}),
      beginTransaction: async () => {},
      commitTransaction: async () => {},
      rollbackTransaction: async () => {},
      releaseConnection: async () => {},
      destroy: async () => {},
    };
    const db = new Kysely({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => hanging,
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    }) as unknown as ServerDb;
    const check = healthCheck({ ...options, db, dialect: 'postgres', timeoutMs: 200 });
    const started = Date.now();
    expect(await check()).toMatchObject({ status: 503 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers 503 when the schema is not the one this version expects', async () => {
    store = await openServerStore({ sqlite: ':memory:' });
    const check = healthCheck({ ...options, db: store.db, dialect: 'sqlite', expectedSchemaVersion: 999 });
    expect(await check()).toMatchObject({
      status: 503,
      body: { error: 'Schéma de base inattendu.', expectedSchemaVersion: 999 },
    });
  });
});
