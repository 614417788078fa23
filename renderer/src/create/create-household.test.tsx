import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ErrorBody, FieldIssue } from '../../../core/api/envelope.ts';
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
  type(within(c2).getByRole('textbox', { name: 'Date de naissance' }), '2/9/2020');
  return { c1, c2 };
}

/** A refusal as the core words it (core/api/validation.ts): every faulty field, its label and its message. */
function coreRefusal(fields: FieldIssue[]): ErrorBody {
  const said = fields.map((f) => `« ${f.label} » : ${f.message.slice(0, -1).toLowerCase()}`);
  return {
    code: 'VALIDATION',
    message: `${fields.length} champs à corriger — ${said.join(' ; ')}.`,
    field: fields[0]?.field,
    fields,
  };
}

const POSTAL_CODE = {
  field: 'postalCode',
  label: 'code postal',
  message: 'Code postal invalide (5 chiffres).',
};
const EMAIL = { field: 'email', label: 'e-mail', message: 'Adresse e-mail invalide.' };
const PHONE = {
  field: 'phoneMobile',
  label: 'téléphone portable',
  message: 'Numéro de téléphone invalide (10 chiffres).',
};

/** Five mistakes: two the form sees itself (name, date), three only the core knows (postal code, e-mail, phone). */
function fillFiveMistakes() {
  const g1 = screen.getByRole('group', { name: 'Responsable 1' });
  fireEvent.change(within(g1).getByRole('combobox', { name: 'Civilité' }), { target: { value: 'Mme' } });
  type(within(g1).getByRole('textbox', { name: 'Nom' }), 'Lefèvre');
  type(within(g1).getByRole('textbox', { name: 'Prénom' }), 'Sophie');
  const c1 = screen.getByRole('group', { name: 'Enfant 1' });
  type(within(c1).getByRole('textbox', { name: 'Prénom' }), 'Zoé');
  type(within(c1).getByRole('textbox', { name: 'Nom' }), 'Lefèvre');
  type(within(c1).getByRole('textbox', { name: 'Date de naissance' }), '31/02/2019');
  const household = screen.getByRole('group', { name: 'Foyer' });
  type(within(household).getByRole('textbox', { name: 'Code postal' }), '4500');
  type(within(household).getByRole('textbox', { name: 'E-mail du foyer' }), 'sophie.lefevre@');
  type(within(household).getByRole('textbox', { name: 'Téléphone portable' }), '06 12 34');
  return {
    name: screen.getByRole('textbox', { name: 'Nom du foyer' }),
    postalCode: within(household).getByRole('textbox', { name: 'Code postal' }),
    email: within(household).getByRole('textbox', { name: 'E-mail du foyer' }),
    phone: within(household).getByRole('textbox', { name: 'Téléphone portable' }),
    birth: within(c1).getByRole('textbox', { name: 'Date de naissance' }),
  };
}

describe('CreateHousehold', () => {
  it('shows all five mistakes of a new household after one click, each beside its field, saving nothing', async () => {
    const { api, calls } = fakeCounter({
      // The core's view of what the form sends: the form sends an unreadable date as '' and sees it itself.
      'contract.check': () => ({
        ok: true,
        data: {
          error: coreRefusal([
            { field: 'name', label: 'nom du foyer', message: 'Obligatoire.' },
            POSTAL_CODE,
            EMAIL,
            PHONE,
            {
              field: 'children.0.birthDate',
              label: 'date de naissance (enfants, premier)',
              message: 'Date invalide (jj/mm/aaaa).',
            },
          ]),
        },
      }),
    });
    renderWithCounter(<CreateHousehold onCreated={() => {}} onCancel={() => {}} />, api);
    const f = fillFiveMistakes();

    fireEvent.click(screen.getByRole('button', { name: 'Créer le foyer' }));
    await waitFor(() => expect(describedText(f.postalCode)).toBe('Code postal invalide (5 chiffres).'));
    expect(describedText(f.name)).toBe('Obligatoire.');
    expect(describedText(f.email)).toBe('Adresse e-mail invalide.');
    expect(describedText(f.phone)).toBe('Numéro de téléphone invalide (10 chiffres).');
    // The form's own word wins where both fault the field: it speaks of what was typed.
    expect(describedText(f.birth)).toBe('Date invalide : saisissez jj/mm/aaaa.');
    for (const field of Object.values(f)) expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(document.querySelectorAll('[aria-invalid="true"]')).toHaveLength(5);
    expect(document.activeElement).toBe(f.name);
    expect(
      screen.getByText('Saisie à compléter : 5 champs à corriger.', { selector: '.form-error' }),
    ).toBeTruthy();
    // The core was asked, nothing was sent to be saved.
    expect(calls.map((c) => c.name)).toEqual(['contract.check']);
    expect(calls[0]?.input).toMatchObject({
      operation: 'family.createHousehold',
      input: { postalCode: '4500' },
    });

    // Correcting one field clears its message only.
    type(f.postalCode, '45000');
    expect(describedText(f.postalCode)).toBe('');
    expect(f.postalCode.getAttribute('aria-invalid')).toBeNull();
    expect(describedText(f.email)).toBe('Adresse e-mail invalide.');
  });

  it('puts every field a refusal of the core lists beside its field, in one round', async () => {
    const { api } = fakeCounter({
      'family.createHousehold': () => ({ ok: false, error: coreRefusal([POSTAL_CODE, EMAIL, PHONE]) }),
    });
    renderWithCounter(<CreateHousehold onCreated={() => {}} onCancel={() => {}} />, api);
    const f = fillFiveMistakes();
    type(f.name, 'Lefèvre');
    type(f.birth, '14/03/2018');

    fireEvent.click(screen.getByRole('button', { name: 'Créer le foyer' }));
    await waitFor(() => expect(describedText(f.postalCode)).toBe('Code postal invalide (5 chiffres).'));
    expect(describedText(f.email)).toBe('Adresse e-mail invalide.');
    expect(describedText(f.phone)).toBe('Numéro de téléphone invalide (10 chiffres).');
    expect(describedText(f.name)).toBe('');
    expect(document.activeElement).toBe(f.postalCode);
    expect(
      screen.getByText('Saisie à compléter : 3 champs à corriger.', { selector: '.form-error' }),
    ).toBeTruthy();
    // The live region reads the core's summary, which names each field.
    expect(screen.getByTestId('live-region').textContent).toMatch(
      /^3 champs à corriger — « code postal » : /,
    );
  });

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
    expect(calls.map((c) => c.name)).not.toContain('family.createHousehold');
    expect(document.activeElement).toBe(name);

    type(birth, '31/02/2019');
    fireEvent.keyDown(name, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(describedText(birth)).toBe('Date invalide : saisissez jj/mm/aaaa.'));
  });

  it('puts the core’s message beside the field it names, and keeps everything typed', async () => {
    const message =
      'Champ « date de naissance (enfants, deuxième) » : même date que l’enfant déjà inscrit Noé Lefèvre.';
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
        { firstName: 'Noé', lastName: 'Lefèvre', birthDate: '2020-09-02' },
      ],
      qf: null,
    });
    expect((screen.getByRole('textbox', { name: 'Nom du foyer' }) as HTMLInputElement).value).toBe('Lefèvre');
    expect((birth2 as HTMLInputElement).value).toBe('2/9/2020');

    // Typing in the field clears its message.
    type(birth2, '02/09/2019');
    expect(describedText(birth2)).toBe('');
  });

  it('refuses a birth date after the town’s today, from the core’s clock rather than the PC’s date', async () => {
    const { api, calls } = fakeCounter({ 'contract.check': () => ({ ok: true, data: { error: null } }) });
    renderWithCounter(<CreateHousehold onCreated={() => {}} onCancel={() => {}} />, api, {
      clock: { today: '2026-12-04', now: () => new Date('2026-12-04T09:00:00Z') },
    });
    const { c1, c2 } = fillValidFamily();
    type(within(c1).getByRole('textbox', { name: 'Date de naissance' }), '04/12/2026');
    type(within(c2).getByRole('textbox', { name: 'Date de naissance' }), '05/12/2026');
    fireEvent.click(screen.getByRole('button', { name: 'Créer le foyer' }));
    const birth2 = within(c2).getByRole('textbox', { name: 'Date de naissance' });
    await waitFor(() => expect(describedText(birth2)).toBe('Date de naissance dans le futur.'));
    // Born today is not in the future.
    expect(describedText(within(c1).getByRole('textbox', { name: 'Date de naissance' }))).toBe('');
    expect(calls.some((c) => c.name === 'family.createHousehold')).toBe(false);
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
