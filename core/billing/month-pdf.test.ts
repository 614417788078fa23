import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addFamily, bookDays } from '../test/families.ts';
import { demoTown } from '../test/town.ts';
import { postalKey } from './month-pdf.ts';

const hasPoppler = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const dir = mkdtempSync(join(tmpdir(), 'gf-month-pdf-'));
const write = (name: string, base64: string) => {
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return file;
};
const text = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
const pages = (file: string) =>
  Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);

/**
 * September 2026 billed for four families: Lefèvre (paper, 45000 Orléans, rue des Tilleuls), Martin (paper, 45000
 * Orléans, avenue de Paris), Bernard (paper, 45100 Belleval) and Petit (e-mail with an address); and Durand, who
 * chose e-mail but left no address.
 */
async function september() {
  const t = await demoTown();
  const days = ['2026-09-01', '2026-09-03'];
  await bookDays(t, t.zoe, 'canteen', days);
  const families = [
    {
      name: 'Martin',
      address: '3 avenue de Paris',
      postalCode: '45000',
      city: 'Orléans',
      delivery: 'papier',
    },
    {
      name: 'Bernard',
      address: '8 rue du Moulin',
      postalCode: '45100',
      city: 'Belleval',
      delivery: 'papier',
    },
    {
      name: 'Petit',
      address: '1 rue Haute',
      postalCode: '45000',
      city: 'Orléans',
      delivery: 'email',
      email: 'petit@exemple.fr',
    },
    { name: 'Durand', address: '2 rue Basse', postalCode: '45000', city: 'Orléans', delivery: 'email' },
  ] as const;
  for (const f of families) {
    const { childIds } = await addFamily(t, {
      ...f,
      children: [{ firstName: 'Léa', birthDate: '2018-05-01' }],
    });
    await bookDays(t, childIds[0]!, 'canteen', days);
  }
  t.at('2026-10-02T09:00:00+02:00');
  const run = await t.call('billing.runMonth', { month: '2026-09', issueDate: '2026-10-02' });
  expect(run.invoices).toBe(5);
  return t;
}

describe('the month’s invoices for the post', () => {
  it('counts how the month’s invoices leave: by post, by e-mail, and e-mail families without an address', async () => {
    const t = await september();
    const d = await t.call('billing.monthDelivery', { month: '2026-09' });
    // Lefèvre chose paper (the demo fixture), as did Martin and Bernard; Durand has no address, so paper too.
    expect(d).toMatchObject({ invoices: 5, paper: 4, email: 1 });
    expect(d.emailWithoutAddress.map((x) => x.householdName)).toEqual(['Durand']);
  });

  it.skipIf(!hasPoppler)(
    'prints the paper invoices in one PDF, sorted for the post by postal code, commune and street',
    async () => {
      const t = await september();
      const pdf = await t.call('billing.monthPdf', { month: '2026-09', order: 'address' });
      expect(pdf.invoices).toBe(4);
      expect(pdf.fileName).toBe('factures-2026-09-courrier-par-adresse.pdf');
      const file = write('by-address.pdf', pdf.base64);
      const body = text(file);
      // 45000 Orléans: avenue de Paris, rue Basse (Durand, no address), rue des Tilleuls; then 45100 Belleval.
      const order = ['3 avenue de Paris', '2 rue Basse', '12 rue des Tilleuls', '8 rue du Moulin'].map((a) =>
        body.indexOf(a),
      );
      expect(order.every((i) => i >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(body).not.toContain('1 rue Haute'); // Petit gets hers by e-mail
      // Each invoice keeps its own page numbering and its own total.
      expect(body.match(/page 1\/1/g)).toHaveLength(4);
      expect(pages(file)).toBe(4);
      expect(body.match(/Total à payer/g)).toHaveLength(4);
    },
  );

  it.skipIf(!hasPoppler)('sorts by family name on request, and prints them all for the archive', async () => {
    const t = await september();
    const byName = text(
      write('by-name.pdf', (await t.call('billing.monthPdf', { month: '2026-09', order: 'name' })).base64),
    );
    const names = ['Foyer Bernard', 'Foyer Durand', 'Foyer Lefèvre', 'Foyer Martin'].map((n) =>
      byName.indexOf(n),
    );
    expect(names.every((i) => i >= 0)).toBe(true);
    expect([...names].sort((a, b) => a - b)).toEqual(names);
    const all = await t.call('billing.monthPdf', { month: '2026-09', order: 'name', selection: 'all' });
    expect(all.invoices).toBe(5);
    expect(text(write('all.pdf', all.base64))).toContain('1 rue Haute');
  });

  it('says why there is nothing to print', async () => {
    const t = await demoTown();
    const r = await t.invoke('billing.monthPdf', { month: '2026-09' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('la facturation du mois n’a pas été faite');
  });

  it('reads the postal parts of a printed address', () => {
    expect(postalKey('12 bis rue des Lilas\nBât. B\n45100 Belleval')).toEqual({
      postalCode: '45100',
      commune: 'Belleval',
      street: 'rue des Lilas',
      number: 12.1,
    });
    expect(postalKey('rue sans numéro\n45000 Orléans').street).toBe('rue sans numéro');
    expect(postalKey('').postalCode).toBe('99999'); // no address: at the end of the pile
  });
});
