import type { Kysely } from 'kysely';
import { chunks } from '../db/chunks.ts';
import type { Database } from '../db/schema.ts';

/**
 * How a family receives its invoices and certificates: by e-mail when it chose « E-mail » and an address is known
 * (the household's, else its payer's), by post otherwise — an e-mail family without any address still gets its
 * paper, and the screens say why.
 */
export type Delivery = { by: 'email'; address: string } | { by: 'papier'; reason: 'paper' | 'no_address' };

export async function householdDeliveries(
  db: Kysely<Database>,
  householdIds: readonly string[],
): Promise<Map<string, Delivery>> {
  const out = new Map<string, Delivery>();
  for (const slice of chunks([...new Set(householdIds)], 5000)) {
    const rows = await db
      .selectFrom('households as h')
      .leftJoin('guardians as g', (j) =>
        j.onRef('g.household_id', '=', 'h.id').onRef('g.rank', '=', 'h.payer_rank'),
      )
      .select(['h.id', 'h.invoice_delivery', 'h.email', 'g.email as payer_email'])
      .where('h.id', 'in', slice)
      .execute();
    for (const r of rows) {
      const address = (r.email || r.payer_email || '').trim();
      out.set(
        r.id,
        r.invoice_delivery !== 'email'
          ? { by: 'papier', reason: 'paper' }
          : address
            ? { by: 'email', address }
            : { by: 'papier', reason: 'no_address' },
      );
    }
  }
  return out;
}
