/*
 * The ways a family can pay the régie (RULES.md « Payments and the cash session », REGIE §6), as one table that
 * the core's validation, the régie's settings, the till, the collection report and the payment form all read. A
 * new mode is a row here (and, for the database's CHECK constraints on `payments`, one migration): see
 * shared/README.md.
 */

/**
 * How a mode's details travel in `payment.record` and are kept in `payments`: one shape per group, shared by the
 * modes that describe the same paper (ANCV and CESU are both titles of a face value).
 */
export type DetailGroup = 'cheque' | 'card' | 'vouchers' | 'online';

/** One box of the payment form, checked the same way by the form and by the core. */
export interface DetailField {
  /** The contract's path, as the core's refusals name it (« cheque.number »); a voucher field names the one line the form edits. */
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  /** text: trimmed text; check: a box to tick; count: a whole number of titles; euros: an amount typed in euros. */
  readonly kind: 'text' | 'check' | 'count' | 'euros';
  readonly size?: 's';
  /** What the agent is told when the box is empty, unticked or unreadable. */
  readonly missing: string;
  /** The shape a text must have, and what is said when it has not. */
  readonly pattern?: RegExp;
  readonly invalid?: string;
  readonly maxLength?: number;
}

export interface ModeDetails {
  readonly group: DetailGroup;
  /** The form's fieldset legend; none: the boxes stand in the form's grid. */
  readonly legend?: string;
  /** Completes « Indiquez … » when the details are missing altogether. */
  readonly asked: string;
  readonly fields: readonly DetailField[];
}

export interface PaymentModeDeclaration {
  readonly mode: string;
  readonly label: string;
  /** Money handed over at the counter goes through its till (a cash session must be open); false: it reaches the régie without one. */
  readonly till: boolean;
  /** Accepted by a régie whose settings never listed its modes; a mode added later starts refused until the régie accepts it. */
  readonly byDefault: boolean;
  /** Listed on the cheques' deposit slip (bordereau de remise): only a mode with a cheque's details. */
  readonly depositSlip: boolean;
  /** null: nothing to note but the amount. */
  readonly details: ModeDetails | null;
}

/** A cheque number as banks print it: digits, letters, dashes. */
export const CHEQUE_NUMBER_PATTERN = /^[0-9A-Za-z-]{1,20}$/;

const CHEQUE: ModeDetails = {
  group: 'cheque',
  legend: 'Chèque',
  asked: 'le numéro, la banque et le tireur du chèque',
  fields: [
    {
      name: 'cheque.number',
      label: 'Numéro du chèque',
      kind: 'text',
      size: 's',
      missing: 'Saisissez le numéro du chèque.',
      pattern: CHEQUE_NUMBER_PATTERN,
      invalid: 'Numéro de chèque invalide (chiffres et lettres, 20 au plus).',
    },
    { name: 'cheque.bank', label: 'Banque', kind: 'text', missing: 'Saisissez la banque.', maxLength: 80 },
    {
      name: 'cheque.drawer',
      label: 'Tireur',
      hint: 'Titulaire du compte',
      kind: 'text',
      missing: 'Saisissez le tireur (titulaire du compte).',
      maxLength: 120,
    },
    // REGIE §1 Cheques: the payee is checked (Trésor public, or the régisseur « ès qualités »), never the agent.
    {
      name: 'cheque.payeeChecked',
      label: 'Ordre vérifié (Trésor public)',
      kind: 'check',
      missing: 'Vérifiez l’ordre du chèque (Trésor public), puis cochez la case.',
    },
  ],
};

const CARD: ModeDetails = {
  group: 'card',
  asked: 'la référence d’autorisation du terminal',
  fields: [
    {
      name: 'card.authorisation',
      label: 'N° d’autorisation',
      hint: 'Sur le ticket du terminal ; jamais le numéro de la carte',
      kind: 'text',
      missing: 'Saisissez le numéro d’autorisation du ticket de carte.',
      maxLength: 40,
    },
  ],
};

/** Titles of a face value (chèques-vacances, CESU): how many, and what one is worth. */
const vouchers = (titles: string): ModeDetails => ({
  group: 'vouchers',
  legend: 'Titres remis',
  asked: 'le nombre et la valeur des titres',
  fields: [
    {
      name: 'vouchers.count',
      label: `Nombre de ${titles}`,
      kind: 'count',
      size: 's',
      missing: 'Nombre de titres attendu.',
    },
    {
      name: 'vouchers.faceValueCents',
      label: 'Valeur d’un titre (€)',
      kind: 'euros',
      size: 's',
      missing: 'Valeur d’un titre attendue, en euros.',
    },
  ],
});

const ONLINE: ModeDetails = {
  group: 'online',
  asked: 'la référence du paiement en ligne',
  fields: [
    {
      name: 'online.reference',
      label: 'Référence du paiement en ligne',
      kind: 'text',
      missing: 'Saisissez la référence du paiement en ligne.',
      maxLength: 80,
    },
  ],
};

/** In the order the payment form, the till and the collection report list them. */
export const PAYMENT_MODE_TABLE = [
  { mode: 'cash', label: 'Espèces', till: true, byDefault: true, depositSlip: false, details: null },
  { mode: 'cheque', label: 'Chèque', till: true, byDefault: true, depositSlip: true, details: CHEQUE },
  { mode: 'card', label: 'Carte bancaire', till: true, byDefault: true, depositSlip: false, details: CARD },
  {
    mode: 'ancv',
    label: 'Chèques-vacances ANCV',
    till: true,
    byDefault: true,
    depositSlip: false,
    details: vouchers('chèques-vacances'),
  },
  { mode: 'cesu', label: 'CESU', till: true, byDefault: true, depositSlip: false, details: vouchers('CESU') },
  {
    mode: 'online',
    label: 'Paiement en ligne',
    till: false,
    byDefault: true,
    depositSlip: false,
    details: ONLINE,
  },
] as const satisfies readonly PaymentModeDeclaration[];

export type PaymentMode = (typeof PAYMENT_MODE_TABLE)[number]['mode'];

export const PAYMENT_MODES = PAYMENT_MODE_TABLE.map((m) => m.mode) as [PaymentMode, ...PaymentMode[]];

const byMode = new Map<string, PaymentModeDeclaration>(PAYMENT_MODE_TABLE.map((m) => [m.mode, m]));

/** The row of `mode`; throws on a mode the table does not know (the contract refuses it before). */
export function paymentMode(mode: PaymentMode): PaymentModeDeclaration {
  const row = byMode.get(mode);
  if (!row) throw new RangeError(`Mode de paiement inconnu : ${mode}`);
  return row;
}

export const MODE_LABELS = Object.fromEntries(PAYMENT_MODE_TABLE.map((m) => [m.mode, m.label])) as Record<
  PaymentMode,
  string
>;

/** Whether `mode` is a known one: a stored or typed string becomes a PaymentMode only through this. */
export const isPaymentMode = (mode: string): mode is PaymentMode => byMode.has(mode);

/** Money that passes the counter goes through the till; an online payment reaches the régie without it. */
export const needsSession = (mode: PaymentMode): boolean => paymentMode(mode).till;

/** The group of details `mode` carries, or null when it carries none. */
export const detailGroupOf = (mode: PaymentMode): DetailGroup | null =>
  paymentMode(mode).details?.group ?? null;

/** The modes listed on a cheques' deposit slip. */
export const DEPOSIT_SLIP_MODES = PAYMENT_MODE_TABLE.filter((m) => m.depositSlip).map((m) => m.mode);

export const isDepositSlipMode = (mode: string): boolean => DEPOSIT_SLIP_MODES.some((m) => m === mode);

/** The modes a régie accepts until its settings say otherwise. */
export const DEFAULT_MODES = PAYMENT_MODE_TABLE.filter((m) => m.byDefault).map((m) => m.mode);
