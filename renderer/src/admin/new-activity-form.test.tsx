import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { codeFromName } from './new-activity-defaults.ts';
import { NewActivityForm } from './new-activity-form.tsx';

const SITE = '00000000-0000-4000-8000-0000000000a1';
const sites = () => ({
  ok: true as const,
  data: {
    sites: [{ id: SITE, name: 'Centre de loisirs Les Tilleuls', address: '' }],
    closures: [],
  },
});

function open(handlers: Parameters<typeof fakeCounter>[0] = {}) {
  const { api, calls } = fakeCounter({ 'admin.sites': sites, ...handlers });
  const onDone = vi.fn();
  renderWithCounter(<NewActivityForm sort={8} onDone={onDone} onCancel={() => {}} />, api);
  const form = within(screen.getByRole('form', { name: 'Nouvelle activité' }));
  const value = (label: string) => (form.getByLabelText(label) as HTMLInputElement).value;
  const checked = (label: string) => (form.getByLabelText(label) as HTMLInputElement).checked;
  const type = (label: string, v: string) =>
    fireEvent.change(form.getByLabelText(label), { target: { value: v } });
  const saves = () => calls.filter((c) => c.name === 'admin.saveActivity');
  return { form, value, checked, type, saves, onDone };
}

describe('NewActivityForm', () => {
  it('starts each kind as the town runs it: units, weekdays, deadline, payment', async () => {
    const { form, value, checked, type } = open();
    // A Wednesday activity by default: one day unit on Wednesdays, 5 working days before.
    expect(value('Type d’activité')).toBe('wednesday');
    expect(value('Nom de l’unité 1')).toBe('Journée');
    expect(checked('mercredi (unité 1)')).toBe(true);
    expect(checked('lundi (unité 1)')).toBe(false);
    expect(value('Règle')).toBe('workingDaysBefore');
    expect(value('Jours ouvrés avant')).toBe('5');

    type('Type d’activité', 'care');
    expect(value('Nom de l’unité 1')).toBe('Matin');
    expect(value('Nom de l’unité 2')).toBe('Soir');
    expect(checked('jeudi (unité 2)')).toBe(true);
    expect(checked('mercredi (unité 2)')).toBe(false);
    expect(value('Règle')).toBe('hoursBefore');
    expect(value('Heures avant le jour')).toBe('48');
    expect(value('Paiement')).toBe('monthly');

    type('Type d’activité', 'holiday_centre');
    expect(value('Jours de fonctionnement')).toBe('holidays');
    expect(value('Réservation')).toBe('week');
    expect(value('Paiement')).toBe('atBooking');
    expect(checked('Semaine entière, repas compris, sur un seul site')).toBe(true);
    expect(form.queryByLabelText('Nom de l’unité 2')).toBeNull();

    // Booked by enrolment: no deadline to set, a group to name instead.
    type('Type d’activité', 'sports_school');
    expect(form.queryByLabelText('Règle')).toBeNull();
    expect(checked('Forfait : facturé que l’enfant vienne ou non')).toBe(true);
    expect(form.getByLabelText('Nom du groupe 1')).toBeTruthy();
    await waitFor(() => expect(form.getByLabelText('Centre de loisirs Les Tilleuls')).toBeTruthy());
  });

  it('proposes the code from the name until one is typed, and creates the activity', async () => {
    const { form, value, type, saves, onDone } = open({
      'admin.saveActivity': () => ({ ok: true, data: { activityId: 'new-id', unitIds: {} } }),
    });
    type('Nom', 'Stage multisport d’été');
    expect(value('Code')).toBe('stage-multisport-d-ete');
    type('Code', 'multisport');
    type('Nom', 'Stage multisport');
    expect(value('Code')).toBe('multisport');
    fireEvent.click(form.getByLabelText('vendredi (unité 1)'));
    fireEvent.click(await form.findByLabelText('Centre de loisirs Les Tilleuls'));
    fireEvent.click(form.getByRole('button', { name: 'Créer l’activité' }));

    await waitFor(() => expect(onDone).toHaveBeenCalledWith('new-id'));
    expect(saves()).toEqual([
      {
        name: 'admin.saveActivity',
        input: {
          code: 'multisport',
          name: 'Stage multisport',
          kind: 'wednesday',
          sort: 8,
          settings: {
            calendar: 'school',
            granularity: 'day',
            payment: 'monthly',
            bookingDeadline: { kind: 'workingDaysBefore', days: 5 },
            cancelDeadline: { kind: 'workingDaysBefore', days: 5 },
            lateAdd: { kind: 'add', cents: 300 },
            unbookedPresence: { kind: 'add', cents: 1000 },
            lateCancellationBilled: true,
            unjustifiedAbsenceBilled: true,
            flatFee: false,
            wholeWeekOneSite: false,
          },
          units: [{ code: 'day', label: 'Journée', weekdays: [3, 5] }],
          siteIds: [SITE],
          groups: [],
        },
      },
    ]);
  });

  it('shows each mistake beside its field and sends nothing, then the core’s refusal beside the code', async () => {
    const { form, type, saves } = open({
      'admin.saveActivity': () => ({
        ok: false,
        error: { code: 'CONFLICT', message: 'Une autre activité porte déjà ce code.', field: 'code' },
      }),
    });
    type('Type d’activité', 'sports_school');
    expect(form.queryByText('Cochez au moins un site.')).toBeNull();
    type('Code', 'École!');
    fireEvent.click(form.getByRole('button', { name: 'Créer l’activité' }));
    const invalid = (label: string) => form.getByLabelText(label).getAttribute('aria-invalid');
    await waitFor(() => expect(invalid('Nom')).toBe('true'));
    expect(invalid('Code')).toBe('true');
    expect(invalid('Nom du groupe 1')).toBe('true');
    expect(form.getByText('Code invalide', { exact: false }).textContent).toMatch(/lettres minuscules/);
    expect(form.getByText('Cochez au moins un site.')).toBeTruthy();
    expect(saves()).toEqual([]);

    type('Nom', 'École des sports');
    type('Code', 'ecole-sports');
    type('Nom du groupe 1', 'Judo 6–8 ans');
    type('Places du groupe 1', '12');
    fireEvent.click(await form.findByLabelText('Centre de loisirs Les Tilleuls'));
    fireEvent.click(form.getByRole('button', { name: 'Créer l’activité' }));
    await waitFor(() => expect(invalid('Code')).toBe('true'));
    expect(form.getByText('Une autre activité porte déjà ce code.')).toBeTruthy();
    expect(invalid('Nom')).toBeNull();
    expect(saves()).toHaveLength(1);
    expect(saves()[0]?.input).toMatchObject({ groups: [{ name: 'Judo 6–8 ans', places: 12 }] });
  });

  it('turns names into codes the core accepts', () => {
    expect(codeFromName('  Accueil du soir — Œuvre ')).toBe('accueil-du-soir-oeuvre');
    expect(codeFromName('Stage multisport des vacances de printemps 2027')).toBe(
      'stage-multisport-des-vacances',
    );
  });
});
