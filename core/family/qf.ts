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

/**
 * The QF that prices a service of `month` ('YYYY-MM'): the latest one taking effect on or before that month and
 * still valid then. A QF recorded later with an earlier effective month does not win over a newer effective one,
 * so entering a new QF never reprices months it does not cover. None → the caller applies the highest tariff.
 */
export function qfInForce<T extends QfRecord>(records: readonly T[], month: string): T | null {
  let best: T | null = null;
  for (const r of records) {
    if (r.effectiveMonth > month) continue;
    if (r.endMonth !== null && r.endMonth < month) continue;
    if (
      best === null ||
      r.effectiveMonth > best.effectiveMonth ||
      (r.effectiveMonth === best.effectiveMonth && r.recordedAt > best.recordedAt)
    ) {
      best = r;
    }
  }
  return best;
}
