import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { CreateHousehold } from './create-household.tsx';

const type = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });

/** The text of what the field's aria-describedby points at. */
const describedText = (el: HTMLElement) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent)
    .join(' ');

function fillValidFamily() {
  type(screen.getByRole('textbox', { name: 'Nom du foyer' }), 'Lefèvre');
  const g1 = screen.getByRole('group', { name: 'Responsable 1' });
  fireEvent.change(within(g1).getByRole('combobox', { name: 'Civilité' }), { target: { value: 'Mme' } });
  type(within(g1).getByRole('textbox', { name: 'Prénom' }), 'Sophie');
  const c1 = screen.getByRole('group', { name: 'Enfant 1' });
  type(within(c1).getByRole('textbox', { name: 'Prénom' }), 'Zoé');
  type(within(c1).getByRole('textbox', { name: 'Date de naissance' }), '14/03/2018');
  fireEvent.click(screen.getByRole('button', { name: 'Ajouter un enfant' }));
  const c2 = screen.getByRole('group', { name: 'Enfant 2' });
  type(within(c2).getByRole('textbox', { name: 'Prénom' }), 'Noé');
  type(within(c2).getByRole('textbox', { name: 'Date de naissance' }), '2/9/2030');
  return { c1, c2 };
}

describe('CreateHousehold', () => {
  it('checks required fields before sending anything, in French, beside each field', async () => {
    const { api, calls } = fakeCounter({});
    renderWithCounter(<CreateHousehold onCreated={() => {}} onCancel={() => {}} />, api);
    const name = screen.getByRole('textbox', { name: 'Nom du foyer' });
    expect(document.activeElement).toBe(name);

    fireEvent.keyDown(name, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(describedText(name)).toBe('Obligatoire.'));
    expect(name.getAttribute('aria-invalid')).toBe('true');
    const birth = within(screen.getByRole('group', { name: 'Enfant 1' })).getByRole('textbox', {
      name: 'Date de naissance',
    });
    expect(describedText(birth)).toBe('Obligatoire.');
    expect(describedText(screen.getByRole('combobox', { name: 'Civilité' }))).toBe('Choisissez M. ou Mme.');
    expect(calls).toEqual([]);
    expect(document.activeElement).toBe(name);

    type(birth, '31/02/2019');
    fireEvent.keyDown(name, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(describedText(birth)).toBe('Date invalide : saisissez jj/mm/aaaa.'));
  });

  it('puts the core’s message beside the field it names, and keeps everything typed', async () => {
    const message = 'Champ « date de naissance (enfants, deuxième) » : date de naissance dans le futur.';
    const { api, calls } = fakeCounter({
      'family.createHousehold': () => ({
        ok: false,
        error: { code: 'VALIDATION', message, field: 'children.1.birthDate' },
      }),
    });
    const onCreated = vi.fn();
    renderWithCounter(<CreateHousehold onCreated={onCreated} onCancel={() => {}} />, api);
    const { c1, c2 } = fillValidFamily();

    fireEvent.click(screen.getByRole('button', { name: 'Créer le foyer' }));
    const birth2 = within(c2).getByRole('textbox', { name: 'Date de naissance' });
    await waitFor(() => expect(describedText(birth2)).toBe(message));
    expect(birth2.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(birth2);
    expect(describedText(within(c1).getByRole('textbox', { name: 'Date de naissance' }))).toBe('');
    expect(screen.getByTestId('live-region').textContent).toBe(message);
    expect(onCreated).not.toHaveBeenCalled();

    // What was sent: ISO dates, the family name carried over, and nothing lost on screen.
    expect(calls[0]?.input).toMatchObject({
      name: 'Lefèvre',
      guardians: [{ rank: 1, civility: 'Mme', lastName: 'Lefèvre', firstName: 'Sophie', mayPickUp: true }],
      children: [
        { firstName: 'Zoé', lastName: 'Lefèvre', birthDate: '2018-03-14' },
        { firstName: 'Noé', lastName: 'Lefèvre', birthDate: '2030-09-02' },
      ],
      qf: null,
    });
    expect((screen.getByRole('textbox', { name: 'Nom du foyer' }) as HTMLInputElement).value).toBe('Lefèvre');
    expect((birth2 as HTMLInputElement).value).toBe('2/9/2030');

    // Typing in the field clears its message.
    type(birth2, '02/09/2020');
    expect(describedText(birth2)).toBe('');
  });

  it('shows a refusal naming no visible field below the form', async () => {
    const { api } = fakeCounter({
      'family.createHousehold': () => ({
        ok: false,
        error: { code: 'CONFLICT', message: 'Ce foyer existe déjà.', field: 'householdId' },
      }),
    });
    renderWithCounter(<CreateHousehold onCreated={() => {}} onCancel={() => {}} />, api);
    fillValidFamily();
    fireEvent.click(screen.getByRole('button', { name: 'Créer le foyer' }));
    expect(await screen.findByText('Ce foyer existe déjà.', { selector: '.form-error' })).toBeTruthy();
  });

  it('opens the new family once created', async () => {
    const { api } = fakeCounter({
      'family.createHousehold': () => ({ ok: true, data: { householdId: '0190-new' } }),
    });
    const onCreated = vi.fn();
    renderWithCounter(<CreateHousehold onCreated={onCreated} onCancel={() => {}} />, api);
    const { c2 } = fillValidFamily();
    type(within(c2).getByRole('textbox', { name: 'Date de naissance' }), '02/09/2020');
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Nom du foyer' }), { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith('0190-new'));
  });

  it('proposes the town’s month for a new QF, from the core’s today rather than the PC’s date', () => {
    // New Year's Day in the town, while a PC set to Guyane's zone (or UTC) still reads 31 December.
    const { api } = fakeCounter({});
    renderWithCounter(<CreateHousehold onCreated={() => {}} onCancel={() => {}} />, api, {
      clock: { today: '2027-01-01', now: () => new Date('2026-12-31T23:30:00Z') },
    });
    const qf = screen.getByRole('group', { name: 'Quotient familial (facultatif)' });
    expect((within(qf).getByRole('textbox', { name: 'Mois d’effet' }) as HTMLInputElement).value).toBe(
      '01/2027',
    );
  });
});
