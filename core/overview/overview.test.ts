import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../test/fixtures.ts';
import { demoTown, type DemoTown } from '../test/town.ts';

/** Signs in as a new account of that role (the administrator creates it first). */
async function signInAs(t: DemoTown, role: 'agent' | 'alsh' | 'regisseur' | 'admin', username: string) {
  await t.call('auth.login', { username: 'admin', password: TEST_PASSWORD });
  await t.call('staff.save', { username, displayName: `Compte ${username}`, role, password: TEST_PASSWORD });
  await t.call('auth.login', { username, password: TEST_PASSWORD });
}

/** Zoé's September canteen (17 × 2,20 € = 37,40 €), invoiced on 2 October, due 25 October. */
async function septemberInvoice(t: DemoTown) {
  await t.call('enrolment.enrol', {
    childId: t.zoe,
    activityId: t.demo.canteen.activityId,
    schoolYear: '2026-2027',
  });
  await t.call('booking.book', {
    childId: t.zoe,
    activityId: t.demo.canteen.activityId,
    siteId: t.demo.sites.jaures,
    unitCodes: ['meal'],
    selection: { kind: 'period', from: '2026-09-01', to: '2026-09-30', weekdays: [1, 2, 4, 5] },
    origin: 'portal',
  });
  t.at('2026-10-02T09:00:00+02:00');
  await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-02' });
}

describe('the home page, per role', () => {
  it('shows the régisseur the till, the invoices falling due then past due, and the families they worked on', async () => {
    const t = await demoTown();
    await septemberInvoice(t);
    await signInAs(t, 'regisseur', 'regie');
    t.at('2026-10-12T09:00:00+02:00');
    let home = await t.call('overview.home', {});
    expect(home.till).toEqual({
      state: 'none',
      openDate: null,
      openedBy: null,
      cashOnHandCents: null,
      suggestedFloatCents: 0,
    });
    expect(home.mayOpenTill).toBe(true);
    expect(home.invoices).toEqual({
      fallingDue: { count: 1, cents: 3740, until: '2026-10-27' },
      pastDue: { count: 0, cents: 0 },
    });
    expect(home.recentFamilies).toEqual([]);

    await t.call('regie.openSession', { floatCents: 15_000 });
    await t.call('payment.record', { householdId: t.householdId, mode: 'cash', amountCents: 1000 });
    home = await t.call('overview.home', {});
    expect(home.till).toMatchObject({ state: 'open', openDate: '2026-10-12', cashOnHandCents: 16_000 });
    expect(home.recentFamilies.map((f) => f.name)).toEqual(['Lefèvre']);

    // After the 25th, what is left is past due.
    t.at('2026-10-26T09:00:00+01:00');
    home = await t.call('overview.home', {});
    expect(home.till).toMatchObject({ state: 'stale', openDate: '2026-10-12' });
    expect(home.invoices).toMatchObject({ pastDue: { count: 1, cents: 2740 }, fallingDue: { count: 0 } });
  });

  it('proposes the régie’s float for a first till, then the cash counted at the last closing', async () => {
    const t = await demoTown();
    const settings = await t.call('payment.settings', {});
    await t.call('regie.saveSettings', {
      modes: settings.modes.map((m) => m.mode),
      cashLimitCents: settings.cashLimitCents,
      cashLimitOverridable: settings.cashLimitOverridable,
      cashCeilingCents: settings.cashCeilingCents,
      floatCents: 15_000,
    });
    expect((await t.call('overview.home', {})).till).toMatchObject({
      state: 'none',
      suggestedFloatCents: 15_000,
    });
    await t.call('regie.openSession', { floatCents: 15_000 });
    const open = await t.call('regie.currentSession', {});
    await t.call('regie.closeSession', {
      sessionId: open.session!.id,
      counted: [{ denominationCents: 2000, count: 4 }],
      reason: 'écart constaté',
    });
    expect((await t.call('regie.currentSession', {})).nextFloat).toMatchObject({
      cents: 8_000,
      source: 'closing',
      fromDate: '2026-08-20',
    });
    expect((await t.call('overview.home', {})).till).toMatchObject({
      state: 'none',
      suggestedFloatCents: 8_000,
    });
  });

  it('shows holiday-centre staff the requests waiting, and neither the till nor the invoices', async () => {
    const t = await demoTown();
    await t.call('request.submit', {
      householdId: t.householdId,
      kind: 'other',
      message: 'Zoé sera récupérée par sa tante vendredi.',
    });
    await signInAs(t, 'alsh', 'alsh');
    const home = await t.call('overview.home', {});
    expect(home).toMatchObject({
      till: null,
      invoices: null,
      mayOpenTill: false,
      pendingRequests: 1,
      toSettle: 0,
    });
  });
});

describe('the family header', () => {
  it('shows the balance, the credit and what is past due to those who read invoices', async () => {
    const t = await demoTown();
    await septemberInvoice(t);
    await t.call('regie.openSession', { floatCents: 0 });
    await t.call('payment.record', {
      householdId: t.householdId,
      mode: 'cheque',
      amountCents: 5000,
      cheque: { number: '1234567', bank: 'Banque', drawer: 'Sophie Lefèvre', payeeChecked: true },
    });
    t.at('2026-10-26T09:00:00+01:00');
    await signInAs(t, 'agent', 'accueil');
    expect((await t.call('overview.family', { householdId: t.householdId })).money).toEqual({
      dueCents: 0,
      creditCents: 1260,
      pastDueCents: 0,
      pastDueInvoices: 0,
    });
    await signInAs(t, 'alsh', 'alsh');
    expect((await t.call('overview.family', { householdId: t.householdId })).money).toBeNull();
  });

  it('says what the file lacks for the school year, and flags a PAI only to roles reading health data', async () => {
    const t = await demoTown('2026-09-02T10:00:00+02:00');
    await t.call('health.save', {
      childId: t.noe,
      pai: true,
      allergies: 'arachides',
      notes: 'PAI signé le 02/09',
    });
    await t.call('enrolment.checkDocument', {
      householdId: t.householdId,
      schoolYear: '2026-2027',
      item: 'assurance',
      checked: false,
    });
    await signInAs(t, 'alsh', 'alsh');
    const alsh = await t.call('overview.family', { householdId: t.householdId });
    expect(alsh.incomplete).toEqual([
      {
        schoolYear: '2026-2027',
        // The insurance is each child's own document (per child since migration 0014).
        missing: [
          'Attestation d’assurance scolaire et extrascolaire (Zoé)',
          'Attestation d’assurance scolaire et extrascolaire (Noé)',
        ],
      },
    ]);
    expect(alsh.pai).toEqual(['Noé']);
    await signInAs(t, 'agent', 'accueil');
    const agent = await t.call('overview.family', { householdId: t.householdId });
    expect(agent.pai).toBeNull();
    expect(agent.incomplete).toHaveLength(1);
    expect(JSON.stringify(agent)).not.toContain('arachides');
  });
});
