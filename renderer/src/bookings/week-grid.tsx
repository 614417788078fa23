import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { addDaysTo } from '../../../shared/calendar.ts';
import { formatShortDate, formatWeekdayDate, weekdayName } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { CELL_STATES } from '../labels.ts';
import { cellKey, type Cell } from './basket.ts';

/** Places left at or under which a cell shows them: « 3 places ». */
export const LOW_PLACES = 5;
const DAYS = [0, 1, 2, 3, 4];

export interface CellMarks {
  /** Cells the basket would book (asked for one by one, or inside a period, week or month). */
  adds: ReadonlySet<string>;
  /** Cells the basket would cancel. */
  cancels: ReadonlySet<string>;
  /** Cells whose own entry is in the basket: pressing them again takes it out. */
  pressed: ReadonlySet<string>;
}

interface Props {
  cells: readonly Cell[];
  units: readonly { code: string; label: string }[];
  /** Monday of the first week shown. */
  start: string;
  weeks: number;
  today: string;
  caption: string;
  marks: CellMarks;
  loading: boolean;
  onToggle: (cell: Cell) => void;
  /** Moves the weeks shown by n (negative: back). */
  onShift: (weeks: number) => void;
}

const cellId = (key: string) => `cell-${key.replace('|', '-')}`;

function placesText(cell: Cell): string | null {
  if (cell.placesLeft === null || (cell.state !== 'bookable' && cell.state !== 'late')) return null;
  return `${cell.placesLeft} place${cell.placesLeft > 1 ? 's' : ''}`;
}

/** What a cell says beyond its state: the core's reason, the price and why it is higher, the places left. */
export function cellDescription(cell: Cell): string {
  const parts = [cell.detail];
  if (cell.price) {
    parts.push(
      cell.price.surcharge
        ? `${formatEuros(cell.price.cents)} (${cell.price.surcharge.reason})`
        : formatEuros(cell.price.cents),
    );
  }
  const places = placesText(cell);
  if (places) parts.push(`${places} restante${cell.placesLeft === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/**
 * The portals' week grid: one block per week (« Semaine du 07/12/2026 »), Monday to Friday across, one line per
 * unit. Every cell says its state in words and colour, its price, and its places when few are left; the core's
 * reason is its description (tooltip and screen reader). One cell is in the Tab order; the arrows move between
 * cells (past the last week, the grid scrolls on), Page préc./Page suiv. change week, Espace or Entrée toggles
 * the cell in the basket.
 */
export function WeekGrid({
  cells,
  units,
  start,
  weeks,
  today,
  caption,
  marks,
  loading,
  onToggle,
  onShift,
}: Props) {
  const byKey = new Map(cells.map((c) => [cellKey(c.date, c.unitCode), c]));
  const mondays = Array.from({ length: weeks }, (_, w) => addDaysTo(start, 7 * w));
  const rows = mondays.flatMap((monday) => units.map((u) => ({ monday, unit: u })));
  const at = (r: number, c: number) => {
    const row = rows[r];
    return row ? byKey.get(cellKey(addDaysTo(row.monday, c), row.unit.code)) : undefined;
  };
  const keys = rows.flatMap((_, r) => DAYS.map((c) => at(r, c))).filter((c): c is Cell => c !== undefined);
  const [active, setActive] = useState<string | null>(null);
  const activeKey =
    active !== null && byKey.has(active)
      ? active
      : keys.length > 0
        ? cellKey(keys[0]!.date, keys[0]!.unitCode)
        : null;
  const activeCell = activeKey ? byKey.get(activeKey) : undefined;
  const tableRef = useRef<HTMLTableElement>(null);
  // Set when the keyboard moved to a cell that is drawn only once the next weeks arrive.
  const focusPending = useRef(false);

  useEffect(() => {
    if (!focusPending.current || !activeKey) return;
    const button = tableRef.current?.querySelector<HTMLButtonElement>(`[data-key="${activeKey}"]`);
    if (button && active === activeKey) {
      focusPending.current = false;
      button.focus();
    }
  });

  function focusCell(key: string) {
    setActive(key);
    const button = tableRef.current?.querySelector<HTMLButtonElement>(`[data-key="${key}"]`);
    if (button) button.focus();
    else focusPending.current = true;
  }

  function onKeyDown(e: KeyboardEvent<HTMLTableElement>) {
    const target = e.target as HTMLElement;
    const r = Number(target.dataset.row);
    const c = Number(target.dataset.col);
    if (target.dataset.key === undefined || Number.isNaN(r)) return;
    const cell = byKey.get(target.dataset.key);
    const scan = (dr: number, dc: number): Cell | undefined => {
      for (
        let rr = r + dr, cc = c + dc;
        rr >= 0 && rr < rows.length && cc >= 0 && cc < 5;
        rr += dr, cc += dc
      ) {
        const found = at(rr, cc);
        if (found) return found;
      }
      return undefined;
    };
    const shiftTo = (weeksBy: number) => {
      if (!cell) return;
      onShift(weeksBy);
      focusCell(cellKey(addDaysTo(cell.date, 7 * weeksBy), cell.unitCode));
    };
    if (e.key === ' ' || e.key === 'Enter') {
      // Handled here rather than left to the button's own activation, so one press toggles once, whatever the
      // browser does with a key held down.
      e.preventDefault();
      if (cell && !e.repeat) onToggle(cell);
      return;
    }
    let next: Cell | undefined;
    switch (e.key) {
      case 'ArrowRight':
        next = scan(0, 1);
        break;
      case 'ArrowLeft':
        next = scan(0, -1);
        break;
      case 'ArrowDown':
        next = scan(1, 0);
        if (!next && cell) {
          e.preventDefault();
          shiftTo(1);
          return;
        }
        break;
      case 'ArrowUp':
        next = scan(-1, 0);
        if (!next && cell) {
          e.preventDefault();
          shiftTo(-1);
          return;
        }
        break;
      case 'Home':
        next = e.ctrlKey ? keys[0] : DAYS.map((d) => at(r, d)).find(Boolean);
        break;
      case 'End':
        next = e.ctrlKey
          ? keys.at(-1)
          : [...DAYS]
              .reverse()
              .map((d) => at(r, d))
              .find(Boolean);
        break;
      case 'PageDown':
        e.preventDefault();
        shiftTo(1);
        return;
      case 'PageUp':
        e.preventDefault();
        shiftTo(-1);
        return;
      default:
        return;
    }
    e.preventDefault();
    if (next) focusCell(cellKey(next.date, next.unitCode));
  }

  return (
    <div className="week-grid-wrap">
      <table
        ref={tableRef}
        role="grid"
        className="week-grid"
        aria-labelledby="week-grid-caption"
        aria-describedby="week-grid-keys"
        aria-busy={loading}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => {
          // Space activates a button on key up: already done on key down.
          if (e.key === ' ') e.preventDefault();
        }}
      >
        <caption id="week-grid-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">Semaine et unité</span>
            </th>
            {DAYS.map((d) => (
              <th scope="col" key={d}>
                {weekdayName(d + 1)}
              </th>
            ))}
          </tr>
        </thead>
        {mondays.map((monday, w) => (
          <tbody key={monday}>
            <tr className="week-head">
              <th scope="rowgroup">Semaine du {formatShortDate(monday)}</th>
              {DAYS.map((d) => {
                const date = addDaysTo(monday, d);
                return (
                  <td key={d} className={date === today ? 'day-num today' : 'day-num'}>
                    {date.slice(8)}/{date.slice(5, 7)}
                    {date === today && <span className="today-tag"> aujourd’hui</span>}
                  </td>
                );
              })}
            </tr>
            {units.map((unit, u) => (
              <tr key={unit.code}>
                <th scope="row" className="unit-name">
                  {unit.label}
                </th>
                {DAYS.map((d) => {
                  const r = w * units.length + u;
                  const cell = at(r, d);
                  if (!cell) {
                    return (
                      <td key={d} className="cell cell-none">
                        <span aria-hidden="true">—</span>
                        <span className="sr-only">{loading ? 'chargement' : 'pas d’accueil'}</span>
                      </td>
                    );
                  }
                  const key = cellKey(cell.date, cell.unitCode);
                  return (
                    <GridCell
                      key={d}
                      cell={cell}
                      cellKeyValue={key}
                      row={r}
                      col={d}
                      isActive={key === activeKey}
                      marks={marks}
                      onFocus={() => setActive(key)}
                      onToggle={onToggle}
                    />
                  );
                })}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
      <p id="week-grid-keys" className="key-hint">
        Flèches : changer de case · Espace ou Entrée : ajouter au panier ou retirer · Page préc./Page suiv. :
        semaine précédente/suivante · Alt+V : valider le panier
      </p>
      <p className="cell-detail" data-testid="cell-detail">
        {activeCell ? (
          <>
            <strong>
              {activeCell.unitLabel}, {formatWeekdayDate(activeCell.date)} :
            </strong>{' '}
            {cellDescription(activeCell)}
          </>
        ) : (
          ' '
        )}
      </p>
    </div>
  );
}

function GridCell({
  cell,
  cellKeyValue: key,
  row,
  col,
  isActive,
  marks,
  onFocus,
  onToggle,
}: {
  cell: Cell;
  cellKeyValue: string;
  row: number;
  col: number;
  isActive: boolean;
  marks: CellMarks;
  onFocus: () => void;
  onToggle: (cell: Cell) => void;
}) {
  const adding = marks.adds.has(key);
  const cancelling = marks.cancels.has(key);
  const togglable = cell.state === 'bookable' || cell.state === 'late' || cell.state === 'booked';
  const pending = adding ? 'Ajout demandé' : cancelling ? 'Annulation demandée' : null;
  const places = placesText(cell);
  const low = places !== null && (cell.placesLeft ?? 0) <= LOW_PLACES;
  const classes = ['cell', `cell-${cell.state}`, adding && 'cell-adding', cancelling && 'cell-cancelling']
    .filter(Boolean)
    .join(' ');
  return (
    <td className={classes}>
      <button
        type="button"
        tabIndex={isActive ? 0 : -1}
        data-key={key}
        data-row={row}
        data-col={col}
        aria-label={`${cell.unitLabel}, ${formatWeekdayDate(cell.date)} : ${CELL_STATES[cell.state]}${pending ? `, ${pending.toLowerCase()}` : ''}`}
        aria-describedby={cellId(key)}
        aria-pressed={togglable ? marks.pressed.has(key) : undefined}
        aria-disabled={!togglable || undefined}
        title={cellDescription(cell)}
        onFocus={onFocus}
        onClick={() => onToggle(cell)}
      >
        <span className="cell-state">{CELL_STATES[cell.state]}</span>
        {cell.price && (
          <span className="cell-price">
            {formatEuros(cell.price.cents)}
            {cell.price.surcharge && <span className="cell-surcharge"> majoré</span>}
          </span>
        )}
        {low && <span className="cell-places">{places}</span>}
        {pending && (
          <span className="cell-pending">
            {adding ? '+ ' : '− '}
            {adding ? 'ajout' : 'annulation'}
          </span>
        )}
      </button>
      <span id={cellId(key)} className="sr-only">
        {cellDescription(cell)}
      </span>
    </td>
  );
}
