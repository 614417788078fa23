import type { InvoiceDetail, InvoiceLine, InvoiceSummary } from './invoice-text.ts';

/** Today in the tests: 5 October 2026, after the September run (issued 2 October, due 25 October). */
export const TODAY = '2026-10-05';

const SEPTEMBER = [
  '2026-09-01',
  '2026-09-03',
  '2026-09-04',
  '2026-09-07',
  '2026-09-08',
  '2026-09-10',
  '2026-09-11',
  '2026-09-14',
  '2026-09-15',
  '2026-09-17',
  '2026-09-18',
  '2026-09-21',
  '2026-09-22',
  '2026-09-24',
  '2026-09-25',
  '2026-09-28',
];

function line(over: Partial<InvoiceLine> & Pick<InvoiceLine, 'id' | 'position'>): InvoiceLine {
  return {
    kind: 'booked',
    kindLabel: 'réservé',
    label: 'Repas',
    childId: 'c1',
    childName: 'Zoé Lefèvre',
    activityId: 'canteen',
    activityName: 'Restauration scolaire',
    unitCode: 'meal',
    unitLabel: 'Repas',
    dates: [],
    period: null,
    quantity: 1,
    unitPriceCents: 220,
    amountCents: 220,
    baseCents: 220,
    surchargeCents: 0,
    surchargeReason: null,
    qfValue: 640,
    basis: 'QF 400–699',
    enrolmentId: null,
    services: [],
    creditedCents: 0,
    explanation: '',
    ...over,
  };
}

/** Zoé's 16 booked meals at 2,20 € and one added late at 3,30 €; Noé's evening care added late by staff. */
const meals = line({
  id: 'l1',
  position: 1,
  dates: SEPTEMBER,
  quantity: 16,
  amountCents: 3520,
  services: SEPTEMBER.map((date, i) => ({ bookingId: `b${i + 1}`, date })),
  explanation:
    '16 × Repas (les 1, 3, 4, 7, 8, 10, 11, 14, 15, 17, 18, 21, 22, 24, 25 et 28 sept. 2026), Restauration scolaire, Zoé Lefèvre — réservé. QF 640, tranche 400–699 : 2,20 €. Montant : 35,20 €.',
});
const lateMeal = line({
  id: 'l2',
  position: 2,
  kind: 'late_add',
  kindLabel: 'réservé hors délai',
  label: 'Repas — réservé hors délai',
  dates: ['2026-09-29'],
  unitPriceCents: 330,
  amountCents: 330,
  surchargeCents: 110,
  surchargeReason: 'ajout hors délai : +50 %',
  services: [{ bookingId: 'b17', date: '2026-09-29' }],
  explanation:
    'Repas — réservé hors délai (le 29 sept. 2026), Restauration scolaire, Zoé Lefèvre — réservé hors délai. QF 640, tranche 400–699 : 2,20 € ; ajout hors délai : +50 % (+1,10 €) = 3,30 € l’unité. Montant : 3,30 €.',
});
const evening = line({
  id: 'l3',
  position: 3,
  kind: 'late_add',
  kindLabel: 'réservé hors délai',
  label: 'Soir — réservé hors délai',
  childId: 'c2',
  childName: 'Noé Lefèvre',
  activityId: 'care',
  activityName: 'Accueil périscolaire',
  unitCode: 'evening',
  unitLabel: 'Soir',
  dates: ['2026-09-15'],
  unitPriceCents: 1000,
  amountCents: 1000,
  baseCents: 210,
  surchargeCents: 790,
  surchargeReason: 'ajout hors délai : forfait 10,00 €',
  services: [{ bookingId: 'b18', date: '2026-09-15' }],
  explanation:
    'Soir — réservé hors délai (le 15 sept. 2026), Accueil périscolaire, Noé Lefèvre — réservé hors délai. QF 640, tranche 400–699 : 2,10 € ; ajout hors délai : forfait 10,00 € (+7,90 €) = 10,00 € l’unité. Montant : 10,00 €.',
});

export const SEPTEMBER_INVOICE: InvoiceDetail = {
  id: 'inv1',
  number: 'FAC-2026-000001',
  householdId: 'h1',
  householdName: 'Lefèvre',
  payerName: 'Mme Sophie Lefèvre',
  payerAddress: '12 rue des Tilleuls\n45000 Orléans',
  kind: 'monthly',
  issueDate: '2026-10-02',
  dueDate: '2026-10-25',
  periodMonth: '2026-09',
  totalCents: 4850,
  creditedCents: 0,
  paidCents: 0,
  remainingCents: 4850,
  titreExport: null,
  creditNotes: [],
  groups: [
    {
      childId: 'c1',
      childName: 'Zoé Lefèvre',
      activityId: 'canteen',
      activityName: 'Restauration scolaire',
      totalCents: 3850,
      lines: [meals, lateMeal],
    },
    {
      childId: 'c2',
      childName: 'Noé Lefèvre',
      activityId: 'care',
      activityName: 'Accueil périscolaire',
      totalCents: 1000,
      lines: [evening],
    },
  ],
};

const summaryOf = (i: InvoiceDetail): InvoiceSummary => {
  const { groups: _groups, creditNotes: _notes, ...rest } = i;
  return { ...rest, creditNotes: [] };
};

/** The September invoice, a holiday-centre invoice overdue since 20 September, and one credited in full. */
export const INVOICES: InvoiceSummary[] = [
  summaryOf(SEPTEMBER_INVOICE),
  {
    ...summaryOf(SEPTEMBER_INVOICE),
    id: 'inv0',
    number: 'GUI-2026-000001',
    kind: 'booking',
    issueDate: '2026-09-20',
    dueDate: '2026-09-20',
    periodMonth: null,
    totalCents: 4500,
    remainingCents: 4500,
  },
  {
    ...summaryOf(SEPTEMBER_INVOICE),
    id: 'inv-old',
    number: 'FAC-2026-000000',
    issueDate: '2026-09-02',
    dueDate: '2026-09-25',
    periodMonth: '2026-08',
    totalCents: 440,
    creditedCents: 440,
    remainingCents: 0,
    creditNotes: [
      {
        id: 'cn1',
        number: 'AV-2026-000001',
        issueDate: '2026-09-10',
        reason: 'centre fermé',
        totalCents: 440,
      },
    ],
  },
];

export const LIST = {
  invoices: INVOICES,
  creditNotes: [],
  totals: { billedCents: 9790, creditedCents: 440, remainingCents: 9350 },
};
