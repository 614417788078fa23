import { describe, expect, it } from 'vitest';
import { countRows, LEFEVRE, testCore } from '../test/fixtures.ts';
import { demoTown } from '../test/town.ts';
import { qfInForce } from './qf.ts';

describe('the family file', () => {
  it('creates a household with its guardians, children and QF, and shows it back', async () => {
    const { call } = await testCore(new Date('2026-11-23T10:00:00Z'));
    const { householdId } = await call('family.createHousehold', {
      ...LEFEVRE,
      pickupPersons: [
        { lastName: 'Roux', firstName: 'Mireille', relationship: 'grand-mère', phone: '+33 6 98 76 54 32' },
      ],
    });
    const file = await call('family.get', { householdId });
    expect(file).toMatchObject({
      name: 'Lefèvre',
      city: 'Orléans',
      payerRank: 1,
      invoiceDelivery: 'papier',
      phoneMobile: '06 12 34 56 78',
    });
    expect(file.guardians.map((g) => `${g.rank} ${g.civility} ${g.firstName}`)).toEqual([
      '1 Mme Sophie',
      '2 M. Éric',
    ]);
    // Phones are stored the way agents read them, whatever was typed.
    expect(file.guardians[0]?.phoneMobile).toBe('06 12 34 56 78');
    expect(file.pickupPersons[0]).toMatchObject({ firstName: 'Mireille', phone: '06 98 76 54 32' });
    expect(file.children.map((c) => `${c.firstName} ${c.birthDate} ${c.classLevel}`)).toEqual([
      'Zoé 2018-03-14 CE1',
      'Noé 2020-09-02 GS',
    ]);
    expect(file.currentQf).toMatchObject({ value: 640, source: 'CAF', effectiveMonth: '2026-01' });
    expect(file).not.toHaveProperty('children.0.healthNotes');
  });

  it('edits the household, a guardian, a child and the pickup list', async () => {
    const { call, invoke } = await testCore();
    const { householdId } = await call('family.createHousehold', LEFEVRE);
    const file = await call('family.get', { householdId });

    await call('family.updateHousehold', {
      householdId,
      name: 'Lefèvre-Martin',
      city: 'Belleval',
      payerRank: 2,
      invoiceDelivery: 'email',
      email: 'famille@exemple.fr',
    });
    const eric = file.guardians[1]!;
    await call('family.saveGuardian', {
      householdId,
      guardianId: eric.id,
      rank: 2,
      civility: 'M.',
      lastName: 'Martin',
      firstName: 'Éric',
      mayPickUp: false,
    });
    const zoe = file.children[0]!;
    await call('family.saveChild', {
      householdId,
      childId: zoe.id,
      lastName: 'Lefèvre',
      firstName: 'Zoé',
      birthDate: '2018-03-14',
      classLevel: 'CE2',
      imageConsent: true,
    });
    const { pickupPersonId } = await call('family.savePickupPerson', {
      householdId,
      lastName: 'Roux',
      firstName: 'Paul',
    });

    const after = await call('family.get', { householdId });
    expect(after).toMatchObject({
      name: 'Lefèvre-Martin',
      city: 'Belleval',
      payerRank: 2,
      invoiceDelivery: 'email',
    });
    expect(after.guardians[1]).toMatchObject({ lastName: 'Martin', mayPickUp: false });
    expect(after.children[0]).toMatchObject({ classLevel: 'CE2', imageConsent: true });
    expect(after.pickupPersons.map((p) => p.firstName)).toEqual(['Paul']);

    await call('family.removePickupPerson', { householdId, pickupPersonId });
    expect((await call('family.get', { householdId })).pickupPersons).toEqual([]);

    // The payer cannot be removed, nor the last guardian.
    const removePayer = await invoke('family.removeGuardian', { householdId, guardianId: eric.id });
    expect(removePayer).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await call('family.updateHousehold', { householdId, name: 'Lefèvre-Martin', payerRank: 1 });
    await call('family.removeGuardian', { householdId, guardianId: eric.id });
    const last = await invoke('family.removeGuardian', { householdId, guardianId: file.guardians[0]!.id });
    expect(last).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Un foyer garde au moins un responsable.' },
    });
  });

  it('refuses a second guardian of the same rank and a payer who is not a guardian', async () => {
    const { call, invoke } = await testCore();
    const { householdId } = await call('family.createHousehold', {
      ...LEFEVRE,
      guardians: [LEFEVRE.guardians[0]!],
    });
    const dup = await invoke('family.saveGuardian', {
      householdId,
      rank: 1,
      civility: 'M.',
      lastName: 'Autre',
      firstName: 'Jean',
    });
    expect(dup).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'rank', message: 'Ce foyer a déjà un responsable 1.' },
    });
    const payer = await invoke('family.updateHousehold', { householdId, name: 'Lefèvre', payerRank: 2 });
    expect(payer).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'payerRank' } });
  });

  it('never lets an id from one household touch another', async () => {
    const { core, call, invoke } = await testCore();
    const a = await call('family.createHousehold', LEFEVRE);
    const b = await call('family.createHousehold', { ...LEFEVRE, name: 'Bénard' });
    const childOfA = (await call('family.get', { householdId: a.householdId })).children[0]!;
    const before = await countRows(core, 'command_log');
    const r = await invoke('family.saveChild', {
      householdId: b.householdId,
      childId: childOfA.id,
      lastName: 'X',
      firstName: 'Y',
      birthDate: '2019-01-01',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await call('family.get', { householdId: a.householdId })).children[0]?.firstName).toBe('Zoé');
    expect(await countRows(core, 'command_log')).toBe(before);
    const missing = await invoke('family.get', { householdId: '01900000-0000-7000-8000-000000000000' });
    expect(missing).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Ce foyer est introuvable.', field: 'householdId' },
    });
  });

  it('keeps the QF history: a new QF applies from its month, a correction edits the entry', async () => {
    const { call, invoke } = await testCore(new Date('2026-11-23T10:00:00Z'));
    const { householdId } = await call('family.createHousehold', LEFEVRE);
    await call('family.addQf', { householdId, value: 980, source: 'CAF', effectiveMonth: '2026-12' });
    let file = await call('family.get', { householdId });
    expect(file.qfHistory.map((q) => `${q.value}:${q.validUntil}`)).toEqual(['980:null', '640:2026-11']);
    expect(file.qfHistory.map((q) => `${q.effectiveMonth}:${q.value}`)).toEqual([
      '2026-12:980',
      '2026-01:640',
    ]);
    // November is still priced with the QF in force then.
    expect(file.currentQf?.value).toBe(640);

    const first = file.qfHistory[1]!;
    await call('family.updateQf', {
      householdId,
      qfId: first.id,
      value: 604,
      source: 'CAF',
      effectiveMonth: '2026-01',
      endMonth: null,
    });
    file = await call('family.get', { householdId });
    expect(file.currentQf?.value).toBe(604);

    const backwards = await invoke('family.addQf', {
      householdId,
      value: 100,
      source: 'MSA',
      effectiveMonth: '2026-05',
      endMonth: '2026-04',
      confirmEarlier: true,
    });
    expect(backwards).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'endMonth' } });
    const badMonth = await invoke('family.addQf', {
      householdId,
      value: 100,
      source: 'MSA',
      effectiveMonth: '2026-13',
      confirmEarlier: true,
    });
    expect(badMonth).toMatchObject({
      ok: false,
      error: { field: 'effectiveMonth', message: "Champ « mois d'effet » : mois invalide (mm/aaaa)." },
    });
  });

  it('keeps the CAF number and who checked a QF, where and when; refuses a bad number or a check in the future', async () => {
    const { call, invoke } = await testCore(new Date('2026-12-04T10:00:00Z'));
    const { householdId } = await call('family.createHousehold', { ...LEFEVRE, cafNumber: '12 345 67' });
    await call('family.addQf', {
      householdId,
      value: 720,
      source: 'CAF',
      effectiveMonth: '2027-01',
      checkedVia: 'cdap',
      checkedOn: '2026-12-03',
    });
    let file = await call('family.get', { householdId });
    // Typed with spaces as on the CAF's letters, kept as the digits CDAP asks for.
    expect(file.cafNumber).toBe('1234567');
    const checked = file.qfHistory.find((q) => q.value === 720)!;
    expect(checked).toMatchObject({ checkedVia: 'cdap', checkedOn: '2026-12-03' });
    expect(checked.checkedBy).toEqual(expect.any(String));
    expect(checked.checkedBy).not.toBe('');
    // A QF copied from a paper form without a consultation names nobody as having checked it.
    expect(file.qfHistory.find((q) => q.value === 640)).toMatchObject({ checkedVia: null, checkedBy: null });

    // Correcting the value alone keeps the consultation as it was.
    await call('family.updateQf', {
      householdId,
      qfId: checked.id,
      value: 702,
      source: 'CAF',
      effectiveMonth: '2027-01',
      checkedVia: 'cdap',
      checkedOn: '2026-12-03',
    });
    file = await call('family.get', { householdId });
    expect(file.qfHistory.find((q) => q.id === checked.id)).toMatchObject({
      value: 702,
      checkedVia: 'cdap',
      checkedOn: '2026-12-03',
      checkedBy: checked.checkedBy,
    });

    const letters = await invoke('family.updateHousehold', {
      householdId,
      name: 'Lefèvre',
      cafNumber: '12A45',
    });
    expect(letters).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        field: 'cafNumber',
        message: expect.stringContaining('numéro allocataire CAF'),
      },
    });
    const tomorrow = await invoke('family.addQf', {
      householdId,
      value: 500,
      source: 'CAF',
      effectiveMonth: '2027-02',
      checkedVia: 'api_particulier',
      checkedOn: '2026-12-05',
    });
    expect(tomorrow).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'checkedOn', message: expect.stringContaining('dans le futur') },
    });
    const whereWithoutWhen = await invoke('family.addQf', {
      householdId,
      value: 500,
      source: 'CAF',
      effectiveMonth: '2027-02',
      checkedVia: 'document',
    });
    expect(whereWithoutWhen).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'checkedOn' } });
    file = await call('family.get', { householdId });
    expect(file.cafNumber).toBe('1234567');
    expect(file.qfHistory).toHaveLength(2);
  });
});

describe('a QF taking effect before another', () => {
  it('asks to confirm, saying which QF it precedes, and changes nothing until confirmed', async () => {
    const { call, invoke, core } = await testCore(new Date('2026-11-23T10:00:00Z'));
    const { householdId } = await call('family.createHousehold', { ...LEFEVRE, qf: null });
    await call('family.addQf', { householdId, value: 850, source: 'CAF', effectiveMonth: '2026-09' });

    const early = { householdId, value: 420, source: 'MSA' as const, effectiveMonth: '2026-05' };
    const refused = await invoke('family.addQf', early);
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        field: 'confirmEarlier',
        message:
          'Ce QF prend effet en 05/2026, avant le QF 850 (CAF) qui prend effet en 09/2026 : il ne s’appliquera que de 05/2026 à 08/2026. Confirmez pour l’enregistrer.',
      },
    });
    expect(await countRows(core, 'qf_records')).toBe(1);

    await call('family.addQf', { ...early, confirmEarlier: true });
    const file = await call('family.get', { householdId });
    // Newest effective month first; the earlier one is closed by the later one, which stays open-ended.
    expect(file.qfHistory.map((q) => `${q.value} ${q.effectiveMonth}→${q.validUntil ?? 'sans fin'}`)).toEqual(
      ['850 2026-09→sans fin', '420 2026-05→2026-08'],
    );
    expect(file.currentQf?.value).toBe(850);

    // A QF after every other one needs no confirmation, and closes the one before it.
    await call('family.addQf', { householdId, value: 990, source: 'CAF', effectiveMonth: '2027-01' });
    const later = await call('family.get', { householdId });
    expect(later.qfHistory.map((q) => q.validUntil)).toEqual([null, '2026-12', '2026-08']);

    // Moving an existing QF before another by correcting its month asks the same.
    const moved = await invoke('family.updateQf', {
      householdId,
      qfId: later.qfHistory[0]!.id,
      value: 990,
      source: 'CAF',
      effectiveMonth: '2026-07',
      endMonth: null,
    });
    expect(moved).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'confirmEarlier' } });
  });

  it('prices each month with the QF valid then, and issued invoices keep the QF they used', async () => {
    const town = await demoTown('2026-08-20T10:00:00+02:00');
    const { call, householdId, zoe, demo } = town;
    await call('enrolment.enrol', {
      childId: zoe,
      activityId: demo.canteen.activityId,
      schoolYear: '2026-2027',
    });
    const book = (from: string, to: string) =>
      call('booking.book', {
        childId: zoe,
        activityId: demo.canteen.activityId,
        siteId: demo.sites.jaures,
        unitCodes: ['meal'],
        selection: { kind: 'period', from, to, weekdays: [1, 2, 4, 5] },
        origin: 'portal',
      });
    await book('2026-09-07', '2026-09-11');
    await book('2026-10-05', '2026-10-09');
    town.at('2026-10-02T10:00:00+02:00');
    await call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-02' });
    // A QF of 1 200 from October, then one of 300 from September, recorded late: the September invoice, already
    // issued at QF 640, is not repriced; October is priced at 1 200, which closed the 300 at September.
    await call('family.addQf', { householdId, value: 1200, source: 'CAF', effectiveMonth: '2026-10' });
    await call('family.addQf', {
      householdId,
      value: 300,
      source: 'CAF',
      effectiveMonth: '2026-09',
      confirmEarlier: true,
    });
    town.at('2026-11-02T10:00:00+02:00');
    await call('billing.runMonth', { month: '2026-10', issueDate: '2026-11-02' });
    const { invoices } = await call('billing.listInvoices', { householdId });
    const qfOf = async (periodMonth: string) => {
      const invoice = invoices.find((i) => i.periodMonth === periodMonth)!;
      const detail = await call('billing.getInvoice', { invoiceId: invoice.id });
      return detail.groups.flatMap((g) => g.lines.map((l) => l.qfValue));
    };
    expect(await qfOf('2026-09')).toEqual([640]);
    expect(await qfOf('2026-10')).toEqual([1200]);
  });
});

describe('qfInForce', () => {
  const qf = (id: string, effectiveMonth: string, endMonth: string | null, recordedAt = '2026-01-01') => ({
    id,
    value: 0,
    source: 'CAF',
    effectiveMonth,
    endMonth,
    recordedAt,
  });

  it('picks the latest effective QF still valid that month, none before the first or after the end', () => {
    const history = [qf('a', '2026-01', null), qf('b', '2026-09', '2027-08')];
    expect(qfInForce(history, '2025-12')).toBeNull();
    expect(qfInForce(history, '2026-08')?.id).toBe('a');
    expect(qfInForce(history, '2026-09')?.id).toBe('b');
    // 'b' closed 'a' at 08/2026 for good: once 'b' ends, no QF is in force (highest tariff), 'a' does not come back.
    expect(qfInForce(history, '2027-09')).toBeNull();
    expect(qfInForce([qf('c', '2026-01', '2026-06')], '2026-07')).toBeNull();
  });

  it('prefers the later recording when two QF take effect the same month', () => {
    const history = [qf('old', '2026-09', null, '2026-08-01'), qf('new', '2026-09', null, '2026-09-15')];
    expect(qfInForce(history, '2026-10')?.id).toBe('new');
  });
});
