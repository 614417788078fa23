import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Permission } from '../../shared/roles.ts';
import { App } from './app.tsx';
import { DESTINATIONS, destinationOfKey } from './navigation.ts';
import { SHORTCUTS } from './shortcuts.ts';
import { fakeCounter, renderWithCounter } from './test-support.tsx';

async function renderApp(permissions?: readonly Permission[]) {
  const fake = fakeCounter({
    'system.info': () => ({ ok: true, data: { townName: 'Ville de Belleval' } as never }),
    'system.clock': () => ({
      ok: true,
      data: { now: '2026-12-04T09:00:00.000Z', today: '2026-12-04', timeZone: 'Europe/Paris' } as never,
    }),
    'request.inbox': () => ({ ok: true, data: { requests: [], counts: { pending: 2 } } as never }),
  });
  renderWithCounter(<App />, fake.api, permissions ? { permissions } : {});
  await screen.findByText('Ville de Belleval');
  return within(document.querySelector<HTMLElement>('.topbar-actions')!);
}

describe('the navigation, one table', () => {
  it('gives each destination its own key, said in the help', () => {
    const keys = DESTINATIONS.flatMap((d) => (d.key ? [d.key] : []));
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(DESTINATIONS.map((d) => d.place)).size).toBe(DESTINATIONS.length);
    for (const d of DESTINATIONS.filter((x) => x.key)) {
      expect(SHORTCUTS).toContainEqual([[`Alt+${d.key}`], d.help]);
      expect(destinationOfKey(`Key${d.key}`, '')).toBe(d);
      expect(destinationOfKey('', d.key!.toLowerCase())).toBe(d);
    }
    expect(destinationOfKey('KeyZ', 'z')).toBeUndefined();
  });

  it('shows an administrator every destination, in the table’s order, with its key', async () => {
    const bar = await renderApp();
    await waitFor(() =>
      expect(bar.getByTestId('nav-requests').textContent).toBe('Demandes 2 en attente Alt+D'),
    );
    const labels = bar.getAllByRole('button').map((b) => b.textContent);
    expect(labels.slice(0, DESTINATIONS.length)).toEqual([
      'Nouveau foyer Alt+N',
      'Demandes 2 en attente Alt+D',
      'Pointage Alt+P',
      'Facturation Alt+F',
      'Caisse Alt+C',
      'Paramètres',
      'À régulariser',
    ]);
    const home = document.querySelector<HTMLElement>('.home-actions')!;
    expect([...home.querySelectorAll('button')].map((b) => b.textContent)).toEqual([
      'Nouveau foyer Alt+N',
      'Feuille de pointage Alt+P',
      'Facturation Alt+F',
      'Paramètres',
    ]);
  });

  it('hides what the role may not open, and says so when its key is pressed', async () => {
    const bar = await renderApp(['family.read', 'booking.write', 'booking.override', 'attendance', 'health']);
    expect(bar.queryByRole('button', { name: /^Facturation/ })).toBeNull();
    expect(bar.queryByRole('button', { name: /^Caisse/ })).toBeNull();
    expect(bar.queryByRole('button', { name: 'Paramètres' })).toBeNull();
    expect(bar.getByRole('button', { name: 'Pointage Alt+P' })).toBeTruthy();
    fireEvent.keyDown(window, { key: 'f', code: 'KeyF', altKey: true });
    expect((await screen.findByTestId('role-refusal')).textContent).toBe(
      'Votre rôle (Administrateur) ne permet pas de facturer et émettre des avoirs.',
    );
    fireEvent.keyDown(window, { key: 'c', code: 'KeyC', altKey: true });
    expect(screen.getByTestId('role-refusal').textContent).toBe(
      'Votre rôle (Administrateur) ne permet pas de encaisser.',
    );
  });
});
