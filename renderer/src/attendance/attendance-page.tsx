import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import type { HouseholdFile } from '../../../core/family/read.ts';
import type { SearchHit } from '../../../core/search/search-families.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { useTownClock } from '../town-clock.ts';
import { ATTENDANCE, classLevelLabel, surchargeLabel, type AttendanceStatus } from '../labels.ts';
import { useQuery } from '../use-query.ts';
import { frDateToIso } from '../date-input.ts';
import { addDaysTo } from '../../../shared/calendar.ts';
import { formatShortDate, formatWeekdayDate } from '../../../shared/dates.ts';
import './attendance.css';

type Activity = OutputOf<'activities.list'>[number];
type Sheet = OutputOf<'attendance.sheet'>;
type SheetChild = Sheet['children'][number];

const STATUSES: readonly AttendanceStatus[] = ['present', 'absent_justified', 'absent_unjustified'];
/** The letter that marks a row from the keyboard: P(résent), J(ustifié), N(on justifié). */
const LETTERS: Record<string, AttendanceStatus> = {
  p: 'present',
  j: 'absent_justified',
  n: 'absent_unjustified',
};

/** What a presence without booking costs, in the agent's words. */
export function unbookedPenalty(activity: Activity): string {
  const s = activity.settings.unbookedPresence;
  return s
    ? `facturée ${surchargeLabel(s, activity.units)} (pénalité de présence sans réservation)`
    : 'facturée au prix du service';
}

/**
 * The ALSH staff's attendance sheet: one activity, site, unit and day; every child booked, marked present,
 * absent with or without justification; a child who came without booking is added, and billed with the penalty.
 */
export function AttendancePage() {
  const { today } = useTownClock();
  const api = useCounter();
  const announce = useAnnounce();
  const ids = useId();
  const activities = useQuery('activities.list', {});
  const [activityId, setActivityId] = useState('');
  const [siteId, setSiteId] = useState('');
  const [unitCode, setUnitCode] = useState('');
  const [date, setDate] = useState(today);
  const [dateText, setDateText] = useState(formatShortDate(today));
  const [dateError, setDateError] = useState<string | null>(null);
  const [markError, setMarkError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  useEffect(() => headingRef.current?.focus(), []);

  const usable = (activities.data ?? []).filter(
    (a) => a.settings.granularity === 'day' || a.settings.granularity === 'week',
  );
  const activity = usable.find((a) => a.id === activityId) ?? usable[0];
  const site = activity?.sites.find((s) => s.id === siteId) ?? activity?.sites[0];
  const unit = activity?.units.find((u) => u.code === unitCode) ?? activity?.units[0];
  const sheet = useQuery(
    'attendance.sheet',
    activity && site && unit ? { activityId: activity.id, siteId: site.id, unitCode: unit.code, date } : null,
  );

  function setDay(iso: string) {
    setDate(iso);
    setDateText(formatShortDate(iso));
    setDateError(null);
  }

  function applyDate() {
    const iso = frDateToIso(dateText);
    if (!iso) {
      setDateError('Date invalide : saisissez jj/mm/aaaa.');
      return;
    }
    setDay(iso);
  }

  async function mark(
    child: { childId: string; firstName: string; lastName: string },
    status: AttendanceStatus | null,
  ) {
    if (!activity || !site || !unit) return false;
    const r = await api.invoke('attendance.mark', {
      childId: child.childId,
      activityId: activity.id,
      siteId: site.id,
      unitCode: unit.code,
      date,
      status,
    });
    if (!r.ok) {
      setMarkError(r.error.message);
      announce(r.error.message);
      return false;
    }
    setMarkError(null);
    announce(
      `${child.firstName} ${child.lastName} : ${status ? ATTENDANCE[status].toLowerCase() : 'pointage effacé'}.`,
    );
    sheet.reload();
    return true;
  }

  function focusButton(row: number, col: number) {
    tableRef.current?.querySelector<HTMLButtonElement>(`[data-row="${row}"][data-col="${col}"]`)?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTableElement>, children: readonly SheetChild[]) {
    const target = e.target as HTMLElement;
    if (target.dataset.row === undefined || e.ctrlKey || e.altKey || e.metaKey) return;
    const row = Number(target.dataset.row);
    const col = Number(target.dataset.col);
    const child = children[row];
    const letter = LETTERS[e.key.toLowerCase()];
    if (child && (letter || e.key === 'Delete' || e.key === 'Backspace')) {
      e.preventDefault();
      const status = letter ?? null;
      void mark(child, status).then((ok) => {
        if (ok) focusButton(Math.min(row + 1, children.length - 1), status ? STATUSES.indexOf(status) : col);
      });
      return;
    }
    const moves: Record<string, [number, number]> = {
      ArrowDown: [row + 1, col],
      ArrowUp: [row - 1, col],
      ArrowRight: [row, Math.min(col + 1, 2)],
      ArrowLeft: [row, Math.max(col - 1, 0)],
    };
    const next = moves[e.key];
    if (!next) return;
    e.preventDefault();
    focusButton(...next);
  }

  if (activities.error && !activities.data) return <p className="page-error">{activities.error}</p>;

  const data = sheet.data;
  const counts = data?.counts;
  return (
    <div className="attendance">
      <h1 ref={headingRef} tabIndex={-1}>
        Feuille de pointage
      </h1>
      <div className="card attendance-filters">
        <div className="field field-l">
          <label className="field-label" htmlFor={`${ids}-activity`}>
            Activité
          </label>
          <select
            id={`${ids}-activity`}
            value={activity?.id ?? ''}
            onChange={(e) => {
              setActivityId(e.target.value);
              setSiteId('');
              setUnitCode('');
            }}
          >
            {usable.map((a) => (
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
          <select id={`${ids}-site`} value={site?.id ?? ''} onChange={(e) => setSiteId(e.target.value)}>
            {(activity?.sites ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-unit`}>
            Unité
          </label>
          <select id={`${ids}-unit`} value={unit?.code ?? ''} onChange={(e) => setUnitCode(e.target.value)}>
            {(activity?.units ?? []).map((u) => (
              <option key={u.code} value={u.code}>
                {u.label}
              </option>
            ))}
          </select>
        </div>
        <form
          className="field date-field"
          aria-label="Jour du pointage"
          onSubmit={(e) => {
            e.preventDefault();
            applyDate();
          }}
        >
          <label className="field-label" htmlFor={`${ids}-date`}>
            Jour
          </label>
          <div className="date-row">
            <button type="button" onClick={() => setDay(addDaysTo(date, -1))} aria-label="Jour précédent">
              ‹
            </button>
            <input
              id={`${ids}-date`}
              value={dateText}
              inputMode="numeric"
              placeholder="jj/mm/aaaa"
              maxLength={10}
              aria-invalid={dateError ? true : undefined}
              aria-describedby={dateError ? `${ids}-date-error` : undefined}
              onChange={(e) => {
                setDateText(e.target.value);
                setDateError(null);
              }}
              onBlur={applyDate}
            />
            <button type="button" onClick={() => setDay(addDaysTo(date, 1))} aria-label="Jour suivant">
              ›
            </button>
            <button type="button" onClick={() => setDay(today)}>
              Aujourd’hui
            </button>
          </div>
          {dateError && (
            <span id={`${ids}-date-error`} className="field-error">
              {dateError}
            </span>
          )}
        </form>
      </div>

      {!activity ? (
        <p className="muted">Aucune activité ne se pointe à la journée.</p>
      ) : (
        <section className="card" aria-labelledby={`${ids}-sheet`} aria-busy={!sheet.current}>
          <div className="card-head">
            <h2 id={`${ids}-sheet`}>
              {activity.name} — {unit?.label}, {site?.name}, {formatWeekdayDate(date)}
            </h2>
            <div className="card-actions">
              <button type="button" onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
                Ajouter un enfant présent sans réservation
              </button>
            </div>
          </div>
          {counts && (
            <dl className="counts" data-testid="attendance-counts">
              <div>
                <dt>Réservés</dt>
                <dd>{counts.booked}</dd>
              </div>
              <div>
                <dt>Présents</dt>
                <dd>{counts.present}</dd>
              </div>
              <div>
                <dt>Absents</dt>
                <dd>{counts.absent}</dd>
              </div>
              <div>
                <dt>Non pointés</dt>
                <dd>{counts.unmarked}</dd>
              </div>
              <div>
                <dt>Places</dt>
                <dd>
                  {data.places === null
                    ? 'sans limite'
                    : `${data.places} (${Math.max(data.places - counts.booked, 0)} libres)`}
                </dd>
              </div>
            </dl>
          )}
          {adding && (
            <AddUnbooked
              activity={activity}
              onMark={async (child) => {
                const ok = await mark(child, 'present');
                if (ok) {
                  setAdding(false);
                  announce(
                    `${child.firstName} ${child.lastName} : présent(e) sans réservation, ${unbookedPenalty(activity)}.`,
                  );
                }
              }}
              onClose={() => setAdding(false)}
            />
          )}
          {markError && <p className="form-error">{markError}</p>}
          {sheet.error && !data && <p className="form-error">{sheet.error}</p>}
          {!data ? (
            <p className="muted">Chargement…</p>
          ) : data.children.length === 0 ? (
            <p className="muted">Aucun enfant réservé ce jour-là.</p>
          ) : (
            <>
              <table
                ref={tableRef}
                className="grid sheet"
                aria-describedby={`${ids}-keys`}
                onKeyDown={(e) => onKeyDown(e, data.children)}
              >
                <thead>
                  <tr>
                    {['Enfant', 'Classe', 'Foyer', 'Remarques', 'Pointage'].map((c) => (
                      <th scope="col" key={c}>
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.children.map((c, row) => (
                    <SheetRow
                      key={c.childId}
                      child={c}
                      row={row}
                      penalty={
                        activity.settings.unbookedPresence
                          ? surchargeLabel(activity.settings.unbookedPresence, activity.units)
                          : null
                      }
                      onMark={(s) => void mark(c, s)}
                    />
                  ))}
                </tbody>
              </table>
              <p id={`${ids}-keys`} className="key-hint">
                P : présent · J : absent justifié · N : absent non justifié (puis enfant suivant) · Suppr :
                effacer · Flèches : se déplacer
              </p>
            </>
          )}
        </section>
      )}
    </div>
  );
}

function SheetRow({
  child,
  row,
  penalty,
  onMark,
}: {
  child: SheetChild;
  row: number;
  /** The surcharge of a presence without booking, when the activity sets one. */
  penalty: string | null;
  onMark: (status: AttendanceStatus | null) => void;
}) {
  const name = `${child.firstName} ${child.lastName}`;
  const focusable = child.attendance ? STATUSES.indexOf(child.attendance as AttendanceStatus) : 0;
  return (
    <tr data-testid="sheet-row" className={child.attendance ? `marked-${child.attendance}` : undefined}>
      <th scope="row">{name}</th>
      <td>{classLevelLabel(child.classLevel)}</td>
      <td>{child.householdName}</td>
      <td>
        {child.unbooked && (
          <>
            <span className="tag tag-unbooked">sans réservation</span>
            {penalty && <span className="penalty">pénalité : {penalty}</span>}
          </>
        )}
        {child.late && <span className="tag tag-late">réservé hors délai</span>}
      </td>
      <td>
        <div role="group" aria-label={`Pointage de ${name}`} className="marks">
          {STATUSES.map((status, col) => {
            const on = child.attendance === status;
            return (
              <button
                key={status}
                type="button"
                className={`mark mark-${status}`}
                aria-pressed={on}
                tabIndex={col === focusable ? 0 : -1}
                data-row={row}
                data-col={col}
                onClick={() => onMark(on ? null : status)}
              >
                {ATTENDANCE[status]}
              </button>
            );
          })}
        </div>
      </td>
    </tr>
  );
}

/** Finds a child through the family search, then the household's file, and notes the child present. */
function AddUnbooked({
  activity,
  onMark,
  onClose,
}: {
  activity: Activity;
  onMark: (child: { childId: string; firstName: string; lastName: string }) => Promise<void>;
  onClose: () => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [file, setFile] = useState<HouseholdFile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => inputRef.current?.focus(), []);

  async function search() {
    const r = await api.invoke('family.search', { text, limit: 10 });
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setError(null);
    setFile(null);
    setHits(r.data);
    announce(r.data.length === 0 ? 'Aucun foyer trouvé.' : `${r.data.length} foyer(s) trouvé(s).`);
  }

  async function open(householdId: string) {
    const r = await api.invoke('family.get', { householdId });
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setFile(r.data);
  }

  return (
    <div
      className="new-item add-unbooked"
      role="group"
      aria-label="Ajouter un enfant présent sans réservation"
    >
      <p className="notice">Une présence sans réservation est {unbookedPenalty(activity)}.</p>
      <form
        className="search-inline"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
          }
        }}
      >
        <label htmlFor="unbooked-search">Rechercher l’enfant (nom, prénom)</label>
        <input
          id="unbooked-search"
          ref={inputRef}
          value={text}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">Rechercher</button>
        <button type="button" onClick={onClose}>
          Fermer
        </button>
      </form>
      {error && <p className="form-error">{error}</p>}
      {hits && !file && (
        <ul className="plain hit-list">
          {hits.map((h) => (
            <li key={h.householdId}>
              <button type="button" onClick={() => void open(h.householdId)}>
                Foyer {h.householdName}
              </button>{' '}
              <span className="muted">{h.summary}</span>
            </li>
          ))}
        </ul>
      )}
      {file && (
        <ul className="plain hit-list" aria-label={`Enfants du foyer ${file.name}`}>
          {file.children.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className="primary"
                onClick={() => void onMark({ childId: c.id, firstName: c.firstName, lastName: c.lastName })}
              >
                Noter {c.firstName} {c.lastName} présent(e)
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
