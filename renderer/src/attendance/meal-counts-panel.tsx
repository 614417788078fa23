import { useId, useState } from 'react';
import { addDaysTo } from '../../../shared/calendar.ts';
import { formatWeekdayDate } from '../../../shared/dates.ts';
import { PrintButton } from '../billing/print-button.tsx';
import { useCounter } from '../counter-context.ts';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';

/** The kitchen orders a week ahead at most; today and the next six days fit on one screen. */
const DAYS_AHEAD = 6;

/**
 * « Repas à préparer »: the meals booked at each site for today and the next days, with the special meals the
 * fiches sanitaires ask for and the PAI among them. Numbers only, for the kitchen; printed as well.
 */
export function MealCountsPanel({ sites }: { sites: readonly { id: string; name: string }[] }) {
  const { today } = useTownClock();
  const api = useCounter();
  const ids = useId();
  const [siteId, setSiteId] = useState('');
  const range = { from: today, to: addDaysTo(today, DAYS_AHEAD), ...(siteId ? { siteId } : {}) };
  const counts = useQuery('meals.counts', range);
  const days = counts.data ?? [];
  return (
    <section className="card meal-counts" aria-labelledby={`${ids}-title`}>
      <div className="card-head">
        <h2 id={`${ids}-title`}>Repas à préparer</h2>
        <div className="card-actions">
          <label htmlFor={`${ids}-site`}>Lieu des repas</label>
          <select id={`${ids}-site`} value={siteId} onChange={(e) => setSiteId(e.target.value)}>
            <option value="">Tous les sites</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <PrintButton load={() => api.invoke('meals.countsPdf', range)}>
            Imprimer les effectifs repas
          </PrintButton>
        </div>
      </div>
      {counts.error && !counts.data && <p className="form-error">{counts.error}</p>}
      {!counts.data ? (
        <p className="muted">Chargement…</p>
      ) : days.length === 0 ? (
        <p className="muted">Aucun repas réservé d’ici le {formatWeekdayDate(range.to)}.</p>
      ) : (
        <table className="grid" data-testid="meal-counts">
          <thead>
            <tr>
              {[
                'Jour',
                'Site',
                'Repas',
                'Sans viande',
                'Menu adapté',
                'Panier repas',
                'À préparer',
                'Dont PAI',
              ].map((c) => (
                <th scope="col" key={c}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.flatMap((d) =>
              d.sites.map((s, i) => (
                <tr key={`${d.date}-${s.siteId}`}>
                  {i === 0 && (
                    <th scope="rowgroup" rowSpan={d.sites.length}>
                      {formatWeekdayDate(d.date)}
                      {d.date === today && ' (aujourd’hui)'}
                    </th>
                  )}
                  <td>{s.siteName}</td>
                  <td className="num">{s.meals}</td>
                  <td className="num">{s.withoutMeat || '—'}</td>
                  <td className="num">{s.adapted || '—'}</td>
                  <td className="num">{s.packed || '—'}</td>
                  <td className="num">{s.meals - s.packed}</td>
                  <td className="num">{s.pai || '—'}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
