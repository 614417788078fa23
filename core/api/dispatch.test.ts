import { validate as isUuid, version as uuidVersion } from 'uuid';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSession } from '../auth/session.ts';
import { openSqlite } from '../db/open.ts';
import { migrate } from '../db/migrate.ts';
import { MIGRATIONS } from '../../migrations/index.ts';
import { countRows, LEFEVRE, testCore } from '../test/fixtures.ts';
import { createDispatcher } from './dispatch.ts';
import { DomainError } from './envelope.ts';
import { command } from './operation.ts';

describe('the contract door', () => {
  it('answers an unknown operation with a French error and writes nothing', async () => {
    const { core } = await testCore();
    const logged = await countRows(core, 'command_log');
    const r = await core.invoke('family.dropEverything', {});
    expect(r).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_OPERATION', message: 'Opération inconnue : « family.dropEverything ».' },
    });
    expect(await countRows(core, 'command_log')).toBe(logged);
  });

  it('does not treat inherited object keys as operations', async () => {
    const { core } = await testCore();
    const r = await core.invoke('constructor', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('UNKNOWN_OPERATION');
  });

  it('names the faulty field in French and writes nothing', async () => {
    const { core } = await testCore();
    const children = [...(LEFEVRE.children ?? [])];
    children[1] = { ...children[1]!, birthDate: '2020-02-30' };
    const r = await core.invoke('family.createHousehold', { ...LEFEVRE, children });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATION');
    expect(r.error.field).toBe('children.1.birthDate');
    expect(r.error.message).toBe(
      "Champ « date de naissance (enfants, deuxième) » : cette date n'existe pas.",
    );
    expect(await countRows(core, 'households')).toBe(0);
    expect(await countRows(core, 'children')).toBe(0);
    expect(await countRows(core, 'command_log')).toBe(1); // the administrator's own creation only
  });

  it('names every faulty field at once, each with its French label and message', async () => {
    const { core } = await testCore();
    const children = [...(LEFEVRE.children ?? [])];
    children[1] = { ...children[1]!, birthDate: '2020-02-30' };
    const r = await core.invoke('family.createHousehold', {
      ...LEFEVRE,
      name: ' ',
      postalCode: '4500',
      email: 'sophie.lefevre@',
      phoneMobile: '06 12 34',
      children,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.fields).toEqual([
      { field: 'name', label: 'nom du foyer', message: 'Obligatoire.' },
      { field: 'postalCode', label: 'code postal', message: 'Code postal invalide (5 chiffres).' },
      { field: 'email', label: 'e-mail', message: 'Adresse e-mail invalide.' },
      {
        field: 'phoneMobile',
        label: 'téléphone portable',
        message: 'Numéro de téléphone invalide (10 chiffres).',
      },
      {
        field: 'children.1.birthDate',
        label: 'date de naissance (enfants, deuxième)',
        message: "Cette date n'existe pas.",
      },
    ]);
    // Callers that read one field still get the first, and a summary that names them all.
    expect(r.error.field).toBe('name');
    expect(r.error.message).toBe(
      '5 champs à corriger — « nom du foyer » : obligatoire ; « code postal » : code postal invalide (5 chiffres) ; ' +
        '« e-mail » : adresse e-mail invalide ; « téléphone portable » : numéro de téléphone invalide (10 chiffres) ; ' +
        "« date de naissance (enfants, deuxième) » : cette date n'existe pas.",
    );
    // It crosses IPC and HTTP as it is.
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(await countRows(core, 'households')).toBe(0);
  });

  it('says in French words which values a field accepts', async () => {
    const { core } = await testCore();
    const attendance = await core.invoke('attendance.sheet', {
      activityId: '0190a000-0000-7000-8000-000000000001',
      siteId: '0190a000-0000-7000-8000-000000000002',
      unitCode: 'lunch' as 'meal',
      date: '2026-12-07',
    });
    expect(attendance).toMatchObject({
      ok: false,
      error: {
        field: 'unitCode',
        message:
          'Champ « unité » : valeur attendue : repas, matin, soir, journée, demi-journée, semaine ou mois.',
      },
    });
    const request = await core.invoke('request.submit', {
      householdId: '0190a000-0000-7000-8000-000000000001',
      kind: 'complaint' as 'other',
    });
    expect(request).toMatchObject({
      ok: false,
      error: {
        field: 'kind',
        message:
          'Champ « type de demande » : valeur attendue : annulation, personne autorisée, document ou autre demande.',
      },
    });
    // zod's own words, where a schema gives none, are plain French too: no « chaîne de caractères », no « >=1 ».
    const search = await core.invoke('family.search', { text: 'Lef', limit: 0 });
    expect(search).toMatchObject({
      ok: false,
      error: { message: 'Champ « nombre de résultats » : 1 au moins.' },
    });
    const acknowledge = await core.invoke('sync.acknowledge', { commandId: 12 as unknown as string });
    expect(acknowledge).toMatchObject({
      ok: false,
      error: { message: 'Champ « opération » : texte attendu.' },
    });
    const missing = await core.invoke('sync.acknowledge', {} as { commandId: string });
    expect(missing).toMatchObject({ ok: false, error: { message: 'Champ « opération » : obligatoire.' } });
  });

  it('refuses a missing required field and a wrong type', async () => {
    const { core } = await testCore();
    const noName = await core.invoke('family.createHousehold', { ...LEFEVRE, name: '   ' });
    expect(noName).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'name', message: 'Champ « nom du foyer » : obligatoire.' },
    });
    const badQf = await core.invoke('family.createHousehold', {
      ...LEFEVRE,
      qf: { value: '640', source: 'CAF', effectiveMonth: '2026-01' },
    });
    expect(badQf).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'qf.value' } });
    const notAnObject = await core.invoke('family.get', 'abc');
    expect(notAnObject).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('records each command in the log, in the same transaction, with replayable input', async () => {
    const now = new Date('2026-11-23T09:15:00Z');
    const { core, call } = await testCore(now);
    const { householdId } = await call('family.createHousehold', LEFEVRE);
    await call('family.get', { householdId });
    const rows = core.raw.prepare('SELECT * FROM command_log ORDER BY seq').all() as {
      id: string;
      name: string;
      input: string;
      agent_id: string;
      device_id: string;
      at: string;
    }[];
    expect(rows.map((r) => r.name)).toEqual(['auth.setupAdmin', 'family.createHousehold']); // queries are not logged
    rows.shift();
    const row = rows[0]!;
    expect(isUuid(row.id) && uuidVersion(row.id)).toBe(7);
    expect(row.name).toBe('family.createHousehold');
    const admin = core.raw.prepare("SELECT id FROM staff WHERE username = 'admin'").get() as { id: string };
    expect(row.agent_id).toBe(admin.id);
    expect(row.device_id).toBe(core.deviceId);
    expect(row.at).toBe(now.toISOString());
    const input = JSON.parse(row.input) as { householdId: string; children: { childId: string }[] };
    // The generated ids are in the log, so replaying it elsewhere recreates the same rows.
    expect(input.householdId).toBe(householdId);
    const childIds = (
      core.raw.prepare('SELECT id FROM children ORDER BY birth_date').all() as { id: string }[]
    ).map((c) => c.id);
    expect(input.children.map((c) => c.childId)).toEqual(childIds);
  });

  it('rolls back everything a command wrote when it fails half-way', async () => {
    const handle = openSqlite(':memory:');
    await migrate(handle.db, MIGRATIONS, 'sqlite');
    const operations = {
      'test.halfway': command({
        permission: 'public',
        sync: 'local',
        label: 'Essai',
        input: z.object({ crash: z.enum(['domain', 'internal']) }),
        async run({ db, now }, input) {
          await db.insertInto('settings').values({ key: 'written', value: '1' }).execute();
          if (input.crash === 'domain') throw new DomainError('CONFLICT', 'Refusé pour la démonstration.');
          void now;
          throw new Error('disk on fire');
        },
      }),
    };
    const errors: unknown[] = [];
    const actor = { agentId: 'a', agentName: 'A', deviceId: 'd' };
    const dispatch = createDispatcher({
      db: handle.db,
      operations,
      clock: () => new Date(),
      session: Object.assign(
        createSession(() => 60_000),
        { scryptLogN: 10 },
      ),
      authorize: () => ({ ok: true, actor }),
      onInternalError: (_n, e) => errors.push(e),
    });
    expect(await dispatch('test.halfway', { crash: 'domain' })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'Refusé pour la démonstration.' },
    });
    const internal = await dispatch('test.halfway', { crash: 'internal' });
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(errors).toHaveLength(1);
    expect(handle.raw.prepare("SELECT count(*) AS n FROM settings WHERE key = 'written'").get()).toEqual({
      n: 0,
    });
    expect(handle.raw.prepare('SELECT count(*) AS n FROM command_log').get()).toEqual({ n: 0 });
    await handle.db.destroy();
  });
});
