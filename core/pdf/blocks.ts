import type { TownTimeZone } from '../calendar/time-zones.ts';
import { COLOR, LEFT, put, RIGHT, type Doc } from './page.ts';

/** The blocks every document of the town starts with: who issues it (top left) and what it is (top right). */

/** The town as the issuer of its invoices (settings `town.*` and `billing.*`, see core/billing/issuer.ts). */
export interface Issuer {
  townName: string;
  addressLines: string[];
  regieName: string;
  /** Opening hours or phone of the counter, printed under « Au guichet ». */
  counterInfo: string;
  /** Where to pay online, followed on the invoice by « référence : <numéro> ». */
  onlinePayment: string;
  /** The town's zone: the hour printed on a receipt is the town hall's. */
  timeZone: TownTimeZone;
}

/** Town block top left; returns where it ends. */
export function issuerBlock(doc: Doc, issuer: Issuer, y0: number): number {
  let y = y0;
  y += put(doc, issuer.townName, LEFT, y, { font: 'B', size: 14, color: COLOR.accent, width: 260 });
  y += put(doc, issuer.regieName, LEFT, y + 1, { size: 8.5, color: COLOR.muted, width: 260 }) + 2;
  for (const line of issuer.addressLines) y += put(doc, line, LEFT, y, { size: 8.5, width: 260 });
  return y;
}

/** The document's title and its facts (number, date…), top right; returns where it ends. */
export function titleBlock(doc: Doc, title: string, facts: [string, string][], y0: number): number {
  const x = 318;
  const w = RIGHT - x;
  let y = y0;
  y += put(doc, title, x, y, { font: 'B', size: 18, color: COLOR.accent, width: w }) + 2;
  for (const [k, v] of facts) {
    put(doc, k, x, y, { size: 8.5, color: COLOR.muted, width: 78 });
    y += put(doc, v, x + 78, y, { font: 'B', size: 8.5, width: w - 78 });
  }
  return y;
}
