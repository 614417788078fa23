import { toLocalDate } from './calendar/local-date.ts';

/** Today in the town, 'YYYY-MM-DD', whatever the machine's time zone. */
export const parisDate = (instant: Date): string => toLocalDate(instant);
/** This month in the town, 'YYYY-MM': the month whose QF and tariffs apply. */
export const parisMonth = (instant: Date): string => toLocalDate(instant).slice(0, 7);
