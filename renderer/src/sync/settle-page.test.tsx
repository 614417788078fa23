import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { SettlePage } from './settle-page.tsx';
import { SyncProvider } from './sync-status.tsx';
import { FULL_EVENING, LATE_CANCEL, ONLINE, type Rejection } from './test-fixtures.ts';

function setup(initial: Rejection[], permissions?: Parameters<typeof renderWithCounter>[2]) {
  let open = [...initial];
  const done: Rejection[] = [];
  const { api, calls } = fakeCounter({
    'sync.status': () => ({ ok: true, data: { ...ONLINE, toSettle: open.length } }),
    'sync.rejections': ({ includeAcknowledged }) => ({
      ok: true,
      data: includeAcknowledged ? [...open, ...done] : open,
    }),
    'sync.acknowledge': ({ commandId }) => {
      const item = open.find((r) => r.commandId === commandId)!;
      open = open.filter((r) => r !== item);
      done.push({
        ...item,
        acknowledgedBy: 'a1',
        acknowledgedByName: 'Camille Durand',
        acknowledgedAt: '2026-09-14T09:00:00Z',
      });
      return { ok: true, data: { acknowledged: true } };
    },
  });
  renderWithCounter(
    <SyncProvider pollMs={10_000}>
      <SettlePage />
    </SyncProvider>,
    api,
    permissions,
  );
  return { calls };
}

/** The button says which item it marks, to whoever does not see the card around it. */
const ackName = (r: Rejection) => new RegExp(`^J’ai traité\\s*:\\s*${r.summary}$`);

describe('SettlePage', () => {
  it('lists what the server refused with what to do, when and by whom', async () => {
    setup([FULL_EVENING, LATE_CANCEL]);
    const items = await screen.findAllByTestId('settle-item');
    expect(items).toHaveLength(2);
    const first = within(items[0]!);
    expect(first.getByRole('heading', { level: 2 }).textContent).toBe(FULL_EVENING.summary);
    expect(first.getByText('Jours refusés')).toBeTruthy();
    expect(first.getByText('Refusé par le serveur : 15/09/2026 (complet).')).toBeTruthy();
    expect(items[0]!.textContent).toContain(
      'Que faire : Complet : proposer un autre jour ou un autre site à la famille, et la prévenir.',
    );
    expect(items[0]!.textContent).toContain(
      'Saisi le 14/09/2026 à 10 h 05 par Camille Durand · réponse du serveur le 14/09/2026 à 10 h 40',
    );
    expect(within(items[1]!).getByText('Refusé par le serveur')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'À régulariser' }));
  });

  it('shows a payment recorded as taken but to be looked at by the régisseur, with what to do', async () => {
    setup([
      {
        ...FULL_EVENING,
        commandId: 'cmd-3',
        name: 'payment.record',
        status: 'to_review',
        code: 'OVERRIDE_UNPROVEN',
        message: 'Dérogation au plafond des espèces attribuée à Rémi Régisseur non prouvée.',
        suggestion: 'Le régisseur nommé confirme qu’il a bien autorisé ce paiement en espèces.',
        summary: 'Paiement — famille Lefèvre — 350,00 € — reçu REC-G02-2026-000001',
      },
    ]);
    const [item] = await screen.findAllByTestId('settle-item');
    expect(within(item!).getByText('Enregistré, à examiner par la régie')).toBeTruthy();
    expect(within(item!).getByRole('heading', { level: 2 }).textContent).toContain(
      'reçu REC-G02-2026-000001',
    );
  });

  it('marks an item dealt with: it leaves the list, the keyboard goes to the next one, then the empty state', async () => {
    const { calls } = setup([FULL_EVENING, LATE_CANCEL]);
    const first = await screen.findByRole('button', { name: ackName(FULL_EVENING) });
    fireEvent.click(first);
    await waitFor(() => expect(screen.getAllByTestId('settle-item')).toHaveLength(1));
    expect(calls.filter((c) => c.name === 'sync.acknowledge').map((c) => c.input)).toEqual([
      { commandId: 'cmd-1' },
    ]);
    expect(screen.getByTestId('live-region').textContent).toBe(`Traité : ${FULL_EVENING.summary}.`);
    const next = screen.getByRole('button', { name: ackName(LATE_CANCEL) });
    await waitFor(() => expect(document.activeElement).toBe(next));

    fireEvent.click(next);
    expect((await screen.findByTestId('settle-empty')).textContent).toBe(
      'Rien à régulariser : toutes les opérations envoyées ont été acceptées, ou déjà traitées.',
    );
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'À régulariser' })),
    );

    // The history stays available, with who dealt with each item.
    fireEvent.click(screen.getByLabelText('Afficher aussi les opérations déjà traitées'));
    const items = await screen.findAllByTestId('settle-item');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('Traité le 14/09/2026 à 11 h 00 par Camille Durand.');
    expect(screen.queryByRole('button', { name: /J’ai traité/ })).toBeNull();
  });

  it('says there is nothing to settle', async () => {
    setup([]);
    expect((await screen.findByTestId('settle-empty')).textContent).toContain('Rien à régulariser');
  });

  it('shows the list without the button to a role that may not mark items dealt with', async () => {
    setup([FULL_EVENING], { permissions: ['family.read', 'attendance'] });
    await screen.findByTestId('settle-item');
    expect(screen.queryByRole('button', { name: /J’ai traité/ })).toBeNull();
    expect(screen.getByText(/Le marquage « traité » revient/)).toBeTruthy();
  });
});
