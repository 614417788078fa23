export interface QfRecord {
  id: string;
  value: number;
  source: string;
  effectiveMonth: string;
  endMonth: string | null;
  recordedAt: string;
  /** Where and when an agent checked it (CDAP, API Particulier, a paper notice), and who; null: not recorded. */
  checkedVia?: 'cdap' | 'api_particulier' | 'document' | null;
  checkedOn?: string | null;
  checkedBy?: string | null;
}

/** 'YYYY-MM' → the month before. */
export function monthBefore(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Whether `other` replaces `r` from its effective month: it takes effect later, or the same month recorded later. */
const replaces = (other: QfRecord, r: QfRecord): boolean =>
  other.effectiveMonth > r.effectiveMonth ||
  (other.effectiveMonth === r.effectiveMonth && other.recordedAt > r.recordedAt);

/**
 * The last month a QF prices ('YYYY-MM'), null: until a later one comes. A QF ends at its own end month or the
 * month before the next QF takes effect, whichever comes first: a later QF closes the earlier one for good, so it
 * never comes back when the later one expires. Before its own effective month (a QF recorded again for the same
 * month) a QF prices nothing.
 */
export function qfValidUntil(records: readonly QfRecord[], r: QfRecord): string | null {
  let end = r.endMonth;
  for (const other of records) {
    if (other.id === r.id || !replaces(other, r)) continue;
    const before = monthBefore(other.effectiveMonth);
    if (end === null || before < end) end = before;
  }
  return end;
}

/** The QF that takes effect next after `month` among `records`, if any: the one a QF of that month precedes. */
export function nextQfAfter<T extends QfRecord>(records: readonly T[], month: string): T | null {
  let next: T | null = null;
  for (const r of records)
    if (r.effectiveMonth > month && (next === null || r.effectiveMonth < next.effectiveMonth)) next = r;
  return next;
}

/**
 * The QF that prices a service of `month` ('YYYY-MM'): the one taking effect on or before that month whose validity
 * (`qfValidUntil`) still covers it. A QF recorded later with an earlier effective month does not win over a newer
 * effective one, so entering a new QF never reprices months it does not cover. None → the caller applies the highest
 * tariff.
 */
export function qfInForce<T extends QfRecord>(records: readonly T[], month: string): T | null {
  for (const r of records) {
    if (r.effectiveMonth > month) continue;
    const end = qfValidUntil(records, r);
    if (end === null || end >= month) return r;
  }
  return null;
}
