import { useState } from 'react';
import { formatWeekdayDate } from '../../../shared/dates.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { Section } from '../family/section.tsx';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';

/**
 * « Jours fériés »: the public holidays of a year as the app computes them (Easter-based ones included), never
 * bookable nor invoiced, and the town's Alsace-Moselle option (Good Friday and 26 December). The school holidays are
 * imported in « Calendrier scolaire ».
 */
export function PublicHolidaysSection({ onSchoolCalendar }: { onSchoolCalendar: () => void }) {
  const api = useCounter();
  const announce = useAnnounce();
  const { today } = useTownClock();
  const [year, setYear] = useState(Number(today.slice(0, 4)));
  const holidays = useQuery('admin.publicHolidays', { year });
  const [error, setError] = useState<string | null>(null);
  const data = holidays.data;

  async function setAlsaceMoselle(on: boolean) {
    if (!data || data.zone === null) return;
    const r = await api.invoke('admin.setTownCalendar', {
      townName: data.townName,
      zone: data.zone as 'A' | 'B' | 'C',
      alsaceMoselle: on,
    });
    if (!r.ok) {
      setError(r.error.message);
      return announce(r.error.message);
    }
    setError(null);
    announce(on ? 'Jours fériés d’Alsace-Moselle ajoutés.' : 'Jours fériés d’Alsace-Moselle retirés.');
    holidays.reload();
  }

  return (
    <Section title="Jours fériés">
      <div className="form-actions">
        <button type="button" onClick={() => setYear(year - 1)}>
          ← {year - 1}
        </button>
        <strong aria-live="polite" data-testid="holidays-year">
          Année {year}
        </strong>
        <button type="button" onClick={() => setYear(year + 1)}>
          {year + 1} →
        </button>
      </div>
      {data && (
        <>
          <div className="field field-check">
            <input
              id="alsace-moselle"
              type="checkbox"
              checked={data.alsaceMoselle}
              disabled={data.zone === null}
              onChange={(e) => void setAlsaceMoselle(e.target.checked)}
            />
            <label htmlFor="alsace-moselle">
              Commune d’Alsace-Moselle (Vendredi saint et 26 décembre fériés)
            </label>
          </div>
          {error && <p className="form-error">{error}</p>}
          <table className="grid" data-testid="public-holidays">
            <caption className="sr-only">Jours fériés de l’année {data.year}</caption>
            <thead>
              <tr>
                <th scope="col">Jour</th>
                <th scope="col">Fête</th>
              </tr>
            </thead>
            <tbody>
              {data.holidays.map((h) => (
                <tr key={h.date}>
                  <td>{formatWeekdayDate(h.date)}</td>
                  <th scope="row">{h.name}</th>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <p className="muted">
        Les jours fériés sont calculés (Pâques et les fêtes qui en dépendent compris) : aucune réservation ni
        facturation ces jours-là. Les vacances scolaires viennent du calendrier de l’Éducation nationale.{' '}
        <button type="button" className="link" onClick={onSchoolCalendar}>
          Importer le calendrier scolaire
        </button>
      </p>
    </Section>
  );
}
