import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { KIND_LABELS, type RequestState, STATE_LABELS } from '../../../shared/requests.ts';
import { formatDateTime } from '../../../shared/wall-clock.ts';
import { useAnnounce } from '../announcer.tsx';
import { useAuth } from '../auth/auth-context.ts';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';
import { RequestDetail } from './request-detail.tsx';
import './requests.css';

type RequestSummary = OutputOf<'request.inbox'>['requests'][number];
type Filter = RequestState | 'all';
const FILTERS: readonly { value: Filter; label: string }[] = [
  { value: 'pending', label: 'En attente' },
  { value: 'accepted', label: 'Acceptées' },
  { value: 'refused', label: 'Refusées' },
  { value: 'all', label: 'Toutes' },
];
const COLUMNS = ['Reçue le', 'Demande', 'Foyer', 'Enfant', 'Objet', 'État'] as const;

/**
 * « Demandes »: what families asked on the portal (a cancellation, a pickup authorisation, a document…), the oldest
 * waiting first. ↑/↓ move through the list, Entrée opens one beside it, where the agent accepts or refuses it with
 * a reply the family reads on the portal after the next sync.
 */
export function RequestsPage({
  onOpenFamily,
  onAnswered,
}: {
  onOpenFamily: (householdId: string) => void;
  /** After an answer: the nav's count of waiting requests is asked again. */
  onAnswered: () => void;
}) {
  const auth = useAuth();
  const announce = useAnnounce();
  const { timeZone } = useTownClock();
  const [filter, setFilter] = useState<Filter>('pending');
  const inbox = useQuery('request.inbox', { state: filter });
  const [selected, setSelected] = useState<string | null>(null);
  const [focusable, setFocusable] = useState(0);
  /** Row to focus once the list answered after a reply: the one now where the answered request was. */
  const refocus = useRef<number | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  useEffect(() => headingRef.current?.focus(), []);

  const requests = inbox.data?.requests ?? [];
  const counts = inbox.data?.counts;
  const focusRow = (index: number) =>
    tableRef.current?.querySelector<HTMLButtonElement>(`[data-request="${index}"]`)?.focus();

  const answered = inbox.current;
  useEffect(() => {
    if (refocus.current === null || !answered) return;
    const index = Math.min(refocus.current, requests.length - 1);
    refocus.current = null;
    if (index < 0) {
      headingRef.current?.focus();
      return;
    }
    setFocusable(index);
    tableRef.current?.querySelector<HTMLButtonElement>(`[data-request="${index}"]`)?.focus();
  }, [answered, requests.length]);

  function open(r: RequestSummary, index: number) {
    setSelected(r.id);
    setFocusable(index);
    announce(`${KIND_LABELS[r.kind]}, foyer ${r.householdName} : détail affiché à droite de la liste.`);
  }

  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>, index: number) {
    const last = requests.length - 1;
    const next =
      e.key === 'ArrowDown'
        ? Math.min(index + 1, last)
        : e.key === 'ArrowUp'
          ? Math.max(index - 1, 0)
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null) return;
    e.preventDefault();
    setFocusable(next);
    focusRow(next);
  }

  /** One tab stop for the filters: ←/→ choose another list at once. */
  function onFilterKey(e: KeyboardEvent<HTMLDivElement>) {
    const at = FILTERS.findIndex((f) => f.value === filter);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = FILTERS[(at + step + FILTERS.length) % FILTERS.length]!.value;
    setFilter(next);
    setFocusable(0);
    e.currentTarget.querySelector<HTMLButtonElement>(`[data-filter="${next}"]`)?.focus();
  }

  const total = counts ? counts.pending + counts.accepted + counts.refused : null;
  return (
    <div className="requests">
      <div className="requests-head">
        <h1 ref={headingRef} tabIndex={-1}>
          Demandes des familles
        </h1>
        <div
          role="toolbar"
          aria-label="Afficher les demandes"
          className="requests-filters"
          onKeyDown={onFilterKey}
        >
          {FILTERS.map((f) => {
            const n = f.value === 'all' ? total : counts?.[f.value];
            return (
              <button
                key={f.value}
                type="button"
                data-filter={f.value}
                aria-pressed={filter === f.value}
                tabIndex={filter === f.value ? 0 : -1}
                onClick={() => {
                  setFilter(f.value);
                  setFocusable(0);
                }}
              >
                {f.label}
                {n !== undefined && n !== null && <span className="filter-count"> ({n})</span>}
              </button>
            );
          })}
        </div>
      </div>
      <div className="requests-layout">
        <section className="card" aria-labelledby="requests-list-title" aria-busy={!inbox.current}>
          <h2 id="requests-list-title" className="sr-only">
            Liste des demandes
          </h2>
          {inbox.error && !inbox.data && <p className="form-error">{inbox.error}</p>}
          {!inbox.data ? (
            <p className="muted">Chargement des demandes…</p>
          ) : requests.length === 0 ? (
            <p className="muted" data-testid="requests-empty">
              {filter === 'pending'
                ? 'Aucune demande en attente : tout est répondu.'
                : 'Aucune demande dans cette liste.'}
            </p>
          ) : (
            <>
              <table className="grid request-list" ref={tableRef}>
                <caption className="sr-only">
                  {filter === 'pending'
                    ? 'Demandes en attente, les plus anciennes d’abord'
                    : 'Demandes, en attente d’abord, puis les dernières répondues'}
                </caption>
                <thead>
                  <tr>
                    {COLUMNS.map((c) => (
                      <th scope="col" key={c}>
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {requests.map((r, i) => (
                    <tr
                      key={r.id}
                      data-testid="request-row"
                      className={r.id === selected ? 'selected' : undefined}
                    >
                      <th scope="row">
                        <button
                          type="button"
                          className="request-open"
                          data-request={i}
                          tabIndex={i === focusable ? 0 : -1}
                          aria-current={r.id === selected ? 'true' : undefined}
                          onClick={() => open(r, i)}
                          onKeyDown={(e) => onKeyDown(e, i)}
                        >
                          {formatDateTime(r.receivedAt, timeZone)}
                        </button>
                      </th>
                      <td>{KIND_LABELS[r.kind]}</td>
                      <td>{r.householdName}</td>
                      <td>{r.childName ?? '—'}</td>
                      <td className="request-summary">{r.summary}</td>
                      <td>
                        <span className={`status request-${r.state}`}>{STATE_LABELS[r.state]}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="key-hint">
                ↑ ↓ : demande précédente, suivante · Entrée : l’ouvrir pour y répondre · ← → sur les filtres :
                changer de liste
              </p>
            </>
          )}
        </section>
        {selected ? (
          <RequestDetail
            key={selected}
            requestId={selected}
            canAnswer={auth.can('booking.override')}
            onOpenFamily={onOpenFamily}
            onAnswered={(message) => {
              announce(message);
              refocus.current = focusable;
              inbox.reload();
              onAnswered();
            }}
          />
        ) : (
          <p className="muted request-placeholder">
            Choisissez une demande dans la liste (<kbd>Entrée</kbd>) pour la lire et y répondre.
          </p>
        )}
      </div>
    </div>
  );
}
