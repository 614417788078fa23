import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { CANTEEN } from '../bookings/test-fixtures.ts';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { DeadlinesForm } from './deadlines-form.tsx';

const CANTEEN_RULE = {
  kind: 'weekdayOfPreviousWeek' as const,
  byWeekday: {
    '1': { weekday: 4 as const, weeksBefore: 1 },
    '2': { weekday: 4 as const, weeksBefore: 1 },
    '4': { weekday: 1 as const, weeksBefore: 0 },
    '5': { weekday: 1 as const, weeksBefore: 0 },
  },
};
const activity = {
  ...CANTEEN,
  settings: { ...CANTEEN.settings, bookingDeadline: CANTEEN_RULE, cancelDeadline: CANTEEN_RULE },
};

describe('DeadlinesForm', () => {
  it('shows the canteen rule as weekdays, and saves a changed rule with the rest of the activity unchanged', async () => {
    const { api, calls } = fakeCounter({
      'admin.saveActivity': () => ({ ok: true, data: { activityId: activity.id, unitIds: {} } }),
    });
    const onDone = vi.fn();
    renderWithCounter(<DeadlinesForm activity={activity} sort={1} onDone={onDone} />, api);
    const form = within(screen.getByRole('form', { name: 'Délais de Restauration scolaire' }));
    expect((form.getByLabelText('Jour limite (service du lundi)') as HTMLSelectElement).value).toBe('4');
    expect((form.getByLabelText('Semaine (service du jeudi)') as HTMLSelectElement).value).toBe('0');
    expect((form.getByLabelText('Même règle pour l’annulation') as HTMLInputElement).checked).toBe(true);

    // Thursday's meal now closes on the Tuesday before, at noon.
    fireEvent.change(form.getByLabelText('Jour limite (service du jeudi)'), { target: { value: '2' } });
    fireEvent.change(form.getByLabelText('Heure limite'), { target: { value: '12:00' } });
    fireEvent.click(form.getByLabelText('Même règle pour l’annulation'));
    fireEvent.change(
      within(screen.getByRole('group', { name: 'Délai d’annulation (familles)' })).getByLabelText('Règle'),
      {
        target: { value: 'hoursBefore' },
      },
    );
    fireEvent.click(form.getByRole('button', { name: 'Enregistrer' }));

    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(calls[0]).toEqual({
      name: 'admin.saveActivity',
      input: {
        activityId: activity.id,
        code: 'cantine',
        name: 'Restauration scolaire',
        kind: 'canteen',
        sort: 1,
        settings: {
          ...activity.settings,
          bookingDeadline: {
            kind: 'weekdayOfPreviousWeek',
            byWeekday: { ...CANTEEN_RULE.byWeekday, '4': { weekday: 2, weeksBefore: 0 } },
            time: '12:00',
          },
          cancelDeadline: { kind: 'hoursBefore', hours: 48 },
        },
        units: [{ unitId: CANTEEN.units[0]!.id, code: 'meal', label: 'Repas', weekdays: [1, 2, 4, 5] }],
        siteIds: [CANTEEN.sites[0]!.id],
        groups: [],
      },
    });
  });

  it('checks an hour before sending', async () => {
    const { api, calls } = fakeCounter({});
    renderWithCounter(<DeadlinesForm activity={activity} sort={1} onDone={() => {}} />, api);
    const form = within(screen.getByRole('form', { name: 'Délais de Restauration scolaire' }));
    fireEvent.change(form.getByLabelText('Heure limite'), { target: { value: '25:00' } });
    fireEvent.click(form.getByRole('button', { name: 'Enregistrer' }));
    await waitFor(() =>
      expect(form.getByLabelText('Heure limite').getAttribute('aria-invalid')).toBe('true'),
    );
    expect(calls.map((c) => c.name)).not.toContain('admin.saveActivity');
  });
});
