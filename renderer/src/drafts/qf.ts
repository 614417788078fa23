import type { InputOf } from '../../../core/contract.ts';
import type { QfRecord } from '../../../core/family/qf.ts';
import { formatShortMonth } from '../../../shared/dates.ts';
import { checker } from '../forms/checks.ts';
import type { QfSource } from '../labels.ts';

export type QfValues = Omit<InputOf<'family.addQf'>, 'householdId' | 'qfId'>;

export interface QfDraft {
  value: string;
  source: QfSource;
  /** As typed: mm/aaaa. */
  effectiveMonth: string;
  endMonth: string;
}

/**
 * A new QF usually takes effect this month (the town's, from `today` 'YYYY-MM-DD' as the core gives it); the agent
 * changes it when the notice says otherwise.
 */
export const emptyQf = (today: string): QfDraft => ({
  value: '',
  source: 'CAF',
  effectiveMonth: formatShortMonth(today.slice(0, 7)),
  endMonth: '',
});

export const qfDraft = (q: QfRecord): QfDraft => ({
  value: String(q.value),
  // Sources come from the same list the core validates.
  source: q.source as QfSource,
  effectiveMonth: formatShortMonth(q.effectiveMonth),
  endMonth: q.endMonth === null ? '' : formatShortMonth(q.endMonth),
});

/** Nothing but the prefilled month: the agent did not enter a QF. */
export const isBlankQf = (d: QfDraft): boolean => d.value.trim() === '' && d.endMonth.trim() === '';

export function qfValues(d: QfDraft, prefix = '') {
  const c = checker(prefix);
  const values: QfValues = {
    value: c.integer('value', d.value),
    source: d.source,
    effectiveMonth: c.month('effectiveMonth', d.effectiveMonth, true) ?? '',
    endMonth: c.month('endMonth', d.endMonth, false),
  };
  return { values, errors: c.errors };
}
