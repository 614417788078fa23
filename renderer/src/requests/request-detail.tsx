import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { KIND_LABELS, STATE_LABELS } from '../../../shared/requests.ts';
import { formatDateTime } from '../../../shared/wall-clock.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { useQuery } from '../use-query.ts';
import { useTownClock } from '../town-clock.ts';

type Detail = OutputOf<'request.get'>;
const REFUSAL_NEEDS_REPLY = 'Un refus se motive : écrivez la réponse à la famille.';

/**
 * One request, what answering it would do, and the answer: « Accepter » does what the family asked (a person added
 * to the file, bookings cancelled) and « Refuser » needs a reply. Alt+A and Alt+R answer from the reply box.
 */
export function RequestDetail({
  requestId,
  canAnswer,
  onOpenFamily,
  onAnswered,
}: {
  requestId: string;
  canAnswer: boolean;
  onOpenFamily: (householdId: string) => void;
  onAnswered: (message: string) => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const { timeZone } = useTownClock();
  const ids = useId();
  const detail = useQuery('request.get', { requestId });
  const [reply, setReply] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const replyRef = useRef<HTMLTextAreaElement>(null);
  const d = detail.data && detail.data.id === requestId ? detail.data : null;

  // Opening a request takes the agent to it: straight to the reply when there is one to give.
  const loaded = d !== null;
  useEffect(() => {
    if (!loaded) return;
    if (replyRef.current) replyRef.current.focus();
    else headingRef.current?.focus();
  }, [loaded]);

  async function answer(how: 'accept' | 'refuse') {
    if (busy || !d) return;
    if (how === 'refuse' && reply.trim() === '') {
      setError(REFUSAL_NEEDS_REPLY);
      announce(REFUSAL_NEEDS_REPLY);
      replyRef.current?.focus();
      return;
    }
    setBusy(true);
    const r =
      how === 'accept'
        ? await api.invoke('request.accept', { requestId, reply })
        : await api.invoke('request.refuse', { requestId, reply });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      replyRef.current?.focus();
      return;
    }
    setError(null);
    detail.reload();
    onAnswered(
      how === 'accept'
        ? `Demande du foyer ${d.householdName} acceptée : la réponse part vers le portail à la prochaine synchronisation.`
        : `Demande du foyer ${d.householdName} refusée : la réponse part vers le portail à la prochaine synchronisation.`,
    );
  }

  function onKeyDown(e: KeyboardEvent<HTMLFormElement>) {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    const key = e.key.toLowerCase();
    if (e.code === 'KeyA' || key === 'a') {
      e.preventDefault();
      void answer('accept');
    } else if (e.code === 'KeyR' || key === 'r') {
      e.preventDefault();
      void answer('refuse');
    }
  }

  if (!d)
    return (
      <section className="card request-detail">
        <p className={detail.error ? 'form-error' : 'muted'}>{detail.error ?? 'Chargement de la demande…'}</p>
      </section>
    );

  const pending = d.state === 'pending';
  return (
    <section className="card request-detail" aria-labelledby={`${ids}-title`} data-testid="request-detail">
      <div className="card-head">
        <h2 id={`${ids}-title`} ref={headingRef} tabIndex={-1}>
          {KIND_LABELS[d.kind]} — foyer {d.householdName}
        </h2>
        <span className={`status request-${d.state}`}>{STATE_LABELS[d.state]}</span>
      </div>
      <p className="muted">
        Reçue le {formatDateTime(d.receivedAt, timeZone)} · réf. <strong>{d.reference}</strong>
      </p>
      <dl className="request-facts">
        <div>
          <dt>Foyer</dt>
          <dd>
            {d.householdName}{' '}
            <button type="button" className="small" onClick={() => onOpenFamily(d.householdId)}>
              Ouvrir le dossier
            </button>
          </dd>
        </div>
        {d.childName && (
          <div>
            <dt>Enfant</dt>
            <dd>{d.childName}</dd>
          </div>
        )}
        <div>
          <dt>Contact</dt>
          <dd>
            {[d.contact.phoneMobile, d.contact.phoneHome, d.contact.email].filter(Boolean).join(' · ') ||
              'aucun'}
          </dd>
        </div>
        <KindFacts detail={d} />
      </dl>
      {d.message && (
        <figure className="family-message">
          <figcaption>Message de la famille</figcaption>
          <blockquote>{d.message}</blockquote>
        </figure>
      )}
      {pending && d.kind === 'cancellation' && d.cancellation && <CancellationPreview c={d.cancellation} />}
      {pending && d.existingPickup && (
        <p className="notice">
          {d.existingPickup.name} est déjà sur la liste des personnes autorisées
          {d.existingPickup.phone ? ` (${d.existingPickup.phone})` : ''} : accepter met sa fiche à jour.
        </p>
      )}

      {!pending ? (
        <div className="request-answer" data-testid="request-answer">
          <p>
            <strong>{STATE_LABELS[d.state]}</strong>
            {d.answeredAt && ` le ${formatDateTime(d.answeredAt, timeZone)}`}
            {d.answeredByName && ` par ${d.answeredByName}`}.
          </p>
          <p className="reply-text">Réponse à la famille : {d.reply || '—'}</p>
        </div>
      ) : !canAnswer ? (
        <p className="muted">Votre rôle ne permet pas de répondre aux demandes (dérogation aux délais).</p>
      ) : (
        <form
          className="request-reply"
          aria-label="Répondre à la demande"
          onKeyDown={onKeyDown}
          onSubmit={(e) => {
            e.preventDefault();
            void answer('accept');
          }}
        >
          <div className="field">
            <label className="field-label" htmlFor={`${ids}-reply`}>
              Réponse à la famille
            </label>
            <textarea
              id={`${ids}-reply`}
              ref={replyRef}
              rows={3}
              maxLength={1000}
              value={reply}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${ids}-hint${error ? ` ${ids}-error` : ''}`}
              onChange={(e) => {
                setReply(e.target.value);
                setError(null);
              }}
            />
            <span id={`${ids}-hint`} className="field-hint">
              Lue par la famille sur le portail. Obligatoire pour refuser ; laissée vide, l’acceptation dit ce
              qui a été fait.
            </span>
            {error && (
              <span id={`${ids}-error`} className="field-error" role="alert">
                {error}
              </span>
            )}
          </div>
          <div className="request-actions">
            <button type="submit" className="primary" disabled={busy}>
              Accepter <kbd>Alt+A</kbd>
            </button>
            <button type="button" disabled={busy} onClick={() => void answer('refuse')}>
              Refuser <kbd>Alt+R</kbd>
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function KindFacts({ detail: d }: { detail: Detail }) {
  switch (d.kind) {
    case 'cancellation':
      return (
        <div>
          <dt>À annuler</dt>
          <dd>{d.summary}</dd>
        </div>
      );
    case 'pickup':
      return (
        <>
          <div>
            <dt>Personne à autoriser</dt>
            <dd>
              {d.details.firstName} {d.details.lastName}
              {d.details.relationship && ` (${d.details.relationship})`}
            </dd>
          </div>
          <div>
            <dt>Téléphone</dt>
            <dd>{d.details.phone || 'non donné'}</dd>
          </div>
        </>
      );
    case 'document':
      return (
        <div>
          <dt>Document</dt>
          <dd>
            {d.details.fileName} <span className="muted">({d.details.fileType})</span>
          </dd>
        </div>
      );
    case 'other':
      return null;
  }
}

function CancellationPreview({ c }: { c: NonNullable<Detail['cancellation']> }) {
  if (c.problem) return <p className="notice">Cette annulation ne peut pas être faite : {c.problem}</p>;
  return (
    <div className="cancel-preview" data-testid="cancel-preview">
      <h3>Si vous acceptez</h3>
      {c.willCancel.length === 0 ? (
        <p className="notice">Rien ne peut être annulé : refusez la demande en expliquant pourquoi.</p>
      ) : (
        <ul className="plain">
          {c.willCancel.map((day) => (
            <li key={`${day.date}-${day.unitLabel}`}>
              Annulé : {formatShortDate(day.date)}, {day.unitLabel.toLowerCase()}{' '}
              {day.late && (
                <span className="tag tag-late">hors délai{day.billed ? ' — reste facturé' : ''}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {c.cannotCancel.length > 0 && (
        <ul className="plain">
          {c.cannotCancel.map((day) => (
            <li key={`${day.date}-${day.unitLabel}`}>
              <span className="tag tag-refused">non annulable</span> {formatShortDate(day.date)},{' '}
              {day.unitLabel.toLowerCase()} : {day.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
