import { formatMonth } from '../../../shared/dates.ts';
import type { Cell } from './basket.ts';

/** The months of a school year, September to July. */
export function monthsOf(schoolYear: string): string[] {
  const start = Number(schoolYear.slice(0, 4));
  return [9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7].map(
    (m) => `${m >= 9 ? start : start + 1}-${String(m).padStart(2, '0')}`,
  );
}

export type MonthState = 'booked' | 'bookable' | 'late';

/** A month booking stands on the 1st of the month: the grid's cell of that day says whether it is booked. */
export function monthState(month: string, cells: readonly Cell[], today: string): MonthState {
  const first = cells.find((c) => c.date === `${month}-01`);
  if (first && (first.state === 'booked' || first.state === 'present' || first.state === 'absent'))
    return 'booked';
  return `${month}-01` <= today ? 'late' : 'bookable';
}

const STATE_LABELS: Record<MonthState, string> = {
  booked: 'Réservé',
  bookable: 'Réservable',
  late: 'Commencé : hors délai',
};

/** The study's month picker: one toggle per month of the school year, added to or cancelled from the basket. */
export function MonthPicker({
  schoolYear,
  cells,
  today,
  pressed,
  onToggle,
}: {
  schoolYear: string;
  cells: readonly Cell[];
  today: string;
  pressed: ReadonlySet<string>;
  onToggle: (month: string, state: MonthState) => void;
}) {
  return (
    <ul className="months" aria-label={`Mois de l’année scolaire ${schoolYear}`}>
      {monthsOf(schoolYear).map((month) => {
        const state = monthState(month, cells, today);
        const inBasket = pressed.has(month);
        return (
          <li key={month}>
            <button
              type="button"
              className={`month month-${state}${inBasket ? ' month-pending' : ''}`}
              aria-pressed={inBasket}
              onClick={() => onToggle(month, state)}
            >
              <span className="month-name">{formatMonth(month)}</span>
              <span className="month-state">{STATE_LABELS[state]}</span>
              {inBasket && (
                <span className="cell-pending">{state === 'booked' ? '− annulation' : '+ ajout'}</span>
              )}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
