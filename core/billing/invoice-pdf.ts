import { issuerBlock, titleBlock, type Issuer } from '../pdf/blocks.ts';
import { formatEuros, formatLongDate, formatMonth, formatShortDate } from './format.ts';
import {
  basisText,
  lineWhen,
  type CreditNoteView,
  type InvoiceDetail,
  type InvoiceLineView,
  type LineGroup,
} from './read.ts';
import {
  band,
  BODY_BOTTOM,
  COLOR,
  footers,
  LEFT,
  measure,
  newDocument,
  put,
  RIGHT,
  rule,
  toBuffer,
  WIDTH,
  type Doc,
} from '../pdf/page.ts';

const NO_VAT = 'Facture non soumise à la TVA (art. 256 B du CGI).';
const APPEAL =
  'Contestation : dans un délai de deux mois à compter de la réception, devant la juridiction compétente (art. L1617-5 du CGCT).';

/** Columns of the lines table: x and width in points, the five adding up to the page's text width. */
const COL = {
  label: { x: LEFT + 4, w: 196 },
  qty: { x: LEFT + 200, w: 34 },
  unit: { x: LEFT + 238, w: 58 },
  basis: { x: LEFT + 306, w: 118 },
  amount: { x: RIGHT - 70, w: 66 },
};

/** One printed row of the lines table. */
interface Row {
  label: string;
  when: string;
  /** Null on a credit-note row that credits part of a line's amount rather than services. */
  quantity: number | null;
  unitPriceCents: number | null;
  amountCents: number;
  basis: string;
  note: string | null;
}

const rowOf = (l: InvoiceLineView): Row => ({
  label: l.label,
  when: lineWhen(l),
  quantity: l.quantity,
  unitPriceCents: l.unitPriceCents,
  amountCents: l.amountCents,
  basis: basisText(l),
  note: l.surchargeReason,
});

/** Stacks blocks down the page and starts a new page (with the table header again) when one would not fit. */
class Flow {
  y: number;
  private readonly doc: Doc;
  private readonly continued: (tableHeader: boolean) => number;
  constructor(doc: Doc, y: number, continued: (tableHeader: boolean) => number) {
    this.doc = doc;
    this.y = y;
    this.continued = continued;
  }
  /** `tableHeader`: false for the blocks after the table (totals), which need no column headings. */
  ensure(height: number, tableHeader = true): void {
    if (this.y + height <= BODY_BOTTOM) return;
    this.doc.addPage();
    this.y = this.continued(tableHeader);
  }
}

function tableHeader(doc: Doc, y: number): number {
  band(doc, y, 18, COLOR.accent);
  const o = { font: 'B' as const, size: 8, color: '#ffffff' };
  put(doc, 'Prestation', COL.label.x, y + 5, { ...o, width: COL.label.w });
  put(doc, 'Qté', COL.qty.x, y + 5, { ...o, width: COL.qty.w, align: 'right' });
  put(doc, 'Prix unit.', COL.unit.x, y + 5, { ...o, width: COL.unit.w, align: 'right' });
  put(doc, 'Tarif appliqué', COL.basis.x, y + 5, { ...o, width: COL.basis.w });
  put(doc, 'Montant', COL.amount.x, y + 5, { ...o, width: COL.amount.w, align: 'right' });
  return y + 22;
}

function rowHeight(doc: Doc, row: Row): number {
  const left =
    measure(doc, row.label, { size: 8.5, width: COL.label.w }) +
    (row.when ? measure(doc, row.when, { size: 7.5, width: COL.label.w }) : 0);
  const right =
    measure(doc, row.basis, { size: 7.5, width: COL.basis.w }) +
    (row.note ? measure(doc, row.note, { size: 7.5, width: COL.basis.w }) : 0);
  return Math.max(left, right) + 5;
}

function drawRow(doc: Doc, y: number, row: Row): void {
  const h = put(doc, row.label, COL.label.x, y, { size: 8.5, width: COL.label.w });
  if (row.when) put(doc, row.when, COL.label.x, y + h, { size: 7.5, color: COLOR.muted, width: COL.label.w });
  put(doc, row.quantity === null ? '—' : String(row.quantity), COL.qty.x, y, {
    size: 8.5,
    width: COL.qty.w,
    align: 'right',
  });
  put(doc, row.unitPriceCents === null ? '—' : formatEuros(row.unitPriceCents), COL.unit.x, y, {
    size: 8.5,
    width: COL.unit.w,
    align: 'right',
  });
  const b = put(doc, row.basis, COL.basis.x, y + 0.5, { size: 7.5, width: COL.basis.w });
  if (row.note)
    put(doc, row.note, COL.basis.x, y + 0.5 + b, { size: 7.5, color: COLOR.warn, width: COL.basis.w });
  put(doc, formatEuros(row.amountCents), COL.amount.x, y, { size: 8.5, width: COL.amount.w, align: 'right' });
}

function debtorBlock(doc: Doc, name: string, address: string, householdName: string, y0: number): number {
  // Placed for the window of a DL envelope (right-hand window, about 45 mm from the top).
  const x = 318;
  const w = RIGHT - x;
  let y = y0;
  y += put(doc, 'Débiteur', x, y, { size: 7.5, color: COLOR.muted, width: w });
  y += put(doc, name, x, y + 1, { font: 'B', size: 10, width: w }) + 1;
  for (const line of address.split('\n').filter(Boolean)) y += put(doc, line, x, y, { size: 9.5, width: w });
  y += put(doc, `Foyer ${householdName}`, x, y + 3, { size: 7.5, color: COLOR.muted, width: w }) + 3;
  return y;
}

function groupsByChild(
  groups: readonly LineGroup[],
): { childName: string; totalCents: number; groups: LineGroup[] }[] {
  const out: { childId: string; childName: string; totalCents: number; groups: LineGroup[] }[] = [];
  for (const g of groups) {
    let child = out.find((c) => c.childId === g.childId);
    if (!child) {
      child = { childId: g.childId, childName: g.childName, totalCents: 0, groups: [] };
      out.push(child);
    }
    child.groups.push(g);
    child.totalCents += g.totalCents;
  }
  return out;
}

/** The invoice as the family receives it: A4, French, every line explained, how to pay, no VAT. */
export async function renderInvoicePdf(invoice: InvoiceDetail, issuer: Issuer): Promise<Buffer> {
  const doc = newDocument({
    title: `Facture ${invoice.number}`,
    author: issuer.townName,
    subject: `Facture ${invoice.number} — ${invoice.payerName}`,
    creationDate: new Date(`${invoice.issueDate}T00:00:00Z`),
  });
  doc.addPage();
  const top = 42;
  const issuerEnd = issuerBlock(doc, issuer, top);
  const period = invoice.periodMonth
    ? `Services de ${formatMonth(invoice.periodMonth)}`
    : 'Paiement à la réservation';
  const titleEnd = titleBlock(
    doc,
    'FACTURE',
    [
      ['Numéro', invoice.number],
      ['Date d’émission', formatLongDate(invoice.issueDate)],
      ['À payer avant le', formatLongDate(invoice.dueDate)],
      ['Objet', period],
    ],
    top,
  );
  const debtorEnd = debtorBlock(
    doc,
    invoice.payerName,
    invoice.payerAddress,
    invoice.householdName,
    Math.max(titleEnd + 26, 150),
  );
  let y = Math.max(issuerEnd, debtorEnd) + 22;

  const continued = (header: boolean) => {
    put(doc, `${issuer.townName} — facture ${invoice.number} (suite)`, LEFT, 40, {
      size: 8.5,
      color: COLOR.muted,
    });
    return header ? tableHeader(doc, 58) : 62;
  };
  y = tableHeader(doc, y);
  const flow = new Flow(doc, y, continued);

  for (const child of groupsByChild(invoice.groups)) {
    flow.ensure(18 + 16 + 22);
    band(doc, flow.y, 16);
    put(doc, child.childName, COL.label.x, flow.y + 4, { font: 'B', size: 9.5, width: 300 });
    put(doc, formatEuros(child.totalCents), COL.amount.x, flow.y + 4, {
      font: 'B',
      size: 9.5,
      width: COL.amount.w,
      align: 'right',
    });
    flow.y += 20;
    for (const g of child.groups) {
      flow.ensure(14 + 22);
      put(doc, g.activityName, COL.label.x, flow.y, {
        font: 'B',
        size: 8.5,
        color: COLOR.accent,
        width: 330,
      });
      // A subtotal only where it adds something: not for a single line, nor for a child's only activity.
      if (g.lines.length > 1 && child.groups.length > 1) {
        put(doc, formatEuros(g.totalCents), COL.amount.x, flow.y, {
          size: 8.5,
          color: COLOR.accent,
          width: COL.amount.w,
          align: 'right',
        });
      }
      flow.y += 13;
      for (const line of g.lines) {
        const row = rowOf(line);
        const h = rowHeight(doc, row);
        flow.ensure(h);
        drawRow(doc, flow.y, row);
        flow.y += h;
        rule(doc, flow.y - 2.5, '#dddddd', COL.label.x, RIGHT);
      }
      flow.y += 4;
    }
  }

  // Total, VAT mention and how to pay stay together.
  const payLines = [
    `Au guichet de la mairie${issuer.counterInfo ? ` (${issuer.counterInfo})` : ''} : espèces (moins de 300\u00a0€), chèque à l’ordre du Trésor public, carte bancaire. Munissez-vous de cette facture.`,
    `En ligne ${issuer.onlinePayment}, avec la référence ${invoice.number}.`,
  ];
  const payHeight =
    16 + payLines.reduce((s, l) => s + measure(doc, l, { size: 8.5, width: WIDTH - 28 }) + 3, 0) + 8;
  flow.ensure(34 + 16 + payHeight + 8, false);
  rule(doc, flow.y, COLOR.text);
  flow.y += 6;
  put(doc, 'Total à payer', COL.basis.x - 90, flow.y + 2, { font: 'B', size: 11, width: 200 });
  put(doc, formatEuros(invoice.totalCents), COL.amount.x - 40, flow.y + 1, {
    font: 'B',
    size: 12.5,
    width: COL.amount.w + 40,
    align: 'right',
  });
  flow.y += 22;
  put(doc, `${NO_VAT} À régler avant le ${formatLongDate(invoice.dueDate)}.`, LEFT, flow.y, {
    size: 8,
    color: COLOR.muted,
  });
  flow.y += 18;

  doc.rect(LEFT, flow.y, WIDTH, payHeight).lineWidth(0.8).strokeColor(COLOR.accent).stroke();
  put(doc, 'Comment payer ?', LEFT + 10, flow.y + 7, { font: 'B', size: 9, color: COLOR.accent });
  let py = flow.y + 22;
  for (const l of payLines) {
    put(doc, '•', LEFT + 12, py, { size: 8.5 });
    py += put(doc, l, LEFT + 22, py, { size: 8.5, width: WIDTH - 28 }) + 3;
  }

  footers(doc, (page, pages) => [
    `${issuer.townName} — ${issuer.regieName} · Facture ${invoice.number} du ${formatShortDate(invoice.issueDate)} · page ${page}/${pages}`,
    APPEAL,
  ]);
  return toBuffer(doc);
}

/** The credit note: which invoice it corrects, why, which lines and how much, in the invoice's own layout. */
export async function renderCreditNotePdf(
  note: CreditNoteView,
  invoice: InvoiceDetail,
  issuer: Issuer,
): Promise<Buffer> {
  const doc = newDocument({
    title: `Avoir ${note.number}`,
    author: issuer.townName,
    subject: `Avoir ${note.number} sur la facture ${invoice.number}`,
    creationDate: new Date(`${note.issueDate}T00:00:00Z`),
  });
  doc.addPage();
  const top = 42;
  const issuerEnd = issuerBlock(doc, issuer, top);
  const titleEnd = titleBlock(
    doc,
    'AVOIR',
    [
      ['Numéro', note.number],
      ['Date d’émission', formatLongDate(note.issueDate)],
      ['Facture corrigée', invoice.number],
      ['du', formatLongDate(invoice.issueDate)],
    ],
    top,
  );
  const debtorEnd = debtorBlock(
    doc,
    invoice.payerName,
    invoice.payerAddress,
    invoice.householdName,
    Math.max(titleEnd + 26, 150),
  );
  let y = Math.max(issuerEnd, debtorEnd) + 22;
  y += put(doc, 'Motif', LEFT, y, { size: 8, color: COLOR.muted });
  y += put(doc, note.reason, LEFT, y + 1, { size: 10 }) + 12;

  const lineById = new Map(invoice.groups.flatMap((g) => g.lines).map((l) => [l.id, l]));
  const continued = (header: boolean) => {
    put(doc, `${issuer.townName} — avoir ${note.number} (suite)`, LEFT, 40, {
      size: 8.5,
      color: COLOR.muted,
    });
    return header ? tableHeader(doc, 58) : 62;
  };
  y = tableHeader(doc, y);
  const flow = new Flow(doc, y, continued);
  for (const c of note.lines) {
    const l = lineById.get(c.invoiceLineId);
    if (!l) continue;
    const service = c.bookingId ? l.services.find((x) => x.bookingId === c.bookingId) : undefined;
    const whole = c.amountCents === l.amountCents;
    const row: Row = {
      ...rowOf(l),
      label: `${l.childName} — ${l.activityName} : ${l.label}`,
      when: service ? `service du ${formatLongDate(service.date)}` : lineWhen(l),
      // A service credited counts one; a whole line keeps its quantity; part of a line's amount has no quantity.
      quantity: service ? 1 : whole ? l.quantity : null,
      unitPriceCents: service || whole ? l.unitPriceCents : null,
      amountCents: c.amountCents,
      note: whole ? l.surchargeReason : `sur une ligne de ${formatEuros(l.amountCents)}`,
    };
    const h = rowHeight(doc, row);
    flow.ensure(h);
    drawRow(doc, flow.y, row);
    flow.y += h;
    rule(doc, flow.y - 2.5, '#dddddd', COL.label.x, RIGHT);
  }
  flow.ensure(70, false);
  rule(doc, flow.y, COLOR.text);
  flow.y += 6;
  put(doc, 'Montant de l’avoir', COL.basis.x - 90, flow.y + 2, { font: 'B', size: 11, width: 200 });
  put(doc, formatEuros(note.totalCents), COL.amount.x - 40, flow.y + 1, {
    font: 'B',
    size: 12.5,
    width: COL.amount.w + 40,
    align: 'right',
  });
  flow.y += 22;
  put(
    doc,
    `Cet avoir vient en déduction de la facture ${invoice.number} (${formatEuros(invoice.totalCents)}). Avoir non soumis à la TVA (art. 256 B du CGI).`,
    LEFT,
    flow.y,
    { size: 8, color: COLOR.muted },
  );
  footers(doc, (page, pages) => [
    `${issuer.townName} — ${issuer.regieName} · Avoir ${note.number} du ${formatShortDate(note.issueDate)} · page ${page}/${pages}`,
    APPEAL,
  ]);
  return toBuffer(doc);
}
