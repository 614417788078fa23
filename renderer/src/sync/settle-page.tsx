import { useEffect, useRef, useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { useAnnounce } from '../announcer.tsx';
import { useAuth } from '../auth/auth-context.ts';
import { useCounter } from '../counter-context.ts';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';
import { useSyncStatus } from './sync-status.tsx';
import { atWords } from './words.ts';
import './sync.css';

type Item = OutputOf<'sync.rejections'>[number];

const STATUS: Record<string, { label: string; tag: string }> = {
  rejected: { label: 'Refusé par le serveur', tag: 'tag-refused' },
  refused_days: { label: 'Jours refusés', tag: 'tag-refused' },
  held: { label: 'Conservé pour la régie', tag: 'tag-late' },
  as_credit: { label: 'Mis au crédit de la famille', tag: 'tag-late' },
  to_review: { label: 'Enregistré, à examiner par la régie', tag: 'tag-late' },
};
const statusOf = (s: string) => STATUS[s] ?? { label: s, tag: 'tag-late' };

/**
 * « À régulariser »: what the central server refused or held among this PC's operations, each with what to do,
 * until an agent says it has been dealt with (a local note: it never travels).
 */
export function SettlePage() {
  const api = useCounter();
  const auth = useAuth();
  const announce = useAnnounce();
  const { status, refresh } = useSyncStatus();
  const [showAll, setShowAll] = useState(false);
  const list = useQuery('sync.rejections', { includeAcknowledged: showAll });
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  /** Where the keyboard goes once the list has come back without the item just dealt with. */
  const focusAfter = useRef<number | null>(null);
  const mayAcknowledge = auth.can('booking.write');

  useEffect(() => headingRef.current?.focus(), []);
  const fresh = list.current;
  useEffect(() => {
    const index = focusAfter.current;
    if (index === null || !fresh) return;
    focusAfter.current = null;
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('button[data-ack]') ?? [];
    (buttons[Math.min(index, buttons.length - 1)] ?? headingRef.current)?.focus();
  }, [fresh, list.data]);

  async function acknowledge(item: Item, index: number) {
    const r = await api.invoke('sync.acknowledge', { commandId: item.commandId });
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    setError(null);
    announce(`Traité : ${item.summary}.`);
    focusAfter.current = index;
    list.reload();
    refresh();
  }

  const items = list.data;
  return (
    <div className="settle">
      <h1 ref={headingRef} tabIndex={-1}>
        À régulariser
      </h1>
      <p className="muted settle-intro">
        Les opérations de ce poste que le serveur central a refusées (une place prise entre-temps, un délai
        passé à l’heure du serveur…), mises de côté pour la régie, ou enregistrées telles qu’elles ont été
        faites mais à examiner (une règle changée entre-temps, une dérogation non prouvée). Prévenez la
        famille si besoin, faites le nécessaire, puis marquez l’opération comme traitée.
      </p>
      <label className="settle-filter">
        <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
        Afficher aussi les opérations déjà traitées
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {list.error && !items && <p className="page-error">{list.error}</p>}
      {!items ? (
        <p className="muted">Chargement…</p>
      ) : items.length === 0 ? (
        <p className="settle-empty card" data-testid="settle-empty">
          {status && !status.connected
            ? 'Rien à régulariser : ce poste n’est pas relié au serveur central, rien ne lui a été envoyé.'
            : showAll
              ? 'Rien à régulariser : le serveur n’a jamais refusé d’opération de ce poste.'
              : 'Rien à régulariser : toutes les opérations envoyées ont été acceptées, ou déjà traitées.'}
        </p>
      ) : (
        <ul className="plain settle-list" ref={listRef}>
          {items.map((item, index) => (
            <SettleItem
              key={item.commandId}
              item={item}
              onAcknowledge={mayAcknowledge ? () => void acknowledge(item, index) : null}
            />
          ))}
        </ul>
      )}
      {!mayAcknowledge && items && items.some((i) => !i.acknowledgedAt) && (
        <p className="muted">
          Le marquage « traité » revient à un agent d’accueil, à la régie ou à l’administrateur.
        </p>
      )}
    </div>
  );
}

function SettleItem({ item, onAcknowledge }: { item: Item; onAcknowledge: (() => void) | null }) {
  const s = statusOf(item.status);
  const { timeZone } = useTownClock();
  const id = `settle-${item.commandId}`;
  return (
    <li className="card settle-item" aria-labelledby={id} data-testid="settle-item">
      <div className="settle-head">
        <h2 id={id}>{item.summary}</h2>
        <span className={`tag ${s.tag}`}>{s.label}</span>
      </div>
      <p className="settle-message">{item.message}</p>
      <p className="settle-suggestion">
        <strong>Que faire :</strong> {item.suggestion}
      </p>
      <p className="muted settle-when">
        Saisi {atWords(item.madeAt, timeZone)} par {item.agentName ?? 'un compte supprimé'} · réponse du
        serveur {atWords(item.receivedAt, timeZone)}
      </p>
      {item.acknowledgedAt ? (
        <p className="settle-done">
          Traité {atWords(item.acknowledgedAt, timeZone)} par{' '}
          {item.acknowledgedByName ?? 'un compte supprimé'}.
        </p>
      ) : (
        onAcknowledge && (
          <div className="form-actions">
            <button type="button" className="primary" data-ack onClick={onAcknowledge}>
              J’ai traité<span className="sr-only"> : {item.summary}</span>
            </button>
          </div>
        )
      )}
    </li>
  );
}
