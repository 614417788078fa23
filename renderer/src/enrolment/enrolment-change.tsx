import { useEffect, useRef, useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatShortDate, formatWeekdayDate } from '../../../shared/dates.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { frDateToIso } from '../date-input.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { DateField, SelectField, TextField } from '../forms/fields.tsx';
import { invalid, refused, saved } from '../forms/save-result.ts';
import { useTownClock } from '../town-clock.ts';

type Enrolment = OutputOf<'enrolment.list'>['enrolments'][number];
type Plan = OutputOf<'enrolment.endPreview'>;

export type ChangeKind = 'end' | 'site';

/**
 * Ending an enrolment, or moving it to another site, in two steps: the agent says when and why, the core answers
 * what it would cancel or move (or which days stand in the way); only then is the change confirmed. A change is a
 * request the central server may still refuse, whole.
 */
export function EnrolmentChange({
  enrolment,
  kind,
  sites,
  onDone,
  onCancel,
}: {
  enrolment: Enrolment;
  kind: ChangeKind;
  /** The sites of the enrolment's activity. */
  sites: readonly { id: string; name: string }[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const { today } = useTownClock();
  const others = sites.filter((s) => s.id !== enrolment.siteId);
  const [dateText, setDateText] = useState(formatShortDate(today));
  const [reason, setReason] = useState('');
  const [siteId, setSiteId] = useState(others[0]?.id ?? '');
  const [plan, setPlan] = useState<{ plan: Plan; date: string; siteName: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dateField = kind === 'end' ? 'lastDay' : 'fromDate';
  const what = `${enrolment.childFirstName} à « ${enrolment.activityName} »`;

  async function preview() {
    const date = frDateToIso(dateText);
    if (!date) return invalid({ [dateField]: 'Date invalide : saisissez jj/mm/aaaa.' });
    const r =
      kind === 'end'
        ? await api.invoke('enrolment.endPreview', { enrolmentId: enrolment.id, lastDay: date, reason })
        : await api.invoke('enrolment.siteChangePreview', {
            enrolmentId: enrolment.id,
            siteId,
            fromDate: date,
            reason,
          });
    if (!r.ok) return refused(r.error);
    setError(null);
    const moved = kind === 'site' ? (r.data as OutputOf<'enrolment.siteChangePreview'>) : null;
    // A site change asked before the school year starts is made from its first day: the core says which.
    setPlan({ plan: r.data, date: moved?.fromDate ?? date, siteName: moved?.siteName ?? null });
    return saved;
  }

  async function confirm() {
    if (!plan) return;
    const r =
      kind === 'end'
        ? await api.invoke('enrolment.end', { enrolmentId: enrolment.id, lastDay: plan.date, reason })
        : await api.invoke('enrolment.changeSite', {
            enrolmentId: enrolment.id,
            siteId,
            fromDate: plan.date,
            reason,
          });
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    const n = r.data.days.length;
    const days = n === 0 ? 'aucun jour réservé' : `${n} jour${n > 1 ? 's' : ''} réservé${n > 1 ? 's' : ''}`;
    announce(
      kind === 'end'
        ? `${what} : inscription terminée après le ${formatWeekdayDate(plan.date)} ; ${days} annulé${n > 1 ? 's' : ''}.`
        : `${what} : inscription à ${plan.siteName} à partir du ${formatWeekdayDate(plan.date)} ; ${days} déplacé${n > 1 ? 's' : ''}.`,
    );
    onDone();
  }

  if (kind === 'site' && others.length === 0)
    return (
      <div className="confirm" role="group" aria-label="Changement de site">
        <p>« {enrolment.activityName} » n’a pas d’autre site.</p>
        <button type="button" onClick={onCancel}>
          Fermer
        </button>
      </div>
    );

  if (plan)
    return (
      <ChangeConfirmation
        kind={kind}
        what={what}
        plan={plan.plan}
        date={plan.date}
        siteName={plan.siteName}
        error={error}
        onConfirm={confirm}
        onBack={() => setPlan(null)}
      />
    );

  return (
    <EditForm
      label={
        kind === 'end' ? `Terminer l’inscription de ${what}` : `Changer de site l’inscription de ${what}`
      }
      onSave={preview}
      onCancel={onCancel}
      saveLabel="Voir ce qui change"
    >
      <div className="field-grid">
        {kind === 'site' && (
          <SelectField
            name="siteId"
            label="Nouveau site"
            size="l"
            required
            value={siteId}
            onChange={setSiteId}
            options={others.map((s) => ({ value: s.id, label: s.name }))}
          />
        )}
        <DateField
          name={dateField}
          label={kind === 'end' ? 'Dernier jour de l’enfant' : 'À partir du'}
          required
          value={dateText}
          onChange={setDateText}
        />
        <TextField
          name="reason"
          label="Motif"
          size="l"
          required
          maxLength={200}
          value={reason}
          onChange={setReason}
        />
      </div>
    </EditForm>
  );
}

function ChangeConfirmation({
  kind,
  what,
  plan,
  date,
  siteName,
  error,
  onConfirm,
  onBack,
}: {
  kind: ChangeKind;
  what: string;
  plan: Plan;
  date: string;
  siteName: string | null;
  error: string | null;
  onConfirm: () => Promise<void>;
  onBack: () => void;
}) {
  const firstRef = useRef<HTMLButtonElement>(null);
  useEffect(() => firstRef.current?.focus(), []);
  const blocked = plan.blocking.length > 0;
  const n = plan.days.length;
  const billed = plan.days.filter((d) => d.invoiceNumber !== null || d.billedAsLate);
  return (
    <div
      className="confirm enrolment-change"
      role="group"
      aria-label="Confirmation"
      data-testid="enrolment-change"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onBack();
        }
      }}
    >
      <p>
        {kind === 'end'
          ? `${what} : dernier jour le ${formatWeekdayDate(date)}.`
          : `${what} : à ${siteName} à partir du ${formatWeekdayDate(date)}.`}
      </p>
      {blocked ? (
        <>
          <p className="form-error" role="alert">
            {kind === 'end' ? 'Fin d’inscription impossible' : 'Changement de site impossible'} à cette date :
          </p>
          <ul>
            {plan.blocking.map((b) => (
              <li key={`${b.date}-${b.unitLabel}`}>
                {formatWeekdayDate(b.date)}, {b.unitLabel.toLowerCase()} : {b.reason}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <p>
            {n === 0
              ? 'Aucun jour réservé n’est concerné.'
              : `${n} jour${n > 1 ? 's' : ''} réservé${n > 1 ? 's' : ''} ${kind === 'end' ? `ser${n > 1 ? 'ont' : 'a'} annulé${n > 1 ? 's' : ''}` : `passer${n > 1 ? 'ont' : 'a'} à ${siteName}`} :`}
          </p>
          {n > 0 && (
            <ul>
              {plan.days.map((d) => (
                <li key={d.bookingId}>
                  {formatWeekdayDate(d.date)}, {d.unitLabel.toLowerCase()}
                  {d.billedAsLate && ' — annulation tardive, facturée'}
                  {d.invoiceNumber && ` — déjà sur la facture ${d.invoiceNumber}`}
                </li>
              ))}
            </ul>
          )}
          {billed.length > 0 && (
            <p className="muted">Ce qui est déjà facturé reste dû : un avoir le corrige s’il y a lieu.</p>
          )}
        </>
      )}
      {error && <p className="form-error">{error}</p>}
      <div className="form-actions">
        {!blocked && (
          <button type="button" className="danger" ref={firstRef} onClick={() => void onConfirm()}>
            {kind === 'end' ? 'Confirmer la fin d’inscription' : 'Confirmer le changement de site'}
          </button>
        )}
        <button type="button" ref={blocked ? firstRef : undefined} onClick={onBack}>
          Modifier la date
        </button>
      </div>
    </div>
  );
}
