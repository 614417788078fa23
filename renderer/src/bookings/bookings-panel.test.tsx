import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { BookingsPanel } from './bookings-panel.tsx';
import { CANTEEN, ENROLMENTS, FILE, TODAY, gridCells, previewOf } from './test-fixtures.ts';

function setup() {
  const booked = new Set<string>();
  const fake = fakeCounter({
    'enrolment.list': () => ({ ok: true, data: ENROLMENTS }),
    'activities.list': () => ({ ok: true, data: [CANTEEN] }),
    'booking.grid': (input) => ({
      ok: true,
      data: {
        activity: { id: CANTEEN.id, name: CANTEEN.name, granularity: 'day' },
        units: [{ code: 'meal', label: 'Repas' }],
        cells: gridCells(input.from, input.to, booked),
      },
    }),
    'booking.preview': (input) => ({ ok: true, data: previewOf(input) }),
    'booking.book': (input) => {
      const plan = previewOf(input);
      for (const d of plan.accepted) booked.add(d.date);
      return { ok: true, data: { ...plan, invoice: null } };
    },
  });
  renderWithCounter(<BookingsPanel file={FILE} />, fake.api, { clock: { today: TODAY } });
  return fake;
}

const cell = (name: RegExp) => screen.getByRole('button', { name });
const basket = () => within(screen.getByRole('region', { name: /^Panier/ }));

describe('the week grid', () => {
  it('moves between cells with the arrows and toggles them in the basket with Espace and Entrée', async () => {
    setup();
    const grid = await screen.findByRole('grid', { name: /Zoé — Restauration scolaire/ });
    // Four weeks from the week of today, Monday to Friday, one line per unit.
    expect(
      within(grid)
        .getAllByRole('rowheader')
        .map((h) => h.textContent),
    ).toEqual([
      'Semaine du 30/11/2026',
      'Repas',
      'Semaine du 07/12/2026',
      'Repas',
      'Semaine du 14/12/2026',
      'Repas',
      'Semaine du 21/12/2026',
      'Repas',
    ]);
    const friday = await screen.findByRole('button', {
      name: /^Repas, vendredi 4 décembre 2026 : Hors délai/,
    });
    // The past days come first in the grid, but only one cell is in the Tab order.
    const monday30 = cell(/^Repas, lundi 30 novembre 2026 : Non réservable/);
    expect(monday30.tabIndex).toBe(0);
    expect(friday.tabIndex).toBe(-1);
    // A late cell says so in words and shows its surcharged price; its reason is its description.
    expect(friday.textContent).toBe('Hors délai 3,30\u00a0€ majoré 3 places');
    expect(friday.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(friday.getAttribute('aria-describedby')!)!.textContent).toContain(
      'réservation close depuis le jeudi 3 décembre 2026 à 23 h 59',
    );

    monday30.focus();
    fireEvent.keyDown(monday30, { key: 'End' });
    expect(document.activeElement).toBe(friday);
    fireEvent.keyDown(friday, { key: 'ArrowDown' });
    const friday11 = cell(/^Repas, vendredi 11 décembre 2026/);
    expect(document.activeElement).toBe(friday11);
    fireEvent.keyDown(friday11, { key: 'ArrowLeft' });
    const thursday10 = cell(/^Repas, jeudi 10 décembre 2026 : Réservable/);
    expect(document.activeElement).toBe(thursday10);
    expect(thursday10.tabIndex).toBe(0);
    fireEvent.keyDown(thursday10, { key: 'ArrowLeft' }); // Wednesday: no canteen, skipped
    expect(document.activeElement).toBe(cell(/^Repas, mardi 8 décembre 2026/));

    fireEvent.keyDown(document.activeElement!, { key: ' ' });
    fireEvent.keyDown(thursday10, { key: 'Enter' });
    expect(
      cell(
        /^Repas, mardi 8 décembre 2026 : Hors délai, 3,30\s€ majoré, 3 places, \+ ajout demandé$/,
      ).getAttribute('aria-pressed'),
    ).toBe('true');
    expect(thursday10.getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(basket().getAllByTestId('basket-line')).toHaveLength(2));
    expect(
      basket()
        .getAllByTestId('basket-line')
        .map((l) => l.textContent),
    ).toEqual([
      'mar. 08/12Repas3,30\u00a0€hors délaiajout hors délai : +50 % (prix de base 2,20\u00a0€)',
      'jeu. 10/12Repas2,20\u00a0€',
    ]);

    // A second press takes the day out again.
    fireEvent.keyDown(thursday10, { key: ' ' });
    expect(thursday10.getAttribute('aria-pressed')).toBe('false');
    await waitFor(() => expect(basket().getAllByTestId('basket-line')).toHaveLength(1));

    // Past the last week shown, ↓ moves the weeks on and keeps the keyboard on the grid.
    const friday25 = cell(/^Repas, vendredi 25 décembre 2026/);
    friday25.focus();
    fireEvent.keyDown(friday25, { key: 'ArrowDown' });
    await waitFor(() =>
      expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^Repas, vendredi 1 janvier 2027/),
    );
    expect(within(grid).getAllByRole('rowheader')[0]!.textContent).toBe('Semaine du 07/12/2026');
  });
});

describe('the basket', () => {
  it('asks for a reason before validating a day past the deadline, then books with it', async () => {
    const { calls } = setup();
    fireEvent.click(
      await screen.findByRole('button', { name: /^Repas, vendredi 4 décembre 2026 : Hors délai/ }),
    );
    fireEvent.click(cell(/^Repas, lundi 14 décembre 2026 : Réservable/));
    await waitFor(() =>
      expect(basket().getByTestId('basket-summary').textContent).toContain('À réserver : 2 jours, 5,50'),
    );
    expect(basket().getByTestId('basket-summary').textContent).toContain('dont 1 hors délai, majorés');
    // The preview is asked as the staff override it will be, so the surcharge shows before validating.
    expect(calls.find((c) => c.name === 'booking.preview')?.input).toMatchObject({
      origin: 'counter',
      overrideReason: expect.any(String),
    });

    fireEvent.click(basket().getByRole('button', { name: /Valider le panier/ }));
    const reason = basket().getByRole('textbox', { name: 'Motif du hors délai' });
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    expect(reason.getAttribute('aria-required')).toBe('true');
    expect(document.activeElement).toBe(reason);
    expect(basket().getByText('Motif obligatoire : 1 jour hors délai.')).toBeTruthy();
    expect(screen.getByTestId('live-region').textContent).toBe('Motif obligatoire : 1 jour hors délai.');
    expect(calls.some((c) => c.name === 'booking.book')).toBe(false);

    fireEvent.change(reason, { target: { value: 'oubli signalé par la mère' } });
    fireEvent.keyDown(window, { key: 'v', code: 'KeyV', altKey: true });
    await waitFor(() =>
      expect(basket().getByTestId('basket-result').textContent).toContain(
        'Panier validé : 2 réservations enregistrées (dont 1 hors délai).',
      ),
    );
    expect(calls.filter((c) => c.name === 'booking.book').map((c) => c.input)).toEqual([
      {
        childId: FILE.children[0]!.id,
        activityId: CANTEEN.id,
        siteId: CANTEEN.sites[0]!.id,
        unitCodes: ['meal'],
        selection: { kind: 'days', dates: ['2026-12-04', '2026-12-14'] },
        origin: 'counter',
        overrideReason: 'oubli signalé par la mère',
      },
    ]);
    // The grid is asked again and shows the days booked.
    await screen.findByRole('button', { name: /^Repas, lundi 14 décembre 2026 : Réservé/ });
    expect(basket().queryByRole('list', { name: 'Changements demandés' })).toBeNull();
  });

  it('lists every day of a period, refused ones with their reason', async () => {
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Vue période' }));
    const form = screen.getByRole('form', { name: 'Réserver une période' });
    fireEvent.change(within(form).getByLabelText('Du'), { target: { value: '21/12/2026' } });
    fireEvent.change(within(form).getByLabelText('Au'), { target: { value: '25/12/2026' } });
    fireEvent.click(within(form).getByLabelText('mardi'));
    fireEvent.click(within(form).getByRole('button', { name: 'Ajouter au panier' }));
    await waitFor(() => expect(basket().getAllByTestId('basket-line')).toHaveLength(3));
    expect(
      basket().getByRole('button', {
        name: 'Retirer Réserver du 21/12/2026 au 25/12/2026, lun., jeu., ven. · Repas (Zoé — Restauration scolaire, Groupe scolaire Jean Jaurès)',
      }),
    ).toBeTruthy();
    expect(
      basket()
        .getAllByTestId('basket-line')
        .map((l) => l.textContent),
    ).toEqual([
      'lun. 21/12Repas2,20\u00a0€',
      'jeu. 24/12Repas2,20\u00a0€',
      'ven. 25/12Repasrefuséjour férié : Noël',
    ]);
    expect(basket().getByTestId('basket-summary').textContent).toContain('Refusés : 1 jour.');
    // No day past the deadline: no reason asked.
    expect(basket().queryByRole('textbox', { name: 'Motif du hors délai' })).toBeNull();
  });
});
