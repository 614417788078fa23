import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_DIR, startHarness, type Harness } from './harness.ts';

/**
 * Every screen of every role, on the demo town with its past (Friday 4 December 2026, 9:15 in Belleval), checked by
 * axe-core against WCAG 2.1 A and AA, then walked with Tab alone: each focused element must show its focus, and every
 * control on screen must be reachable. A violation fails the screen's test with its rule, impact, target and help.
 *
 * axe is evaluated in the page rather than added as a <script>: the host's CSP (script-src 'self') refuses inline
 * scripts, as it should; the CSP stays as the app ships it.
 */
const NOW = new Date('2026-12-04T09:15:00+01:00');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let h: Harness;
let page: Page;
/** A family with invoices, payments and a credit note, as the demo's past left it, every child enrolled. */
let family: { id: string; name: string };

interface AxeNode {
  target: string[];
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

/** axe's violations on what is on screen now, one line per rule and element. */
async function axeViolations(): Promise<string[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    (tags) =>
      (
        window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: unknown[] }> } }
      ).axe
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .then((r) => r.violations),
    WCAG_21_AA,
  )) as AxeViolation[];
  return violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact ?? '?'}) ${n.target.join(' ')} — ${v.help}`),
  );
}

interface FocusStop {
  what: string;
  visible: boolean;
}

/**
 * Tabs from the top of the page until focus comes back round (or leaves the page), noting each element focused and
 * whether its focus shows (an outline or a box-shadow, as :focus-visible draws them). Then lists the controls on
 * screen Tab never reached: enabled buttons, links, fields, outside a composite widget (tabs, grid, listbox) one of
 * whose members was reached — such a widget is entered by Tab and walked with the arrows.
 */
async function walkWithTab(limit = 250): Promise<{ hidden: string[]; unreachable: string[]; stops: number }> {
  // Tab starts from a probe at the very top of the page, out of the Tab order itself: the walk then sees the page
  // in the order a keyboard user meets it, whatever had the focus before.
  // A modal dialog keeps the keyboard inside it: the walk starts at its top, and only its controls count.
  await page.evaluate(() => {
    const probe = document.createElement('span');
    probe.id = 'tab-walk-start';
    probe.tabIndex = -1;
    (document.querySelector('dialog[open]') ?? document.body).prepend(probe);
    probe.focus();
  });
  const stops: FocusStop[] = [];
  let first: string | null = null;
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      el.setAttribute('data-tab-seen', '');
      const s = getComputedStyle(el);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
      const shadow = s.boxShadow !== 'none' && s.boxShadow !== '';
      const label = (el.getAttribute('aria-label') ?? el.innerText ?? (el as HTMLInputElement).value ?? '')
        .trim()
        .replace(/\s+/g, ' ')
        .slice(0, 40);
      const key = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('role') ? `[role=${el.getAttribute('role')}]` : ''} « ${label} »`;
      return { what: key, visible: outline || shadow, same: el.hasAttribute('data-tab-first') };
    });
    if (!stop) break;
    if (stop.same) break;
    if (first === null) {
      first = stop.what;
      await page.evaluate(() => (document.activeElement as HTMLElement).setAttribute('data-tab-first', ''));
    }
    stops.push(stop);
  }
  const unreachable = await page.evaluate(() => {
    const composite =
      '[role=tablist],[role=grid],[role=listbox],[role=radiogroup],[role=toolbar],[role=menu],[role=tree]';
    const root = document.querySelector('dialog[open]') ?? document.body;
    const controls = root.querySelectorAll<HTMLElement>(
      'button, a[href], input:not([type=hidden]), select, textarea, [role=tab], [role=option], [role=gridcell][tabindex], [tabindex="0"]',
    );
    const out: string[] = [];
    for (const el of controls) {
      if (el.hasAttribute('data-tab-seen')) continue;
      if ((el as HTMLButtonElement).disabled) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (el.closest('[inert],[aria-hidden=true]')) continue;
      const group = el.closest(composite);
      if (group && group.querySelector('[data-tab-seen]')) continue;
      // A roving Tab stop (one row of a list in the Tab order, the arrows for the others), reached by one member.
      const roving = el.getAttribute('tabindex') === '-1' ? el.closest('table, ul, ol, nav') : null;
      if (roving && roving.querySelector('[data-tab-seen]')) continue;
      // Radio buttons: Tab reaches the group (its checked one), the arrows choose within it.
      const radio = el instanceof HTMLInputElement && el.type === 'radio' ? el.name : null;
      if (radio && document.querySelector(`input[type=radio][name="${radio}"][data-tab-seen]`)) continue;
      out.push(
        `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} « ${(el.getAttribute('aria-label') ?? el.innerText ?? '').trim().slice(0, 40)} »`,
      );
    }
    document.getElementById('tab-walk-start')?.remove();
    for (const el of document.querySelectorAll('[data-tab-seen],[data-tab-first]')) {
      el.removeAttribute('data-tab-seen');
      el.removeAttribute('data-tab-first');
    }
    return out;
  });
  return {
    hidden: stops.filter((s) => !s.visible).map((s) => s.what),
    unreachable,
    stops: stops.length,
  };
}

const findings: Record<string, { axe: string[]; hidden: string[]; unreachable: string[] }> = {};

/** Checks what is on screen now under the name `screen`: axe, then the Tab walk; a screenshot for the record. */
async function check(screen: string, options: { tab?: boolean } = {}): Promise<void> {
  await page.mouse.move(0, 0);
  const axe = await axeViolations();
  const walk = options.tab === false ? { hidden: [], unreachable: [], stops: 0 } : await walkWithTab();
  await page.screenshot({ path: join(RESULTS_DIR, `a11y-${screen}.png`), fullPage: true });
  findings[screen] = { axe, hidden: walk.hidden, unreachable: walk.unreachable };
  expect.soft({ screen, axe, focusNotShown: walk.hidden, notReachableByTab: walk.unreachable }).toEqual({
    screen,
    axe: [],
    focusNotShown: [],
    notReachableByTab: [],
  });
}

async function signIn(username: string) {
  // A test that failed half-way may have left its agent signed in.
  const other = page.getByRole('button', { name: 'Changer d’agent' });
  if (await other.isVisible()) await signOut();
  await page.getByLabel('Identifiant').fill(username);
  await page.getByLabel('Mot de passe').fill('belleval');
  await page.getByLabel('Mot de passe').press('Enter');
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.getByRole('button', { name: 'Changer d’agent' }).waitFor();
}

async function signOut() {
  await page.getByRole('button', { name: 'Changer d’agent' }).click();
  await page.getByRole('heading', { name: 'Connexion' }).waitFor();
}

async function openFamily(tab?: string) {
  await page.keyboard.press('Control+K');
  await page.keyboard.type(family.name);
  await page.getByRole('option').first().waitFor();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: `Foyer ${family.name}` }).waitFor();
  if (tab) {
    await page.getByRole('tab', { name: tab }).click();
    await page.getByRole('tabpanel').waitFor();
    // The tab's data is on screen, not its loading line.
    const loaded = {
      Inscriptions: page.getByRole('tabpanel').getByRole('table').first(),
      Réservations: page.locator('td.cell button').first(),
      Factures: page.locator('button.invoice-open').first(),
      Règlements: page.getByRole('tabpanel').getByRole('table').first(),
    }[tab];
    await loaded?.waitFor();
  }
}

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  h = await startHarness({ clock: () => NOW, demoTown: { households: 60, active: 40 } });
  const row = h.core.raw
    .prepare(
      `SELECT h.id, h.name FROM households h
         JOIN credit_notes c ON c.household_id = h.id
         JOIN payments p ON p.household_id = h.id
       -- Every child enrolled: the Réservations tab opens on a grid, whichever child it shows first.
       WHERE NOT EXISTS (SELECT 1 FROM children c WHERE c.household_id = h.id
                           AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.child_id = c.id))
       GROUP BY h.id ORDER BY count(p.id) DESC, h.name LIMIT 1`,
    )
    .get() as { id: string; name: string } | undefined;
  if (!row) throw new Error('aucune famille de démonstration avec avoir et règlements');
  family = row;
  page = await h.openApp();
}, 180_000);

afterAll(async () => {
  const listed = Object.entries(findings).filter(
    ([, f]) => f.axe.length + f.hidden.length + f.unreachable.length > 0,
  );
  if (listed.length) console.log(JSON.stringify(Object.fromEntries(listed), null, 2));
  await h?.close();
});

describe('accessibility of every screen (axe-core, WCAG 2.1 AA; keyboard and visible focus)', () => {
  it('catches what it is meant to catch: a faint text, a field without label, a focus drawn away', async () => {
    await page.evaluate(() => {
      const bad = document.createElement('div');
      bad.id = 'a11y-self-check';
      bad.innerHTML =
        '<p style="color:#bbb;background:#fff">Texte pâle</p><input type="text">' +
        '<button type="button" style="outline:none;box-shadow:none">Sans focus</button>';
      document.body.append(bad);
    });
    try {
      const axe = await axeViolations();
      expect(axe).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^color-contrast \(serious\) #a11y-self-check > p/),
          expect.stringMatching(/^label \(critical\) #a11y-self-check > input/),
        ]),
      );
      const walk = await walkWithTab();
      expect(walk.hidden).toEqual([expect.stringMatching(/^button « Sans focus »/)]);
    } finally {
      await page.evaluate(() => document.getElementById('a11y-self-check')?.remove());
    }
  });

  it('sign-in', async () => {
    await check('connexion');
  });

  it('counter agent: home, search, family file and its tabs, new household, requests, À régulariser', async () => {
    await signIn('accueil');
    await check('accueil');
    await page.keyboard.press('Control+K');
    await page.keyboard.type('mar');
    await page.getByRole('option').first().waitFor();
    // The results are walked with the arrows from the search field (a combobox): Tab would leave and close them.
    await check('recherche', { tab: false });
    await page.keyboard.press('Escape');

    await openFamily();
    await check('dossier');
    // The Dossier's sections in edit: household, a child, a new QF (its fields, its errors once sent empty).
    await page.getByRole('button', { name: /^Modifier le foyer/ }).click();
    await check('dossier-foyer-modification');
    await page.getByRole('button', { name: 'Annuler' }).click();
    await page
      .getByRole('region', { name: /^Enfants/ })
      .getByRole('button', { name: /^Modifier/ })
      .first()
      .click();
    await check('dossier-enfant-modification');
    await page.getByRole('button', { name: 'Annuler' }).click();
    await page.getByRole('button', { name: 'Ajouter un QF' }).click();
    await page
      .getByRole('form', { name: 'Ajouter un quotient familial' })
      .locator('button[type=submit]')
      .click();
    await page.locator('[aria-invalid="true"]').first().waitFor();
    await check('dossier-qf-erreurs');
    await page.getByRole('button', { name: 'Annuler' }).click();

    await openFamily('Inscriptions');
    await check('inscriptions');
    await openFamily('Réservations');
    await check('reservations');
    // A day put in the basket, then the period view.
    await page.locator('td.cell button[aria-pressed]').last().click();
    await page.getByTestId('basket-summary').waitFor();
    await check('reservations-panier');
    await page.getByRole('button', { name: 'Vue période' }).click();
    await check('reservations-periode');
    // The whole family on one week: several grids, each with its own caption and cell descriptions.
    await page.getByRole('button', { name: 'Tout le foyer' }).click();
    await page.getByRole('grid').first().waitFor();
    expect(await page.getByRole('grid').count()).toBeGreaterThan(1);
    await check('reservations-foyer');
    await openFamily('Factures');
    await check('factures');
    await page.locator('button.invoice-open').first().click();
    await page.getByTestId('invoice-detail').waitFor();
    await check('facture-detail');
    await openFamily('Règlements');
    await check('reglements');
    await page.keyboard.press('Alt+E');
    await page.getByRole('form', { name: 'Encaisser un paiement' }).waitFor();
    await check('encaissement');

    await page.keyboard.press('Alt+N');
    await page.getByRole('heading', { name: /Nouveau foyer/ }).waitFor();
    await page.getByRole('button', { name: /Créer le foyer/ }).click();
    await page.locator('[aria-invalid="true"]').first().waitFor();
    await check('nouveau-foyer-erreurs');

    await page.keyboard.press('Alt+D');
    await page.getByRole('heading', { name: /Demandes/, level: 1 }).waitFor();
    await check('demandes');
    await page.locator('button.request-open').first().click();
    await page.getByTestId('request-detail').waitFor();
    await check('demande-detail');

    await page.getByRole('button', { name: 'À régulariser' }).click();
    await page.getByRole('heading', { name: /régulariser/i, level: 1 }).waitFor();
    await check('a-regulariser');

    await page.keyboard.press('F1');
    await page.getByRole('dialog').waitFor();
    await check('aide');
    await page.keyboard.press('Escape');

    await page.keyboard.press('Control+L');
    await page.getByLabel('Mot de passe').waitFor();
    await check('verrouillage');
    await page.getByLabel('Mot de passe').fill('belleval');
    await page.getByLabel('Mot de passe').press('Enter');
    await page.getByRole('button', { name: 'Changer d’agent' }).waitFor();
    await signOut();
  });

  it('régisseur: home, month run, unpaid, till, deposit slip, collection report', async () => {
    await signIn('regie');
    // Each role has its own home page and top bar (navigation table): each is checked.
    await check('accueil-regisseur');
    await openFamily('Factures');
    await page.locator('button.invoice-open').first().click();
    await page.getByRole('button', { name: 'Avoir…' }).click();
    await page.getByRole('form').last().waitFor();
    await check('avoir');
    await page.keyboard.press('Alt+F');
    await page.getByRole('heading', { name: 'Facturation', level: 1 }).waitFor();
    await check('facturation');
    await page.getByRole('tab', { name: 'Impayés' }).click();
    await check('impayes');
    await page.getByRole('tab', { name: 'Facturation du mois' }).click();
    // November is invoiced already: December so far shows a preview with every family.
    await page.getByLabel('Mois facturé').fill('12/2026');
    await page.getByRole('button', { name: 'Aperçu' }).click();
    await page.getByTestId('run-preview').waitFor();
    await check('facturation-apercu');
    await page.keyboard.press('Alt+C');
    await page.getByRole('heading', { name: 'Caisse', level: 1 }).waitFor();
    await check('caisse');
    await page
      .getByRole('form', { name: 'État récapitulatif' })
      .getByRole('button', { name: 'Afficher' })
      .click();
    await page.getByRole('button', { name: 'Exporter en CSV' }).waitFor();
    await check('etat-recapitulatif');
    const opening = page.getByRole('form', { name: 'Ouvrir la caisse' });
    await opening.getByLabel('Fonds de caisse (€)').fill('150,00');
    await opening.getByLabel('Fonds de caisse (€)').press('Enter');
    await page.getByTestId('till-session').waitFor();
    await check('caisse-ouverte');
    // A cheque taken this morning, for the slip the régisseur makes (the demo's last one may have taken them all).
    await h.call('payment.record', {
      householdId: family.id,
      mode: 'cheque',
      amountCents: 2_000,
      cheque: { number: '7654321', bank: 'La Banque Postale', drawer: 'M. Test', payeeChecked: true },
      allocations: [],
    });
    await page.keyboard.press('Alt+F');
    await page.keyboard.press('Alt+C');
    // The régisseur chooses the cheques that go on the slip; the cheques' list is a screen checked too.
    await page.getByTestId('deposit-slip').getByRole('checkbox', { name: 'Tout sélectionner' }).check();
    await page.getByRole('button', { name: 'Créer le bordereau' }).click();
    await page
      .getByText(/^Bordereau n° BOR-/)
      .first()
      .waitFor();
    await check('bordereau');
    await page
      .getByRole('button', { name: /^Clôturer/ })
      .first()
      .click();
    await page.getByRole('form', { name: 'Clôturer la caisse' }).waitFor();
    await check('caisse-cloture');
    await signOut();
  });

  it('holiday-centre staff: home, attendance, health notes', async () => {
    await signIn('alsh');
    await check('accueil-alsh');
    await page.keyboard.press('Alt+P');
    await page.getByRole('heading', { name: 'Feuille de pointage', level: 1 }).waitFor();
    await page.getByRole('table').first().waitFor();
    await check('pointage');
    await page.getByRole('button', { name: 'Jour précédent' }).click();
    await page.getByRole('heading', { name: /jeudi 3 décembre 2026/ }).waitFor();
    await check('pointage-hier');
    await openFamily();
    await page
      .getByRole('button', { name: /^Afficher les informations de santé/ })
      .first()
      .click();
    await page
      .getByRole('button', { name: /^Masquer/ })
      .first()
      .waitFor();
    await check('dossier-sante');
    await signOut();
  });

  it('administrator: home, every section of the settings', async () => {
    await signIn('admin');
    await check('accueil-admin');
    await page.getByRole('banner').getByRole('button', { name: 'Paramètres' }).click();
    await page.getByRole('heading', { name: 'Paramètres', level: 1 }).waitFor();
    const parts = await page
      .getByRole('navigation', { name: 'Parties des paramètres' })
      .getByRole('button')
      .allInnerTexts();
    for (const part of parts) {
      await page
        .getByRole('navigation', { name: 'Parties des paramètres' })
        .getByRole('button', { name: part })
        .click();
      await check(`parametres-${part.toLowerCase().replace(/[^a-z]+/g, '-')}`);
    }
  });
});
