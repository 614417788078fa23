import { describe, expect, it, vi } from 'vitest';
import { isShellOperation, runShellOperation } from './main/shell-operations.ts';

const pdf = Buffer.from('%PDF-1.7 facture').toString('base64');

describe('shell operations on the contract channel', () => {
  it('prints the PDF the renderer hands over, as bytes, under its name', async () => {
    const printPdf = vi.fn(async () => ({ outcome: 'printed' }));
    const r = await runShellOperation(
      'shell.printPdf',
      { fileName: 'FAC-2026-000001.pdf', base64: pdf },
      { printPdf },
    );
    expect(r).toEqual({ ok: true, data: { outcome: 'printed' } });
    expect(printPdf).toHaveBeenCalledWith(Buffer.from('%PDF-1.7 facture'), 'FAC-2026-000001.pdf');
  });

  it('refuses a name that could escape the temporary folder, without printing', async () => {
    const printPdf = vi.fn(async () => ({ outcome: 'printed' }));
    for (const fileName of ['../../x.pdf', 'facture.exe', '']) {
      const r = await runShellOperation('shell.printPdf', { fileName, base64: pdf }, { printPdf });
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(printPdf).not.toHaveBeenCalled();
  });

  it('says in French when printing failed, and only claims its own names', async () => {
    const r = await runShellOperation(
      'shell.printPdf',
      { fileName: 'a.pdf', base64: pdf },
      { printPdf: async () => ({ outcome: 'failed', message: "Le document à imprimer n'est pas un PDF." }) },
    );
    expect(r).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: "Le document à imprimer n'est pas un PDF." },
    });
    expect(isShellOperation('shell.printPdf')).toBe(true);
    expect(isShellOperation('family.get')).toBe(false);
  });
});
