import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import type { TownClock } from '../town-clock.ts';
import { SyncIndicator } from './sync-indicator.tsx';
import { SyncProvider } from './sync-status.tsx';
import { ONLINE, shellHandlers, type Status } from './test-fixtures.ts';

/** The core's clock: 14 September 2026, 14:40 in a metropolitan town (12:40 UTC). */
const PARIS_CLOCK = {
  now: () => new Date('2026-09-14T12:40:00Z'),
  today: '2026-09-14',
  timeZone: 'Europe/Paris',
};

function setup(
  statuses: Status[],
  extra: object = {},
  props: { onConnect?: () => void } = {},
  clock: Partial<TownClock> = PARIS_CLOCK,
) {
  let i = 0;
  const onSettle = vi.fn();
  const { api, calls } = fakeCounter({
    'sync.status': () => ({ ok: true, data: statuses[Math.min(i++, statuses.length - 1)]! }),
    ...extra,
  });
  renderWithCounter(
    <SyncProvider pollMs={30}>
      <SyncIndicator onSettle={onSettle} {...props} />
    </SyncProvider>,
    api,
    { clock },
  );
  return { calls, onSettle };
}

const state = () => screen.getByTestId('sync-state').textContent;

describe('SyncIndicator', () => {
  it('says online, what waits to be sent, and links the operations to settle', async () => {
    const { onSettle } = setup([{ ...ONLINE, pending: 3, toSettle: 2 }]);
    await waitFor(() => expect(state()).toBe('En ligne · à jour à 14 h 35'));
    expect(screen.getByTestId('sync-pending').textContent).toBe('3 opérations en attente d’envoi');
    const link = screen.getByRole('button', { name: '2 opérations à régulariser' });
    fireEvent.click(link);
    expect(onSettle).toHaveBeenCalledOnce();
    expect(screen.getByRole('group', { name: 'Synchronisation avec le serveur central' })).toBeTruthy();
  });

  it('says since when it is offline, and the clock and blocking warnings in full', async () => {
    setup([
      {
        ...ONLINE,
        online: false,
        offlineSince: '2026-09-14T12:32:00Z',
        pending: 1,
        clockWarning:
          'L’horloge de ce poste s’écarte de 12 min de celle du serveur : réglez l’heure du poste.',
        blocked: 'Poste révoqué : consultation seulement, plus aucun envoi au serveur.',
      },
    ]);
    await waitFor(() => expect(state()).toBe('Hors ligne depuis 14 h 32'));
    expect(screen.getByTestId('sync-pending').textContent).toBe('1 opération en attente d’envoi');
    expect(screen.getByRole('alert').textContent).toBe(
      'Poste révoqué : consultation seulement, plus aucun envoi au serveur.',
    );
    expect(screen.getByText(/L’horloge de ce poste s’écarte de 12 min/)).toBeTruthy();
    expect(screen.queryByTestId('sync-to-settle')).toBeNull();
  });

  it('says offline since another day with its date', async () => {
    setup([{ ...ONLINE, online: false, offlineSince: '2026-09-12T07:05:00Z' }]);
    await waitFor(() => expect(state()).toBe('Hors ligne depuis le 12/09 à 09 h 05'));
  });

  it('writes the hours on the town’s clock, not the browser’s: La Réunion’s evening is already the next day', async () => {
    // 21:00 UTC on 14 September is 1:00 on the 15th at La Réunion (UTC+4); the PC may be set to anything.
    const reunion = {
      now: () => new Date('2026-09-14T21:00:00Z'),
      today: '2026-09-15',
      timeZone: 'Indian/Reunion',
    };
    setup([{ ...ONLINE, online: false, offlineSince: '2026-09-14T19:30:00Z' }], {}, {}, reunion);
    await waitFor(() => expect(state()).toBe('Hors ligne depuis le 14/09 à 23 h 30'));
  });

  it('says « à jour à » in the town’s hour, for a town in Guyane', async () => {
    const cayenne = {
      now: () => new Date('2026-09-14T12:40:00Z'),
      today: '2026-09-14',
      timeZone: 'America/Cayenne',
    };
    setup([{ ...ONLINE, lastSyncAt: '2026-09-14T12:35:00Z' }], {}, {}, cayenne);
    await waitFor(() => expect(state()).toBe('En ligne · à jour à 09 h 35'));
  });

  it('says when the PC is not connected, offers the administrator to connect it, and no round', async () => {
    const onConnect = vi.fn();
    setup([{ ...ONLINE, connected: false, online: false, lastSyncAt: null, pending: 12 }], {}, { onConnect });
    await waitFor(() => expect(state()).toBe('Non relié au serveur'));
    expect(screen.queryByTestId('sync-pending')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Synchroniser maintenant' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Relier ce poste' }));
    expect(onConnect).toHaveBeenCalledOnce();
  });

  it('runs a round on demand, says what it did, and asks the status again at once', async () => {
    const { calls } = setup(
      [ONLINE],
      shellHandlers({
        'sync.syncNow': () => ({ ok: true, data: { ok: true, pushed: 2, pulled: 1, error: null } }),
      }),
    );
    const button = await screen.findByRole('button', { name: 'Synchroniser maintenant' });
    const before = calls.filter((c) => c.name === 'sync.status').length;
    fireEvent.click(button);
    await waitFor(() =>
      expect(screen.getByTestId('live-region').textContent).toBe(
        'Synchronisé : 2 opérations envoyées, 1 changement reçu.',
      ),
    );
    expect(calls.filter((c) => (c.name as string) === 'sync.syncNow')).toHaveLength(1);
    await waitFor(() => expect(calls.filter((c) => c.name === 'sync.status').length).toBeGreaterThan(before));
  });

  it('keeps polling: losing the server shows and is said once', async () => {
    const offline = { ...ONLINE, online: false, offlineSince: '2026-09-14T12:38:00Z' };
    setup(
      [ONLINE, ONLINE, offline],
      shellHandlers({
        'sync.syncNow': () => ({
          ok: true,
          data: {
            ok: false,
            pushed: 0,
            pulled: 0,
            error: 'Serveur injoignable : le guichet travaille hors ligne.',
          },
        }),
      }),
    );
    await waitFor(() => expect(state()).toBe('Hors ligne depuis 14 h 38'));
    expect(screen.getByTestId('live-region').textContent).toBe(
      'Serveur central injoignable : le guichet continue hors ligne, les opérations partiront au retour du réseau.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Synchroniser maintenant' }));
    await waitFor(() =>
      expect(screen.getByTestId('live-region').textContent).toBe(
        'Serveur injoignable : le guichet travaille hors ligne.',
      ),
    );
  });
});
