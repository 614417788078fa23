import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { emptyStaff, staffErrors } from './staff-form.ts';
import { StaffForm } from './staff-section.tsx';
import { refusedByRole } from '../../../shared/roles.ts';

describe('staffErrors', () => {
  it('asks for a sign-in name, a name and a password of 8 characters for a new account', () => {
    expect(staffErrors(emptyStaff(), { passwordRequired: true })).toEqual({
      username: 'Obligatoire.',
      displayName: 'Obligatoire.',
      password: 'Obligatoire.',
    });
    expect(
      staffErrors(
        { username: 'Élodie M', displayName: 'Élodie', role: 'agent', password: 'court' },
        { passwordRequired: true },
      ),
    ).toEqual({
      username: 'Lettres sans accent, chiffres, point ou tiret (2 à 40 caractères).',
      password: '8 caractères au moins.',
    });
    expect(
      staffErrors(
        { username: ' Elodie.M ', displayName: 'Élodie', role: 'alsh', password: '12345678' },
        { passwordRequired: true },
      ),
    ).toEqual({});
  });

  it('keeps the password optional when an account is only renamed or given another role', () => {
    expect(
      staffErrors(
        { username: 'elodie', displayName: 'Élodie', role: 'regisseur', password: '' },
        { passwordRequired: false },
      ),
    ).toEqual({});
  });
});

describe('StaffForm', () => {
  it('shows the errors beside the fields and sends nothing, then creates the account', async () => {
    const { api, calls } = fakeCounter({ 'staff.save': () => ({ ok: true, data: { staffId: 's9' } }) });
    const onDone = vi.fn();
    renderWithCounter(<StaffForm onDone={onDone} onCancel={() => {}} />, api);
    fireEvent.change(screen.getByLabelText('Identifiant'), { target: { value: 'Elodie' } });
    fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: 'court' } });
    fireEvent.click(screen.getByRole('button', { name: 'Créer le compte' }));
    expect(await screen.findByText('8 caractères au moins.')).toBeTruthy();
    expect(screen.getByText('Obligatoire.')).toBeTruthy();
    expect(screen.getByLabelText('Nom affiché').getAttribute('aria-invalid')).toBe('true');
    // The core was only asked what else it would refuse (contract.check): nothing to be saved went out.
    expect(calls.map((c) => c.name)).toEqual(['contract.check']);
    calls.length = 0;

    fireEvent.change(screen.getByLabelText('Nom affiché'), { target: { value: 'Élodie Martin' } });
    fireEvent.change(screen.getByLabelText('Rôle'), { target: { value: 'alsh' } });
    fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: 'assez-long' } });
    fireEvent.click(screen.getByRole('button', { name: 'Créer le compte' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(calls).toEqual([
      {
        name: 'staff.save',
        input: { username: 'elodie', displayName: 'Élodie Martin', role: 'alsh', password: 'assez-long' },
      },
    ]);
  });

  it('offers the roles by their French names and shows the core’s refusal beside the field', async () => {
    const { api } = fakeCounter({
      'staff.save': () => ({
        ok: false,
        error: { code: 'CONFLICT', message: 'Cet identifiant est déjà pris.', field: 'username' },
      }),
    });
    renderWithCounter(<StaffForm onDone={() => {}} onCancel={() => {}} />, api);
    const options = Array.from(screen.getByLabelText('Rôle').querySelectorAll('option')).map(
      (o) => o.textContent,
    );
    expect(options).toEqual(['Agent d’accueil', 'Animateur ALSH', 'Régisseur', 'Administrateur']);
    fireEvent.change(screen.getByLabelText('Identifiant'), { target: { value: 'camille' } });
    fireEvent.change(screen.getByLabelText('Nom affiché'), { target: { value: 'Camille' } });
    fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: '12345678' } });
    fireEvent.click(screen.getByRole('button', { name: 'Créer le compte' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Identifiant').getAttribute('aria-invalid')).toBe('true'),
    );
    const errorId = screen.getByLabelText('Identifiant').getAttribute('aria-describedby')?.split(' ').at(-1);
    expect(document.getElementById(errorId ?? '')?.textContent).toBe('Cet identifiant est déjà pris.');
  });
});

describe('role labels', () => {
  it('make the core’s refusal sentence', () => {
    expect(refusedByRole('Animateur ALSH', 'billing.run')).toBe(
      'Votre rôle (Animateur ALSH) ne permet pas de facturer et émettre des avoirs.',
    );
  });
});
