/*
 * The French wording of amounts and days on invoices and the régie's papers is the screens' own, defined once in
 * shared/; the billing code keeps importing it from here.
 */
export { formatEuros } from '../../shared/money.ts';
export { formatDates, formatLongDate, formatMonth, formatShortDate } from '../../shared/dates.ts';
export { lastDayOf, nextMonth } from '../../shared/calendar.ts';
