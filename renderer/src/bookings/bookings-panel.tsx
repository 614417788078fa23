import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { HouseholdFile } from '../../../core/family/read.ts';
import { addDaysTo, schoolYearOf, weekStartOf } from '../../../shared/calendar.ts';
import { formatMonth, formatShortDate, formatWeekdayDate } from '../../../shared/dates.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { CELL_STATES } from '../labels.ts';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';
import {
  cellKey,
  entryCovers,
  entryKey,
  requestsOf,
  toggleEntry,
  type Activity,
  type BasketEntry,
  type Cell,
  type UnitCode,
} from './basket.ts';
import { BasketPanel, linesOf, resultSentence, summarise, type ValidationResult } from './basket-panel.tsx';
import { MonthPicker, type MonthState } from './month-picker.tsx';
import { PeriodForm } from './period-form.tsx';
import { useBasketPreview } from './use-preview.ts';
import { WeekGrid, type CellMarks } from './week-grid.tsx';
import { frDateToIso } from '../date-input.ts';
import './bookings.css';

/** Weeks the grid shows at once, as the portals do. */
export const WEEKS_SHOWN = 4;

/**
 * The Réservations tab: a child, one of the activities the child is enrolled in and a site; then the week grid
 * or the period view (or the week or month the activity is booked by) and the basket.
 */
export function BookingsPanel({ file }: { file: HouseholdFile }) {
  const { today } = useTownClock();
  const list = useQuery('enrolment.list', { householdId: file.id });
  const activities = useQuery('activities.list', {});
  const [childId, setChildId] = useState(file.children[0]?.id ?? '');
  const [activityId, setActivityId] = useState('');
  const [siteId, setSiteId] = useState('');
  const [basketSize, setBasketSize] = useState(0);
  const ids = useId();

  if (file.children.length === 0)
    return <p className="muted">Ce foyer n’a pas d’enfant : ajoutez-en un dans l’onglet Dossier.</p>;
  if (list.error && !list.data) return <p className="page-error">{list.error}</p>;
  if (!list.data || !activities.data) return <p className="muted">Chargement des réservations…</p>;

  const child = file.children.find((c) => c.id === childId) ?? file.children[0]!;
  const enrolments = list.data.enrolments.filter((e) => e.childId === child.id);
  const enrolled = activities.data.filter((a) => enrolments.some((e) => e.activityId === a.id));
  const activity = enrolled.find((a) => a.id === activityId) ?? enrolled[0];
  const current = list.data.currentSchoolYear;
  const enrolment = activity
    ? (enrolments.find((e) => e.activityId === activity.id && e.schoolYear === current) ??
      enrolments.find((e) => e.activityId === activity.id))
    : undefined;
  const site = activity
    ? (activity.sites.find((s) => s.id === siteId) ??
      activity.sites.find((s) => s.id === enrolment?.siteId) ??
      activity.sites[0])
    : undefined;
  const locked = basketSize > 0;

  return (
    <div className="bookings">
      <div className="booking-target card">
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-child`}>
            Enfant
          </label>
          <select
            id={`${ids}-child`}
            value={child.id}
            disabled={locked}
            onChange={(e) => {
              setChildId(e.target.value);
              setActivityId('');
              setSiteId('');
            }}
          >
            {file.children.map((c) => (
              <option key={c.id} value={c.id}>
                {c.firstName} {c.lastName}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-l">
          <label className="field-label" htmlFor={`${ids}-activity`}>
            Activité
          </label>
          <select
            id={`${ids}-activity`}
            value={activity?.id ?? ''}
            disabled={locked || enrolled.length === 0}
            onChange={(e) => {
              setActivityId(e.target.value);
              setSiteId('');
            }}
          >
            {enrolled.length === 0 && <option value="">Aucune inscription</option>}
            {enrolled.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-l">
          <label className="field-label" htmlFor={`${ids}-site`}>
            Site
          </label>
          <select
            id={`${ids}-site`}
            value={site?.id ?? ''}
            disabled={locked || !activity}
            onChange={(e) => setSiteId(e.target.value)}
          >
            {(activity?.sites ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {enrolment?.siteId === s.id ? ' (site d’inscription)' : ''}
              </option>
            ))}
          </select>
        </div>
        {locked && (
          <p className="notice target-note">
            Panier en cours : validez-le ou videz-le pour changer d’enfant, d’activité ou de site.
          </p>
        )}
        {activity && (
          <dl className="deadlines">
            <div>
              <dt>Réservation (familles)</dt>
              <dd>{activity.deadlines.booking}</dd>
            </div>
            <div>
              <dt>Annulation (familles)</dt>
              <dd>{activity.deadlines.cancel}</dd>
            </div>
          </dl>
        )}
      </div>
      {!activity || !site ? (
        <p className="notice">
          {child.firstName} n’est inscrit(e) à aucune activité : inscrivez-le ou inscrivez-la d’abord (onglet
          Inscriptions).
        </p>
      ) : activity.settings.granularity === 'enrolment' ? (
        <p className="notice">
          « {activity.name} » ne se réserve pas : l’inscription
          {enrolment?.groupName ? ` (groupe ${enrolment.groupName})` : ''} suffit.
        </p>
      ) : (
        <Booking
          key={`${child.id}|${activity.id}|${site.id}`}
          child={{ id: child.id, firstName: child.firstName }}
          activity={activity}
          site={site}
          today={today}
          pendingEnrolment={enrolment?.status === 'pending'}
          onBasketSize={setBasketSize}
        />
      )}
    </div>
  );
}

interface BookingProps {
  child: { id: string; firstName: string };
  activity: Activity;
  site: { id: string; name: string };
  today: string;
  pendingEnrolment: boolean;
  onBasketSize: (n: number) => void;
}

function Booking({ child, activity, site, today, pendingEnrolment, onBasketSize }: BookingProps) {
  const api = useCounter();
  const announce = useAnnounce();
  const granularity = activity.settings.granularity;
  const [view, setView] = useState<'grid' | 'period'>('grid');
  const [start, setStart] = useState(() => weekStartOf(today));
  const [schoolYear, setSchoolYear] = useState(() => schoolYearOf(today));
  const [entries, setEntries] = useState<BasketEntry[]>([]);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ValidationResult | null>(null);
  const [goTo, setGoTo] = useState('');
  const [goToError, setGoToError] = useState<string | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  const target = { childId: child.id, activityId: activity.id, siteId: site.id };
  const allUnits = useMemo(() => activity.units.map((u) => u.code), [activity]);
  const requests = useMemo(() => requestsOf(entries, allUnits), [entries, allUnits]);
  const { outcomes } = useBasketPreview(target, requests);
  const yearStart = Number(schoolYear.slice(0, 4));
  const range =
    granularity === 'month'
      ? { from: `${yearStart}-09-01`, to: `${yearStart + 1}-07-31` }
      : { from: start, to: addDaysTo(start, 7 * WEEKS_SHOWN - 3) };
  const grid = useQuery('booking.grid', { ...target, ...range });
  const gridData = grid.data;
  const cells = useMemo(() => gridData?.cells ?? [], [gridData]);

  useEffect(() => onBasketSize(entries.length), [entries.length, onBasketSize]);
  useEffect(() => () => onBasketSize(0), [onBasketSize]);

  const lines = entries.flatMap((e) => linesOf(e, requests, outcomes));
  const summary = summarise(lines);

  const marks = useMemo<CellMarks>(() => {
    const adds = new Set<string>();
    const cancels = new Set<string>();
    const pressed = new Set<string>();
    for (const e of entries) {
      if (e.kind === 'day') pressed.add(cellKey(e.date, e.unitCode));
      for (const c of cells) {
        if (!entryCovers(e, c.date, c.unitCode)) continue;
        if (e.kind === 'week') pressed.add(cellKey(c.date, c.unitCode));
        if (e.action === 'cancel' && c.state === 'booked') cancels.add(cellKey(c.date, c.unitCode));
        if (e.action === 'book' && e.kind === 'day') adds.add(cellKey(c.date, c.unitCode));
      }
    }
    // Days of a period, week or month appear as added once the preview of the basket as it is has accepted them.
    for (const request of requests) {
      const outcome = request.action === 'book' ? outcomes.get(request.key) : undefined;
      if (outcome?.ok) for (const d of outcome.plan.accepted) adds.add(cellKey(d.date, d.unitCode));
    }
    return { adds, cancels, pressed };
  }, [entries, requests, cells, outcomes]);

  function change(next: BasketEntry[], message: string) {
    setEntries(next);
    setResult(null);
    announce(message);
  }

  function toggleCell(cell: Cell) {
    const where = `${cell.unitLabel}, ${formatWeekdayDate(cell.date)}`;
    if (granularity === 'week') {
      const weekStart = weekStartOf(cell.date);
      const week = cells.filter((c) => weekStartOf(c.date) === weekStart);
      const existing = entries.find((e) => e.kind === 'week' && e.weekStart === weekStart);
      if (existing)
        return change(
          toggleEntry(entries, existing),
          `Semaine du ${formatShortDate(weekStart)} retirée du panier.`,
        );
      const booked = week.filter((c) => c.state === 'booked');
      if (booked.length > 0) {
        const late = booked.some((c) => !c.modifiable);
        return change(
          [...entries, { kind: 'week', action: 'cancel', weekStart, late }],
          `Annulation de la semaine du ${formatShortDate(weekStart)} ajoutée au panier${late ? ' (hors délai)' : ''}.`,
        );
      }
      if (week.some((c) => c.state === 'bookable' || c.state === 'late')) {
        const late = week.some((c) => c.state === 'late');
        return change(
          [...entries, { kind: 'week', action: 'book', weekStart, late }],
          `Semaine du ${formatShortDate(weekStart)} ajoutée au panier${late ? ' (hors délai)' : ''}.`,
        );
      }
      return announce(`${where} : ${cell.detail}.`);
    }
    const key = cellKey(cell.date, cell.unitCode);
    const own = entries.find((e) => e.kind === 'day' && entryKey(e) === `day|${key}`);
    if (own) return change(toggleEntry(entries, own), `${where} : retiré du panier.`);
    const inside = entries.find((e) => e.kind !== 'day' && entryCovers(e, cell.date, cell.unitCode));
    if (inside && marks.adds.has(key)) {
      return announce(`${where} fait partie d’une période du panier : retirez la période pour l’enlever.`);
    }
    if (cell.state === 'bookable' || cell.state === 'late') {
      const late = cell.state === 'late';
      return change(
        [
          ...entries,
          {
            kind: 'day',
            action: 'book',
            date: cell.date,
            unitCode: cell.unitCode as UnitCode,
            unitLabel: cell.unitLabel,
            late,
          },
        ],
        `${where} : ajout au panier${late ? ', hors délai : motif obligatoire' : ''}.`,
      );
    }
    if (cell.state === 'booked') {
      const late = !cell.modifiable;
      return change(
        [
          ...entries,
          {
            kind: 'day',
            action: 'cancel',
            date: cell.date,
            unitCode: cell.unitCode as UnitCode,
            unitLabel: cell.unitLabel,
            late,
          },
        ],
        `${where} : annulation ajoutée au panier${late ? ', hors délai : motif obligatoire' : ''}.`,
      );
    }
    announce(`${where} : ${CELL_STATES[cell.state].toLowerCase()}, ${cell.detail}.`);
  }

  function toggleMonth(month: string, state: MonthState) {
    const existing = entries.find((e) => e.kind === 'month' && e.month === month);
    if (existing) return change(toggleEntry(entries, existing), `${formatMonth(month)} retiré du panier.`);
    const late = state === 'late';
    change(
      [...entries, { kind: 'month', action: state === 'booked' ? 'cancel' : 'book', month, late }],
      `${state === 'booked' ? 'Annulation de ' : ''}${formatMonth(month)} ajouté au panier.`,
    );
  }

  async function validate() {
    if (busy) return;
    if (entries.length === 0) return announce('Le panier est vide.');
    if (summary.pending) return announce('Aperçu en cours de calcul : validez dans un instant.');
    if (summary.late > 0 && reason.trim() === '') {
      const message = `Motif obligatoire : ${summary.late} jour${summary.late > 1 ? 's' : ''} hors délai.`;
      setReasonError(message);
      announce(message);
      reasonRef.current?.focus();
      return;
    }
    if (summary.toBook.length === 0 && summary.toCancel.length === 0) {
      return announce('Rien à valider : tous les jours demandés sont refusés (voir le panier).');
    }
    setBusy(true);
    const done: ValidationResult = { booked: [], cancelled: 0, refused: [], errors: [], invoices: [] };
    const finished = new Set<string>();
    for (const request of requests) {
      const input = {
        ...target,
        unitCodes: request.unitCodes,
        selection: request.selection,
        origin: 'counter' as const,
        overrideReason: reason.trim() || null,
      };
      if (request.action === 'book') {
        const r = await api.invoke('booking.book', input);
        if (!r.ok) {
          done.errors.push(r.error.message);
          continue;
        }
        done.booked.push(...r.data.accepted);
        done.refused.push(...r.data.refused);
        if (r.data.invoice) done.invoices.push(r.data.invoice);
      } else {
        const r = await api.invoke('booking.cancel', input);
        if (!r.ok) {
          done.errors.push(r.error.message);
          continue;
        }
        done.cancelled += r.data.accepted.length;
        done.refused.push(...r.data.refused);
      }
      for (const key of request.entryKeys) finished.add(key);
    }
    setBusy(false);
    setEntries((list) => list.filter((e) => !finished.has(entryKey(e))));
    if (done.errors.length === 0) setReason('');
    setReasonError(null);
    setResult(done);
    announce(resultSentence(done) + (done.errors.length ? ` ${done.errors.join(' ')}` : ''));
    grid.reload();
  }

  const validateRef = useRef(validate);
  useEffect(() => {
    validateRef.current = validate;
  });
  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      if (e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyV' || e.key.toLowerCase() === 'v')) {
        e.preventDefault();
        void validateRef.current();
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  function jump(e: FormEvent) {
    e.preventDefault();
    const iso = frDateToIso(goTo);
    if (!iso) {
      setGoToError('Date invalide : saisissez jj/mm/aaaa.');
      return;
    }
    setGoToError(null);
    setStart(weekStartOf(iso));
    if (granularity === 'month') setSchoolYear(schoolYearOf(iso));
  }

  const caption = `${child.firstName} — ${activity.name}, ${site.name}`;
  const pressedMonths = new Set(entries.flatMap((e) => (e.kind === 'month' ? [e.month] : [])));

  return (
    <div className="booking">
      <div className="booking-main">
        {pendingEnrolment && (
          <p className="notice">
            Inscription en attente : dossier incomplet. Les jours ne sont pas réservables.
          </p>
        )}
        <div className="booking-toolbar">
          {granularity === 'day' && (
            <div role="group" aria-label="Affichage" className="segmented">
              <button type="button" aria-pressed={view === 'grid'} onClick={() => setView('grid')}>
                Vue semaine
              </button>
              <button type="button" aria-pressed={view === 'period'} onClick={() => setView('period')}>
                Vue période
              </button>
            </div>
          )}
          {granularity === 'month' ? (
            <div role="group" aria-label="Année scolaire" className="nav-group">
              <button type="button" onClick={() => setSchoolYear(`${yearStart - 1}-${yearStart}`)}>
                ‹ Année précédente
              </button>
              <strong>Année scolaire {schoolYear}</strong>
              <button type="button" onClick={() => setSchoolYear(`${yearStart + 1}-${yearStart + 2}`)}>
                Année suivante ›
              </button>
            </div>
          ) : (
            view === 'grid' && (
              <div role="group" aria-label="Semaines affichées" className="nav-group">
                <button type="button" onClick={() => setStart((s) => addDaysTo(s, -7))}>
                  ‹ Semaine précédente
                </button>
                <button type="button" onClick={() => setStart(weekStartOf(today))}>
                  Aujourd’hui
                </button>
                <button type="button" onClick={() => setStart((s) => addDaysTo(s, 7))}>
                  Semaine suivante ›
                </button>
                <form className="go-to" onSubmit={jump} aria-label="Aller à une date">
                  <label htmlFor="grid-go-to">Aller au</label>
                  <input
                    id="grid-go-to"
                    value={goTo}
                    inputMode="numeric"
                    placeholder="jj/mm/aaaa"
                    maxLength={10}
                    aria-invalid={goToError ? true : undefined}
                    aria-describedby={goToError ? 'grid-go-to-error' : undefined}
                    onChange={(e) => {
                      setGoTo(e.target.value);
                      setGoToError(null);
                    }}
                  />
                  <button type="submit">Afficher</button>
                  {goToError && (
                    <span id="grid-go-to-error" className="field-error">
                      {goToError}
                    </span>
                  )}
                </form>
              </div>
            )
          )}
        </div>
        {grid.error && <p className="form-error">{grid.error}</p>}
        {granularity === 'month' ? (
          <MonthPicker
            schoolYear={schoolYear}
            cells={grid.current ? cells : []}
            today={today}
            pressed={pressedMonths}
            onToggle={toggleMonth}
          />
        ) : view === 'period' && granularity === 'day' ? (
          <PeriodForm
            activity={activity}
            today={today}
            onAdd={(entry) => {
              setEntries((list) =>
                list.some((e) => entryKey(e) === entryKey(entry)) ? list : [...list, entry],
              );
              setResult(null);
            }}
          />
        ) : (
          <>
            {granularity === 'week' && (
              <p className="muted">
                « {activity.name} » se réserve à la semaine entière, sur un seul site : une case ajoute ou
                retire toute sa semaine.
              </p>
            )}
            <WeekGrid
              cells={cells}
              units={activity.units}
              start={start}
              weeks={WEEKS_SHOWN}
              today={today}
              caption={caption}
              marks={marks}
              loading={!grid.current}
              onToggle={toggleCell}
              onShift={(n) => setStart((s) => addDaysTo(s, 7 * n))}
            />
            <Legend />
          </>
        )}
      </div>
      <BasketPanel
        activity={activity}
        entries={entries}
        requests={requests}
        outcomes={outcomes}
        reason={reason}
        onReason={(text) => {
          setReason(text);
          setReasonError(null);
        }}
        reasonError={reasonError}
        reasonRef={reasonRef}
        busy={busy}
        result={result}
        onRemove={(entry) => change(toggleEntry(entries, entry), 'Retiré du panier.')}
        onClear={() => change([], 'Panier vidé.')}
        onValidate={() => void validate()}
      />
    </div>
  );
}

const LEGEND: [string, string][] = [
  ['cell-bookable', 'Réservable'],
  ['cell-late', 'Hors délai : majoré, motif obligatoire'],
  ['cell-booked', 'Réservé'],
  ['cell-present', 'Présent'],
  ['cell-absent', 'Absent'],
  ['cell-full', 'Complet'],
  ['cell-closed', 'Non réservable ou non modifiable'],
  ['cell-adding', 'Ajout demandé (panier)'],
  ['cell-cancelling', 'Annulation demandée (panier)'],
];

function Legend() {
  return (
    <div className="legend">
      <span className="legend-title">Légende :</span>
      <ul className="plain">
        {LEGEND.map(([cls, label]) => (
          <li key={cls}>
            <span className={`swatch cell ${cls}`} aria-hidden="true" />
            {label}
          </li>
        ))}
      </ul>
    </div>
  );
}
