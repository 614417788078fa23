import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.ts';
import type { ProgressEvent } from './protocol.ts';

const round = { ok: true, pushed: 0, error: null };

describe('progress of a sync round', () => {
  it('says nothing of a round that pulls one page: background rounds come every few seconds', () => {
    const events: ProgressEvent[] = [];
    const progress = createProgress((e) => events.push(e));
    progress.syncRound({ kind: 'page', page: 1, more: false });
    progress.syncRound({ kind: 'end', outcome: { ...round, pulled: 3 } });
    expect(events).toEqual([]);
  });

  it('follows a pull of many pages to its end, failed rounds included, one piece of work per round', () => {
    const events: ProgressEvent[] = [];
    let clock = 0;
    const progress = createProgress(
      (e) => events.push(e),
      () => clock,
    );
    progress.syncRound({ kind: 'page', page: 1, more: true });
    clock = 800;
    progress.syncRound({ kind: 'page', page: 2, more: true });
    clock = 1500;
    progress.syncRound({
      kind: 'end',
      outcome: { ok: false, pushed: 0, pulled: 0, error: 'Serveur injoignable.' },
    });
    progress.syncRound({ kind: 'page', page: 1, more: true });
    progress.syncRound({ kind: 'page', page: 2, more: false });
    progress.syncRound({ kind: 'end', outcome: { ...round, pulled: 12_500 } });
    expect(events.map((e) => [e.workId, e.phase, e.label, e.elapsedMs])).toEqual([
      [1, 'start', 'Réception des changements du serveur central…', 0],
      [1, 'step', 'Réception des changements du serveur central (page 2)…', 800],
      [1, 'end', 'Synchronisation interrompue : Serveur injoignable.', 1500],
      [2, 'start', 'Réception des changements du serveur central…', 0],
      [2, 'step', 'Mise à jour du poste avec les changements reçus…', 0],
      [2, 'end', 'Poste à jour : 12\u202f500 changements reçus du serveur central.', 0],
    ]);
  });
});
