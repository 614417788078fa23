import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { HouseholdFile } from '../../../core/family/read.ts';
import { addDaysTo, schoolYearOf, weekStartOf } from '../../../shared/calendar.ts';
import { formatMonth, formatShortDate, formatWeekdayDate } from '../../../shared/dates.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { CELL_STATES } from '../labels.ts';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';
import {
  basketSize,
  cellKey,
  entriesFor,
  entryCovers,
  entryKey,
  groupRequests,
  setEntriesFor,
  targetKey,
  toggleEntry,
  type Activity,
  type BasketEntry,
  type BasketGroup,
  type BasketTarget,
  type Cell,
  type TargetedRequest,
  type UnitCode,
} from './basket.ts';
import {
  BasketPanel,
  linesOf,
  resultSentence,
  summarise,
  type PanelGroup,
  type ValidationResult,
} from './basket-panel.tsx';
import type { Outcome } from './use-preview.ts';
import { sendBasket } from './send-basket.ts';
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
 * or the period view (or the week or month the activity is booked by) and the basket. The basket is the
 * family's: the agent goes from child to child and activity to activity, adding to it, and validates it once.
 * It lives in this component's state, so it outlasts a lock (the app stays mounted behind it) and goes with a
 * change of agent (which unmounts the app).
 */
export function BookingsPanel({ file }: { file: HouseholdFile }) {
  const { today } = useTownClock();
  const api = useCounter();
  const announce = useAnnounce();
  const list = useQuery('enrolment.list', { householdId: file.id });
  const activities = useQuery('activities.list', {});
  const [childId, setChildId] = useState(file.children[0]?.id ?? '');
  const [activityId, setActivityId] = useState('');
  const [siteId, setSiteId] = useState('');
  const [basket, setBasket] = useState<BasketGroup[]>([]);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ValidationResult | null>(null);
  // Bumped after a validation, so the grid on screen shows what was booked.
  const [validations, setValidations] = useState(0);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const ids = useId();
  // The family view: every child's activities booked by the day or the week, one grid each, on one week.
  const [familyView, setFamilyView] = useState(false);
  const [familyStart, setFamilyStart] = useState(() => weekStartOf(today));

  const groups = useMemo<(PanelGroup & { target: BasketTarget; requests: TargetedRequest[] })[]>(
    () =>
      basket.flatMap((g) => {
        const activity = activities.data?.find((a) => a.id === g.target.activityId);
        if (!activity) return [];
        const requests = groupRequests(
          g,
          activity.units.map((u) => u.code),
        );
        return [
          {
            key: targetKey(g.target),
            title: g.title,
            activity,
            entries: g.entries,
            target: g.target,
            requests,
          },
        ];
      }),
    [basket, activities.data],
  );
  const allRequests = useMemo(() => groups.flatMap((g) => g.requests), [groups]);
  const { outcomes } = useBasketPreview(allRequests);
  const lines = groups.flatMap((g) => g.entries.flatMap((e) => linesOf(e, g.requests, outcomes)));
  const summary = summarise(lines);

  async function validate() {
    if (busy) return;
    if (groups.length === 0) return announce('Le panier est vide.');
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
    const { result: done, finished } = await sendBasket(api, groups, reason);
    setBusy(false);
    setBasket((b) =>
      b
        .map((g) => ({
          ...g,
          entries: g.entries.filter((e) => !finished.has(`${targetKey(g.target)}#${entryKey(e)}`)),
        }))
        .filter((g) => g.entries.length > 0),
    );
    if (done.errors.length === 0) setReason('');
    setReasonError(null);
    setResult(done);
    announce(resultSentence(done) + (done.errors.length ? ` ${done.errors.join(' ')}` : ''));
    setValidations((n) => n + 1);
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
  const size = basketSize(basket);
  const target = activity && site ? { childId: child.id, activityId: activity.id, siteId: site.id } : null;

  /** The grid of one child × activity × site, its part of the basket wired in. */
  function bookingOf(
    c: { id: string; firstName: string },
    a: Activity,
    s: { id: string; name: string },
    pending: boolean,
    family?: BookingProps['family'],
  ) {
    const t = { childId: c.id, activityId: a.id, siteId: s.id };
    const title = `${c.firstName} — ${a.name}, ${s.name}`;
    return (
      <Booking
        key={targetKey(t)}
        child={{ id: c.id, firstName: c.firstName }}
        activity={a}
        site={s}
        today={today}
        pendingEnrolment={pending}
        entries={entriesFor(basket, t)}
        onEntries={(next) => {
          setBasket((b) => setEntriesFor(b, t, title, next));
          setResult(null);
        }}
        requests={groups.find((g) => g.key === targetKey(t))?.requests ?? []}
        outcomes={outcomes}
        validations={validations}
        basketPanel={family ? null : basketPanel}
        {...(family ? { family } : {})}
      />
    );
  }

  // Each child's activities of the current school year that are booked by the day or the week, at the
  // enrolment's site: the month and enrolment-only ones have no week to show.
  const familyTargets = file.children.flatMap((c) =>
    list
      .data!.enrolments.filter((e) => e.childId === c.id && e.schoolYear === current)
      .flatMap((e) => {
        const a = activities.data!.find((x) => x.id === e.activityId);
        if (!a || (a.settings.granularity !== 'day' && a.settings.granularity !== 'week')) return [];
        const s = a.sites.find((x) => x.id === e.siteId) ?? a.sites[0];
        return s ? [{ child: c, activity: a, site: s, pending: e.status === 'pending' }] : [];
      }),
  );

  const basketPanel = (
    <BasketPanel
      groups={groups}
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
      onRemove={(key, entry) => {
        const group = basket.find((g) => targetKey(g.target) === key);
        if (!group) return;
        setBasket(setEntriesFor(basket, group.target, group.title, toggleEntry(group.entries, entry)));
        setResult(null);
        announce(`Retiré du panier (${group.title}).`);
      }}
      onClear={() => {
        setBasket([]);
        setResult(null);
        announce('Panier vidé.');
      }}
      onValidate={() => void validate()}
    />
  );

  return (
    <div className="bookings">
      <div className="booking-target card">
        <div role="group" aria-label="Réservations affichées" className="segmented family-toggle">
          <button type="button" aria-pressed={!familyView} onClick={() => setFamilyView(false)}>
            Un enfant
          </button>
          <button type="button" aria-pressed={familyView} onClick={() => setFamilyView(true)}>
            Tout le foyer
          </button>
        </div>
        {!familyView && (
          <>
            <div className="field">
              <label className="field-label" htmlFor={`${ids}-child`}>
                Enfant
              </label>
              <select
                id={`${ids}-child`}
                value={child.id}
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
                disabled={enrolled.length === 0}
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
                disabled={!activity}
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
          </>
        )}
        {size > 0 && (
          <p className="muted target-note">
            Panier en cours ({size}) : il garde ses changements quand vous passez à un autre enfant ou une
            autre activité.
          </p>
        )}
        {activity && !familyView && (
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
      {familyView ? (
        <div className="booking">
          <div className="booking-main">
            <div className="booking-toolbar">
              <div role="group" aria-label="Semaine affichée" className="nav-group">
                <button type="button" onClick={() => setFamilyStart((s) => addDaysTo(s, -7))}>
                  ‹ Semaine précédente
                </button>
                <button type="button" onClick={() => setFamilyStart(weekStartOf(today))}>
                  Aujourd’hui
                </button>
                <button type="button" onClick={() => setFamilyStart((s) => addDaysTo(s, 7))}>
                  Semaine suivante ›
                </button>
                <strong>Semaine du {formatShortDate(familyStart)}</strong>
              </div>
            </div>
            {familyTargets.length === 0 ? (
              <p className="notice">
                Aucun enfant du foyer n’est inscrit cette année à une activité réservée au jour ou à la
                semaine.
              </p>
            ) : (
              familyTargets.map((f) =>
                bookingOf(f.child, f.activity, f.site, f.pending, {
                  start: familyStart,
                  onShift: (n) => setFamilyStart((s) => addDaysTo(s, 7 * n)),
                }),
              )
            )}
            <Legend />
          </div>
          {basketPanel}
        </div>
      ) : !activity || !site || !target ? (
        <div className="booking">
          <div className="booking-main">
            <p className="notice">
              {child.firstName} n’est inscrit(e) à aucune activité : inscrivez-le ou inscrivez-la d’abord
              (onglet Inscriptions).
            </p>
          </div>
          {basketPanel}
        </div>
      ) : activity.settings.granularity === 'enrolment' ? (
        <div className="booking">
          <div className="booking-main">
            <p className="notice">
              « {activity.name} » ne se réserve pas : l’inscription
              {enrolment?.groupName ? ` (groupe ${enrolment.groupName})` : ''} suffit.
            </p>
          </div>
          {basketPanel}
        </div>
      ) : (
        bookingOf(child, activity, site, enrolment?.status === 'pending')
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
  /** This target's part of the family's basket, and how to replace it. */
  entries: readonly BasketEntry[];
  onEntries: (next: BasketEntry[]) => void;
  requests: readonly TargetedRequest[];
  outcomes: ReadonlyMap<string, Outcome>;
  /** Counts the basket's validations: the grid is asked again after each. */
  validations: number;
  basketPanel: ReactNode;
  /** In the family view: one week, the family's, shared by every child's grid; no toolbar, legend or basket. */
  family?: { start: string; onShift: (weeks: number) => void };
}

function Booking({
  child,
  activity,
  site,
  today,
  pendingEnrolment,
  entries,
  onEntries,
  requests,
  outcomes,
  validations,
  basketPanel,
  family,
}: BookingProps) {
  const announce = useAnnounce();
  const granularity = activity.settings.granularity;
  const [view, setView] = useState<'grid' | 'period'>('grid');
  const [ownStart, setStart] = useState(() => weekStartOf(today));
  const start = family?.start ?? ownStart;
  const weeks = family ? 1 : WEEKS_SHOWN;
  const [schoolYear, setSchoolYear] = useState(() => schoolYearOf(today));
  const [goTo, setGoTo] = useState('');
  const [goToError, setGoToError] = useState<string | null>(null);

  const target = { childId: child.id, activityId: activity.id, siteId: site.id };
  const yearStart = Number(schoolYear.slice(0, 4));
  const range =
    granularity === 'month'
      ? { from: `${yearStart}-09-01`, to: `${yearStart + 1}-07-31` }
      : { from: start, to: addDaysTo(start, 7 * weeks - 3) };
  const grid = useQuery('booking.grid', { ...target, ...range });
  const gridData = grid.data;
  const cells = useMemo(() => gridData?.cells ?? [], [gridData]);

  const reloadGrid = grid.reload;
  const seenValidations = useRef(validations);
  useEffect(() => {
    if (seenValidations.current === validations) return;
    seenValidations.current = validations;
    reloadGrid();
  }, [validations, reloadGrid]);

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
    onEntries(next);
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
  const shift = (n: number) => (family ? family.onShift(n) : setStart((s) => addDaysTo(s, 7 * n)));

  if (family) {
    return (
      <div className="family-grid">
        {pendingEnrolment && (
          <p className="notice">
            Inscription en attente : dossier incomplet. Les jours ne sont pas réservables.
          </p>
        )}
        {grid.error && <p className="form-error">{grid.error}</p>}
        <WeekGrid
          cells={cells}
          units={activity.units}
          start={start}
          weeks={1}
          today={today}
          caption={caption}
          marks={marks}
          loading={!grid.current}
          onToggle={toggleCell}
          onShift={shift}
          compact
        />
      </div>
    );
  }
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
              if (!entries.some((e) => entryKey(e) === entryKey(entry))) onEntries([...entries, entry]);
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
              onShift={shift}
            />
            <Legend />
          </>
        )}
      </div>
      {basketPanel}
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
