import type { Envelope } from '../../core/api/envelope.ts';
import type { SyncRoundEvent } from '../sync-runner.ts';
import type { LongWork, ProgressEvent } from './protocol.ts';

/** The window's calls that take seconds on a town's data, and what the agent reads while they run. */
const WINDOW_WORK: Partial<
  Record<string, { work: LongWork; running: string; done: string; failed: string }>
> = {
  'billing.runMonth': {
    work: 'billing.runMonth',
    running: 'Facturation du mois en cours…',
    done: 'Facturation du mois terminée.',
    failed: 'Facturation du mois interrompue.',
  },
  'billing.previewMonth': {
    work: 'billing.previewMonth',
    running: 'Calcul de l’aperçu de la facturation…',
    done: 'Aperçu de la facturation prêt.',
    failed: 'Aperçu de la facturation interrompu.',
  },
  'regie.verifyJournal': {
    work: 'regie.verifyJournal',
    running: 'Vérification du journal de la régie…',
    done: 'Vérification du journal terminée.',
    failed: 'Vérification du journal interrompue.',
  },
};

/**
 * Turns long work into progress events: the window's long calls, and sync rounds that pull more than one page (a
 * round of a few rows every few seconds would only make a bar flicker).
 */
export function createProgress(emit: (event: ProgressEvent) => void, now = () => performance.now()) {
  let lastWorkId = 0;
  const begin = (work: LongWork, label: string) => {
    const workId = ++lastWorkId;
    const started = now();
    const tell = (phase: ProgressEvent['phase'], text: string) =>
      emit({ type: 'progress', workId, work, phase, label: text, elapsedMs: Math.round(now() - started) });
    tell('start', label);
    return tell;
  };

  let pull: ReturnType<typeof begin> | null = null;

  return {
    /** Runs one of the window's calls, framed by a start and an end when it is long work. */
    async around(name: string, run: () => Promise<Envelope<unknown>>): Promise<Envelope<unknown>> {
      const spec = WINDOW_WORK[name];
      if (!spec) return run();
      const tell = begin(spec.work, spec.running);
      let ok = false;
      try {
        const envelope = await run();
        ok = envelope.ok;
        return envelope;
      } finally {
        tell('end', ok ? spec.done : spec.failed);
      }
    },

    syncRound(event: SyncRoundEvent): void {
      if (event.kind === 'end') {
        const { ok, pulled, error } = event.outcome;
        const s = pulled > 1 ? 's' : '';
        pull?.(
          'end',
          ok
            ? `Poste à jour : ${pulled.toLocaleString('fr-FR')} changement${s} reçu${s} du serveur central.`
            : `Synchronisation interrompue : ${error ?? 'erreur inconnue'}`,
        );
        pull = null;
        return;
      }
      if (!pull && event.page === 1 && event.more)
        pull = begin('sync.pull', 'Réception des changements du serveur central…');
      else if (pull && event.more)
        pull('step', `Réception des changements du serveur central (page ${event.page})…`);
      else if (pull) pull('step', 'Mise à jour du poste avec les changements reçus…');
    },
  };
}
