import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OutputOf } from '../../../core/contract.ts';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { ServerSection } from './server-section.tsx';
import { shellHandlers } from './test-fixtures.ts';

type Connection = OutputOf<'sync.connection'>;
const NONE: Connection = {
  connected: false,
  serverUrl: null,
  deviceId: null,
  deviceName: null,
  seriesPrefix: null,
  connectedAt: null,
  connectedBy: null,
};
const CONNECTED: Connection = {
  connected: true,
  serverUrl: 'https://serveur.belleval.fr',
  deviceId: 'd1',
  deviceName: 'Guichet A',
  seriesPrefix: 'G01',
  connectedAt: '2026-09-14T08:00:00Z',
  connectedBy: 'Claire Fontaine',
};
const SECRET = '0199aa00-0000-7000-8000-000000000001.c2VjcmV0LWR1LXBvc3RlLWd1aWNoZXQ';

function setup(start: Connection) {
  let connection = start;
  const { api, calls } = fakeCounter({
    'sync.connection': () => ({ ok: true, data: connection }),
    ...shellHandlers({
      'sync.connect': (input) => {
        const { credential } = input as { credential: string };
        if (!credential.startsWith('0199'))
          return {
            ok: false,
            error: {
              code: 'VALIDATION',
              field: 'credential',
              message: 'Poste non reconnu par le serveur : identifiant ou secret invalide.',
            },
          };
        connection = CONNECTED;
        return {
          ok: true,
          data: {
            serverUrl: CONNECTED.serverUrl,
            deviceName: 'Guichet A',
            seriesPrefix: 'G01',
            pendingLocal: 0,
            clockWarning: null,
          },
        };
      },
      'sync.disconnect': () => {
        connection = { ...NONE, deviceName: 'Guichet A', seriesPrefix: 'G01' };
        return { ok: true, data: { disconnected: true } };
      },
    }),
  });
  renderWithCounter(<ServerSection />, api);
  return { calls };
}

describe('ServerSection', () => {
  it('connects the PC with the address and the credential, and says the server’s refusal beside its field', async () => {
    const { calls } = setup(NONE);
    const form = await screen.findByRole('form', { name: 'Relier ce poste au serveur central' });
    fireEvent.click(screen.getByRole('button', { name: 'Relier ce poste' }));
    await waitFor(() => expect(screen.getAllByText('Obligatoire.')).toHaveLength(2));
    expect(calls.some((c) => (c.name as string) === 'sync.connect')).toBe(false);

    fireEvent.change(screen.getByLabelText('Adresse du serveur'), {
      target: { value: 'https://serveur.belleval.fr' },
    });
    fireEvent.change(screen.getByLabelText('Identifiant du poste'), { target: { value: 'mauvais.secret' } });
    fireEvent.submit(form);
    await waitFor(() =>
      expect(screen.getByLabelText('Identifiant du poste').getAttribute('aria-invalid')).toBe('true'),
    );
    expect(screen.getByText(/Poste non reconnu/, { selector: '.field-error' })).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Identifiant du poste'), { target: { value: SECRET } });
    fireEvent.submit(form);
    expect((await screen.findByTestId('connect-result')).textContent).toBe(
      'Poste relié au serveur central comme « Guichet A » (code G01) : première synchronisation en cours.',
    );
    expect(screen.getByText('https://serveur.belleval.fr')).toBeTruthy();
    expect(screen.getByText('G01 (reçus et bordereaux de ce poste)')).toBeTruthy();
    expect(document.body.textContent).not.toContain(SECRET);
    expect(calls.filter((c) => (c.name as string) === 'sync.connect').map((c) => c.input)).toEqual([
      { serverUrl: 'https://serveur.belleval.fr', credential: 'mauvais.secret' },
      { serverUrl: 'https://serveur.belleval.fr', credential: SECRET },
    ]);
  });

  it('disconnects only after a confirmation, which Escape cancels', async () => {
    const { calls } = setup(CONNECTED);
    fireEvent.click(await screen.findByRole('button', { name: 'Déconnecter' }));
    const confirm = screen.getByRole('group', { name: 'Confirmer la déconnexion' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Déconnecter ce poste' }));
    fireEvent.keyDown(confirm, { key: 'Escape' });
    expect(screen.queryByRole('group', { name: 'Confirmer la déconnexion' })).toBeNull();
    expect(calls.some((c) => (c.name as string) === 'sync.disconnect')).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Déconnecter' }));
    fireEvent.click(screen.getByRole('button', { name: 'Déconnecter ce poste' }));
    expect(await screen.findByRole('form', { name: 'Relier ce poste au serveur central' })).toBeTruthy();
    expect(screen.getByText(/Ce poste a déjà été relié comme « Guichet A » \(code G01\)/)).toBeTruthy();
    expect(screen.getByTestId('live-region').textContent).toBe(
      'Poste déconnecté du serveur central : plus rien n’est envoyé ni reçu.',
    );
  });
});
