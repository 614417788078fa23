import { describe, expect, it } from 'vitest';
import { previousMonth, runSentence } from './month-run.tsx';

describe('the monthly run', () => {
  it('proposes the month before today, across a new year', () => {
    expect(previousMonth('2026-10-05')).toBe('2026-09');
    expect(previousMonth('2027-01-04')).toBe('2026-12');
  });

  it('says what was issued: count, first and last numbers, total and due date', () => {
    const r = {
      month: '2026-09',
      issueDate: '2026-10-05',
      dueDate: '2026-10-25',
      invoices: 3,
      lines: 7,
      services: 40,
      totalCents: 12345,
      firstNumber: 'FAC-2026-000001',
      lastNumber: 'FAC-2026-000003',
      anomalies: [],
    };
    expect(runSentence(r)).toMatch(
      /^3 factures émises pour septembre 2026 \(n° FAC-2026-000001 à FAC-2026-000003\), total 123,45\s€, échéance le 25\/10\/2026\.$/,
    );
    expect(runSentence({ ...r, invoices: 0, firstNumber: null, lastNumber: null, totalCents: 0 })).toBe(
      'Aucune facture émise pour septembre 2026 : tout était déjà facturé.',
    );
  });
});
