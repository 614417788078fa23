import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { isoWeekday, nextMonth } from '../../../shared/calendar.ts';
import { formatMonth, formatShortDate, WEEKDAY_NAMES } from '../../../shared/dates.ts';
import { Section } from '../family/section.tsx';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';

type Activity = OutputOf<'activities.list'>[number];
type Day = OutputOf<'admin.openingMonth'>['days'][number];

const previousMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/** The month's days in weeks, Monday first, blanks before the 1st and after the last day. */
function weeks(days: readonly Day[]): (Day | null)[][] {
  const cells: (Day | null)[] = [
    ...Array<null>(days.length ? isoWeekday(days[0]!.date) - 1 : 0).fill(null),
    ...days,
  ];
  while (cells.length % 7) cells.push(null);
  const out: (Day | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) out.push(cells.slice(i, i + 7));
  return out;
}

/**
 * « Ouvertures »: the opening calendar of a unit at a site, month by month — the days it runs, and each day it does
 * not with its reason (public holiday, closure, school holidays, school year not imported). Computed by the rules
 * bookings follow, from the activity's calendar, the unit's weekdays, the school calendar and the closures.
 */
export function OpeningsSection({ activities }: { activities: readonly Activity[] }) {
  const { today } = useTownClock();
  const withCalendar = activities.filter((a) => a.settings.calendar !== 'none');
  const [activityId, setActivityId] = useState(withCalendar[0]?.id ?? '');
  const activity = withCalendar.find((a) => a.id === activityId);
  const [unitCode, setUnitCode] = useState('');
  const [siteId, setSiteId] = useState('');
  const [month, setMonth] = useState(today.slice(0, 7));
  const unit = activity?.units.find((u) => u.code === unitCode) ?? activity?.units[0];
  const site = activity?.sites.find((s) => s.id === siteId) ?? activity?.sites[0];
  const opening = useQuery(
    'admin.openingMonth',
    activity && unit && site
      ? { activityId: activity.id, unitCode: unit.code, siteId: site.id, month }
      : null,
  );
  const data = opening.current ? opening.data : null;

  return (
    <Section title="Calendrier d’ouverture">
      <div className="field-grid">
        <div className="field field-l">
          <label htmlFor="opening-activity">Activité</label>
          <select
            id="opening-activity"
            value={activityId}
            onChange={(e) => {
              setActivityId(e.target.value);
              setUnitCode('');
              setSiteId('');
            }}
          >
            {withCalendar.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-m">
          <label htmlFor="opening-unit">Unité</label>
          <select id="opening-unit" value={unit?.code ?? ''} onChange={(e) => setUnitCode(e.target.value)}>
            {(activity?.units ?? []).map((u) => (
              <option key={u.code} value={u.code}>
                {u.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-l">
          <label htmlFor="opening-site">Site</label>
          <select id="opening-site" value={site?.id ?? ''} onChange={(e) => setSiteId(e.target.value)}>
            {(activity?.sites ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="form-actions">
        <button type="button" onClick={() => setMonth(previousMonth(month))}>
          ← Mois précédent
        </button>
        <strong data-testid="opening-month" aria-live="polite">
          {formatMonth(month)}
          {data ? ` : ${data.openCount} jour${data.openCount > 1 ? 's' : ''} d’ouverture` : ''}
        </strong>
        <button type="button" onClick={() => setMonth(nextMonth(month))}>
          Mois suivant →
        </button>
      </div>
      {opening.error && <p className="form-error">{opening.error}</p>}
      {data && (
        <table className="grid opening-month" data-testid="opening-calendar">
          <caption className="sr-only">
            Jours d’ouverture de {unit?.label} à {site?.name}, {formatMonth(month)}
          </caption>
          <thead>
            <tr>
              {WEEKDAY_NAMES.map((d) => (
                <th scope="col" key={d}>
                  {d}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks(data.days).map((week, i) => (
              <tr key={i}>
                {week.map((d, j) =>
                  d === null ? (
                    <td key={j} />
                  ) : (
                    <td
                      key={d.date}
                      className={`opening-${d.state}`}
                      data-testid="opening-day"
                      aria-label={`${formatShortDate(d.date)} : ${d.state === 'open' ? 'ouvert' : d.state === 'closed' ? `fermé, ${d.reason}` : 'pas d’accueil ce jour'}`}
                    >
                      <span className="opening-date">{Number(d.date.slice(8))}</span>
                      <span className="opening-reason">
                        {d.state === 'open' ? 'ouvert' : d.state === 'closed' ? d.reason : ''}
                      </span>
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted">
        Les jours d’une unité (dans la fiche de l’activité), moins les jours fériés, les vacances scolaires
        (ou, pour l’accueil de loisirs, la période scolaire) et les fermetures : c’est ce que les réservations
        proposent.
      </p>
    </Section>
  );
}
