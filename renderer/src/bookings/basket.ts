import type { InputOf, OutputOf } from '../../../core/contract.ts';
import { addDaysTo } from '../../../shared/calendar.ts';
import { formatMonth, formatShortDate, formatWeekdayShort } from '../../../shared/dates.ts';
import { weekdaysShort } from '../labels.ts';

export type Activity = OutputOf<'activities.list'>[number];
export type UnitCode = Activity['units'][number]['code'];
export type Grid = OutputOf<'booking.grid'>;
export type Cell = Grid['cells'][number];
export type Selection = InputOf<'booking.book'>['selection'];
export type Plan = OutputOf<'booking.preview'>;
export type Action = 'book' | 'cancel';

/**
 * One change the agent has asked for and not validated yet. `late`: past the families' deadline as the grid
 * showed it (for a cancellation, which has no preview; a booking's lateness comes from booking.preview).
 */
export type BasketEntry =
  | { kind: 'day'; action: Action; date: string; unitCode: UnitCode; unitLabel: string; late: boolean }
  | { kind: 'period'; action: 'book'; from: string; to: string; weekdays: number[]; unitCodes: UnitCode[] }
  | { kind: 'week'; action: Action; weekStart: string; late: boolean }
  | { kind: 'month'; action: Action; month: string; late: boolean };

export function entryKey(e: BasketEntry): string {
  switch (e.kind) {
    case 'day':
      return `day|${e.date}|${e.unitCode}`;
    case 'period':
      return `period|${e.from}|${e.to}|${e.weekdays.join('')}|${e.unitCodes.join(',')}`;
    case 'week':
      return `week|${e.weekStart}`;
    case 'month':
      return `month|${e.month}`;
  }
}

export const cellKey = (date: string, unitCode: string) => `${date}|${unitCode}`;

/** Adds the entry, or takes it out when the same one is already there (a second press undoes the first). */
export function toggleEntry(entries: readonly BasketEntry[], entry: BasketEntry): BasketEntry[] {
  const key = entryKey(entry);
  return entries.some((e) => entryKey(e) === key)
    ? entries.filter((e) => entryKey(e) !== key)
    : [...entries, entry];
}

/** One call of booking.book or booking.cancel, and the basket entries it carries out. */
export interface BasketRequest {
  key: string;
  action: Action;
  unitCodes: UnitCode[];
  selection: Selection;
  entryKeys: string[];
}

/**
 * Groups the basket into as few calls as the contract allows: single days by action and unit (one « days »
 * selection each), every period, week or month on its own.
 */
export function requestsOf(entries: readonly BasketEntry[], allUnits: readonly UnitCode[]): BasketRequest[] {
  const requests: BasketRequest[] = [];
  const days = new Map<string, BasketRequest>();
  for (const e of entries) {
    const key = entryKey(e);
    if (e.kind === 'day') {
      const group = `days|${e.action}|${e.unitCode}`;
      let r = days.get(group);
      if (!r) {
        r = {
          key: group,
          action: e.action,
          unitCodes: [e.unitCode],
          selection: { kind: 'days', dates: [] },
          entryKeys: [],
        };
        days.set(group, r);
        requests.push(r);
      }
      if (r.selection.kind === 'days') r.selection.dates = [...r.selection.dates, e.date].sort();
      r.entryKeys.push(key);
      r.key = `${group}|${r.selection.kind === 'days' ? r.selection.dates.join(',') : ''}`;
      continue;
    }
    const selection: Selection =
      e.kind === 'period'
        ? { kind: 'period', from: e.from, to: e.to, weekdays: e.weekdays }
        : e.kind === 'week'
          ? { kind: 'week', weekStart: e.weekStart }
          : { kind: 'month', month: e.month };
    requests.push({
      key,
      action: e.action,
      unitCodes: e.kind === 'period' ? e.unitCodes : [...allUnits],
      selection,
      entryKeys: [key],
    });
  }
  return requests;
}

/** Whether a planned or refused day belongs to an entry: the basket shows each day under what asked for it. */
export function entryCovers(e: BasketEntry, date: string, unitCode: string): boolean {
  switch (e.kind) {
    case 'day':
      return e.date === date && e.unitCode === unitCode;
    case 'period':
      return e.from <= date && date <= e.to && e.unitCodes.includes(unitCode as UnitCode);
    case 'week':
      return e.weekStart <= date && date <= addDaysTo(e.weekStart, 6);
    case 'month':
      return date.startsWith(e.month);
  }
}

export function describeEntry(e: BasketEntry, units: readonly { code: string; label: string }[]): string {
  const unitNames = (codes: readonly string[]) =>
    codes.map((c) => units.find((u) => u.code === c)?.label ?? c).join(' + ');
  const verb = e.action === 'book' ? 'Réserver' : 'Annuler';
  switch (e.kind) {
    case 'day':
      return `${verb} ${formatWeekdayShort(e.date)} · ${e.unitLabel}`;
    case 'period':
      return `${verb} du ${formatShortDate(e.from)} au ${formatShortDate(e.to)}, ${weekdaysShort(e.weekdays)} · ${unitNames(e.unitCodes)}`;
    case 'week':
      return `${verb} la semaine du ${formatShortDate(e.weekStart)}`;
    case 'month':
      return `${verb} ${formatMonth(e.month)}`;
  }
}
