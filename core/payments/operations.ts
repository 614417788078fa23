import type { Kysely } from 'kysely';
import { detailField } from '../../shared/payment-details.ts';
import { CHEQUE_NUMBER_PATTERN, isFormMode } from '../../shared/payment-modes.ts';
import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { refuseCarried, remark } from '../api/facts.ts';
import { bool, email, id, isoDate, optionalText, requiredText } from '../api/fields.ts';
import { command, query, type Actor, type SessionHandle } from '../api/operation.ts';
import { verifyPassword } from '../auth/password.ts';
import { can, type Role } from '../auth/roles.ts';
import { loadIssuer } from '../billing/issuer.ts';
import { peekNumber } from '../billing/series.ts';
import type { Database } from '../db/schema.ts';
import { pdfFile } from '../pdf/file.ts';
import { renderReceiptPdf } from './receipt-pdf.ts';
import { townDate, townTimeZone } from '../time.ts';
import { cents } from './inputs.ts';
import { creditBalance, familyBalance, openInvoices, planAllocations } from '../billing/ledger.ts';
import {
  DENOMINATIONS,
  loadRegieSettings,
  MODE_LABELS,
  needsSession,
  PAYMENT_MODES,
  receiptSeries,
  type PaymentMode,
} from './modes.ts';
import { overrideKeyOf } from '../auth/override-key.ts';
import { checkOverride, signOverride } from './override-proof.ts';
import { recordPayment, reversePayment, useCredit } from './payments.ts';
import { listForHousehold, paymentDetail } from './read.ts';
import { todaysTill } from './till.ts';
import { amountInWords } from './words.ts';

/** The family's address whatever it chose for its invoices: a paper family may still want its receipt by e-mail. */
async function anyAddress(db: Kysely<Database>, householdId: string): Promise<string> {
  const row = await db
    .selectFrom('households as h')
    .leftJoin('guardians as g', (j) =>
      j.onRef('g.household_id', '=', 'h.id').onRef('g.rank', '=', 'h.payer_rank'),
    )
    .select(['h.email', 'g.email as payer_email'])
    .where('h.id', '=', householdId)
    .executeTakeFirst();
  return (row?.email || row?.payer_email || '').trim();
}

/** The limit the payment form checks too (shared/payment-modes.ts), so both refuse the same text. */
const maxLength = (mode: PaymentMode, field: string) => detailField(mode, field).maxLength;

const allocations = () =>
  z
    .array(z.object({ invoiceId: id(), amountCents: cents() }), { message: 'liste attendue' })
    .max(200, { message: '200 factures au plus' });

/** Roles that may authorise a cash payment over the limit: the régie's own (RULES.md). */
const mayOverride = (role: string) => can(role as Role, 'regie');

/**
 * Who lets a cash payment over the limit through. A régisseur (or administrator) signed in authorises it
 * themselves; an agent at the counter calls one, who types their username and password on the agent's screen.
 * With the authorisation comes the key that proves it to the central server (core/payments/override-proof.ts): the
 * one the régisseur's sign-in derived, or the one the password typed derives; null when the town registered none.
 */
async function resolveOverride(
  db: Kysely<Database>,
  actor: Actor,
  session: SessionHandle,
  override: { reason: string; username?: string | undefined; password?: string | undefined } | undefined,
) {
  if (!override) return null;
  const me = await db
    .selectFrom('staff')
    .select(['role', 'username'])
    .where('id', '=', actor.agentId)
    .executeTakeFirst();
  if (me && mayOverride(me.role))
    return {
      reason: override.reason,
      byId: actor.agentId,
      byName: actor.agentName,
      username: me.username,
      key: session.overrideKey(actor.agentId),
    };
  if (!override.username || !override.password)
    throw new DomainError(
      'FORBIDDEN',
      'Seul un régisseur peut autoriser cette dérogation : il saisit son identifiant et son mot de passe.',
      'override.username',
    );
  const username = override.username.trim().toLowerCase();
  const staff = await db
    .selectFrom('staff')
    .select(['id', 'display_name', 'role', 'active', 'password_hash'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (!staff || staff.active !== 1 || !(await verifyPassword(override.password, staff.password_hash)))
    throw new DomainError(
      'VALIDATION',
      'Identifiant ou mot de passe du régisseur incorrect.',
      'override.password',
    );
  if (!mayOverride(staff.role))
    throw new DomainError(
      'FORBIDDEN',
      `${staff.display_name} n’est pas régisseur : seul un régisseur peut autoriser cette dérogation.`,
      'override.username',
    );
  return {
    reason: override.reason,
    byId: staff.id,
    byName: staff.display_name,
    username,
    key: await overrideKeyOf(db, username, override.password),
  };
}

export const paymentOperations = {
  /** What the payment screen needs: modes accepted (with labels), limits, the counter's series, denominations. */
  'payment.settings': query({
    permission: 'payment.take',
    label: 'Réglages d’encaissement',
    input: z.object({}),
    async run({ db, actor }) {
      const s = await loadRegieSettings(db, actor.deviceId);
      return {
        ...s,
        // A direct debit is recorded by the régie's direct-debit file, never with the payment form.
        modes: s.modes.filter(isFormMode).map((mode) => ({ mode, label: MODE_LABELS[mode] })),
        allModes: PAYMENT_MODES.map((mode) => ({ mode, label: MODE_LABELS[mode] })),
        receiptSeries: receiptSeries(s.counterCode).code,
        denominations: [...DENOMINATIONS],
      };
    },
  }),

  /** The allocation the payment screen shows before validating: oldest first, which the agent may then edit. */
  'payment.proposeAllocation': query({
    permission: 'payment.take',
    label: 'Proposition d’affectation',
    input: z.object({ householdId: id(), amountCents: cents() }),
    async run({ db }, input) {
      const open = await openInvoices(db, input.householdId);
      const plan = planAllocations(open, input.amountCents, undefined);
      return {
        openInvoices: open.map((i) => ({
          invoiceId: i.id,
          number: i.number,
          issueDate: i.issueDate,
          dueDate: i.dueDate,
          totalCents: i.totalCents,
          remainingCents: i.remainingCents,
          titreExport: i.titreExport,
        })),
        allocations: plan.allocations,
        excessCents: plan.excessCents,
        familyCreditCents: await creditBalance(db, input.householdId),
        amountInWords: amountInWords(input.amountCents),
      };
    },
  }),

  /** Takes a payment: allocation, receipt number, journal entry; the receipt is printed by `payment.receiptPdf`. */
  'payment.record': command({
    permission: 'payment.take',
    sync: 'fact',
    label: 'Paiement',
    input: z.object({
      paymentId: id().optional(),
      householdId: id(),
      mode: z.enum(PAYMENT_MODES, { message: 'mode de paiement inconnu' }).refine(isFormMode, {
        message: 'un prélèvement s’enregistre par le fichier de prélèvement de la régie',
      }),
      amountCents: cents(),
      cheque: z
        .object({
          number: z
            .string({ message: 'texte attendu' })
            .trim()
            .regex(CHEQUE_NUMBER_PATTERN, { message: 'numéro de chèque invalide' }),
          bank: requiredText(maxLength('cheque', 'cheque.bank')),
          drawer: requiredText(maxLength('cheque', 'cheque.drawer')),
          date: isoDate().nullable().default(null),
          // REGIE §1 Cheques: payee checked (Trésor public, or the régisseur « ès qualités »), never the agent.
          payeeChecked: z.literal(true, { message: 'vérifiez l’ordre du chèque (Trésor public)' }),
        })
        .optional(),
      card: z
        .object({
          authorisation: requiredText(maxLength('card', 'card.authorisation')),
          transaction: z.string({ message: 'texte attendu' }).trim().max(40).nullable().default(null),
          last4: z
            .string({ message: 'texte attendu' })
            .regex(/^\d{4}$/, { message: '4 chiffres au plus de la carte' })
            .nullable()
            .default(null),
        })
        .optional(),
      vouchers: z
        .array(
          z.object({
            faceValueCents: cents(),
            count: z
              .int({ message: 'nombre entier attendu' })
              .min(1, { message: 'un titre au moins' })
              .max(1000),
          }),
          { message: 'liste attendue' },
        )
        .min(1, { message: 'un titre au moins' })
        .max(20)
        .optional(),
      online: z.object({ reference: requiredText(maxLength('online', 'online.reference')) }).optional(),
      note: optionalText(200),
      allocations: allocations().optional(),
      override: z
        .object({
          reason: requiredText(200),
          username: z.string({ message: 'texte attendu' }).max(40).optional(),
          password: z.string({ message: 'texte attendu' }).max(200).optional(),
          /** Who authorised it, as the counter that checked the password logged it (replays only). */
          byId: z.string().max(64).optional(),
          byName: z.string().max(120).optional(),
          /** The régisseur's signature of the payment (core/payments/override-proof.ts) and its time (replays only). */
          signature: z.string().max(100).optional(),
          signedAt: z.iso.datetime({ offset: true }).optional(),
        })
        .optional(),
      /** The number printed on the receipt and the till it went into, fixed where it was taken (replays only). */
      receiptNumber: z.string().max(60).optional(),
      sessionId: id().nullable().optional(),
    }),
    // The régisseur's password is checked once, where the payment is taken; the log keeps who and why and the
    // signature that proves it, never the password, and the replays take that authorisation as logged (the central
    // server checks the signature). The receipt's number and the till are fixed here too: every store that records
    // the payment records it under the number printed on the receipt the family holds, in the till it went into.
    prepare: async (input, ctx) => {
      let override = input.override;
      if (!ctx.replay && (override?.byId || override?.signature || override?.signedAt))
        throw new DomainError(
          'FORBIDDEN',
          'Une dérogation s’autorise par le mot de passe du régisseur.',
          'override',
        );
      refuseCarried(ctx, [input.receiptNumber, input.sessionId], 'receiptNumber');
      const paymentId = input.paymentId ?? ctx.newId();
      if (override && !override.byId && input.mode === 'cash') {
        const resolved = await resolveOverride(ctx.db, ctx.actor, ctx.session, override);
        if (resolved) {
          const signedAt = ctx.now.toISOString();
          const signature = resolved.key
            ? signOverride(resolved.key, {
                paymentId,
                householdId: input.householdId,
                amountCents: input.amountCents,
                mode: input.mode,
                reason: resolved.reason,
                username: resolved.username,
                at: signedAt,
              })
            : undefined;
          override = {
            reason: resolved.reason,
            byId: resolved.byId,
            byName: resolved.byName,
            username: resolved.username,
            ...(signature ? { signature, signedAt } : {}),
          };
        }
      }
      // The allocation the receipt shows is fixed here and logged, so the server applies the very same one.
      const allocations =
        input.allocations ??
        planAllocations(
          await openInvoices(ctx.db, input.householdId),
          input.amountCents,
          undefined,
        ).allocations.map((a) => ({ invoiceId: a.invoiceId, amountCents: a.amountCents }));
      if (ctx.replay) return { ...input, override, allocations, paymentId };
      const settings = await loadRegieSettings(ctx.db, ctx.actor.deviceId);
      const till = needsSession(input.mode)
        ? await todaysTill(ctx.db, ctx.actor.deviceId, ctx.now, await townTimeZone(ctx.db))
        : null;
      return {
        ...input,
        override,
        allocations,
        paymentId,
        receiptNumber: await peekNumber(
          ctx.db,
          receiptSeries(settings.counterCode),
          townDate(ctx.now, await townTimeZone(ctx.db)),
        ),
        sessionId: till?.id ?? null,
      };
    },
    logInput: (input) =>
      input.override ? { ...input, override: { ...input.override, password: undefined } } : input,
    async run(ctx, input) {
      const { db, actor, now, newId } = ctx;
      const o = input.override;
      let override = null;
      if (input.mode === 'cash' && o?.byId) {
        let proof = null;
        // The central server judges the attribution a counter sends: never believed on the device's word alone.
        if (ctx.overrideKeys && ctx.remarks) {
          const verdict = await checkOverride(
            ctx.overrideKeys,
            {
              paymentId: input.paymentId,
              householdId: input.householdId,
              amountCents: input.amountCents,
              mode: input.mode,
              reason: o.reason,
              username: o.username,
              at: o.signedAt,
            },
            o.signature,
          );
          proof =
            verdict.status === 'proven'
              ? { status: 'proven' as const, note: null }
              : { status: 'unproven' as const, note: verdict.why };
          if (verdict.status === 'unproven')
            remark(
              ctx,
              'OVERRIDE_UNPROVEN',
              `Dérogation au plafond des espèces attribuée à ${o.byName ?? o.byId} non prouvée : ${verdict.why}. Le paiement est enregistré (l’argent a été reçu) ; vérifiez avec le régisseur qu’il l’a bien autorisée.`,
            );
        }
        override = { reason: o.reason, byId: o.byId, byName: o.byName ?? o.byId, proof };
      }
      const { cheque } = input;
      return recordPayment(
        db,
        {
          ...input,
          cheque: cheque
            ? { number: cheque.number, bank: cheque.bank, drawer: cheque.drawer, date: cheque.date }
            : undefined,
          override,
        },
        { actor, now, newId, remarks: ctx.remarks, timeZone: await townTimeZone(db) },
      );
    },
  }),

  /** Spends the family's credit on its invoices (oldest first, or as given). */
  'payment.useCredit': command({
    permission: 'payment.take',
    sync: 'fact',
    label: 'Utilisation du crédit famille',
    input: z.object({
      creditUseId: id().optional(),
      householdId: id(),
      allocations: allocations().optional(),
    }),
    prepare: (input, ctx) => ({ ...input, creditUseId: input.creditUseId ?? ctx.newId() }),
    run: async ({ db, actor, now, newId }, input) =>
      useCredit(db, input, { actor, now, newId, timeZone: await townTimeZone(db) }),
  }),

  /** The only correction of a payment: a reversing entry with a reason (REGIE req. 4). */
  'payment.reverse': command({
    // A correction of a payment is the régisseur’s, as are the till, the slips, the reports and the journal check.
    permission: 'regie',
    sync: 'fact',
    label: 'Annulation de paiement',
    input: z.object({
      reversalId: id().optional(),
      paymentId: id(),
      reason: requiredText(200),
      /** The till a refund left, fixed where it was made (replays only). */
      sessionId: id().nullable().optional(),
    }),
    prepare: async (input, ctx) => {
      refuseCarried(ctx, [input.sessionId], 'sessionId');
      const reversalId = input.reversalId ?? ctx.newId();
      if (ctx.replay) return { ...input, reversalId };
      return {
        ...input,
        reversalId,
        sessionId:
          (await todaysTill(ctx.db, ctx.actor.deviceId, ctx.now, await townTimeZone(ctx.db)))?.id ?? null,
      };
    },
    run: async ({ db, actor, now, newId, remarks }, input) =>
      reversePayment(db, input, { actor, now, newId, remarks, timeZone: await townTimeZone(db) }),
  }),

  'payment.get': query({
    permission: 'billing.read',
    label: 'Consultation d’un paiement',
    input: z.object({ paymentId: id() }),
    run: ({ db }, input) => paymentDetail(db, input.paymentId),
  }),

  /**
   * « Envoyer le reçu par e-mail »: records the request, to the address typed or else the family's (household's, else
   * its payer's). The central server sends it (server/mail/receipt-mail.ts): the request reaches it with the next
   * push, at once when the counter is connected, after reconnection when not — the counter needs no mail settings,
   * and an offline counter loses nothing. Its outcome comes back with the pull (`payment.receiptEmails`).
   */
  'payment.emailReceipt': command({
    permission: 'payment.take',
    sync: 'request',
    label: 'Envoi d’un reçu par e-mail',
    input: z.object({ requestId: id().optional(), paymentId: id(), to: email() }),
    prepare: (input, ctx) => ({ ...input, requestId: input.requestId ?? ctx.newId() }),
    async run({ db, actor, now }, input) {
      const payment = await db
        .selectFrom('payments')
        .select(['id', 'household_id'])
        .where('id', '=', input.paymentId)
        .executeTakeFirst();
      if (!payment) throw new DomainError('NOT_FOUND', 'Ce paiement est introuvable.', 'paymentId');
      const to = input.to || (await anyAddress(db, payment.household_id));
      if (!to)
        throw new DomainError(
          'VALIDATION',
          'Champ « adresse e-mail » : aucune adresse au dossier de la famille, saisissez-en une.',
          'to',
        );
      const at = now.toISOString();
      await db
        .insertInto('receipt_emails')
        .values({
          id: input.requestId,
          payment_id: input.paymentId,
          household_id: payment.household_id,
          to_address: to,
          requested_at: at,
          requested_by: actor.agentName,
          updated_at: at,
        })
        .execute();
      return { requestId: input.requestId, to };
    },
  }),

  /** The e-mails asked for a payment's receipt, newest first, with what the central server made of them. */
  'payment.receiptEmails': query({
    permission: 'billing.read',
    label: 'Reçus envoyés par e-mail',
    input: z.object({ paymentId: id() }),
    async run({ db }, input) {
      const rows = await db
        .selectFrom('receipt_emails')
        .select(['id', 'to_address', 'requested_at', 'requested_by', 'status', 'detail', 'sent_at'])
        .where('payment_id', '=', input.paymentId)
        .orderBy('requested_at', 'desc')
        .execute();
      return rows.map((r) => ({
        requestId: r.id,
        to: r.to_address,
        requestedAt: r.requested_at,
        requestedBy: r.requested_by,
        status: r.status,
        detail: r.detail,
        sentAt: r.sent_at,
      }));
    },
  }),

  'payment.listForHousehold': query({
    permission: 'billing.read',
    label: 'Paiements d’un foyer',
    input: z.object({ householdId: id() }),
    run: ({ db }, input) => listForHousehold(db, input.householdId),
  }),

  /** invoices − credit notes − allocations, and the family credit, each a sum of its own table. */
  'payment.familyBalance': query({
    permission: 'billing.read',
    label: 'Solde d’une famille',
    input: z.object({ householdId: id() }),
    async run({ db }, input) {
      const household = await db
        .selectFrom('households')
        .select('id')
        .where('id', '=', input.householdId)
        .executeTakeFirst();
      if (!household) throw new DomainError('NOT_FOUND', 'Ce foyer est introuvable.', 'householdId');
      const [balance, open] = await Promise.all([
        familyBalance(db, input.householdId),
        openInvoices(db, input.householdId),
      ]);
      return {
        ...balance,
        openInvoices: open.map((i) => ({
          invoiceId: i.id,
          number: i.number,
          issueDate: i.issueDate,
          dueDate: i.dueDate,
          totalCents: i.totalCents,
          remainingCents: i.remainingCents,
        })),
      };
    },
  }),

  /**
   * The receipt as a PDF. A command, because each print is recorded: the first print is the original, every later
   * one — or one asked as such — says DUPLICATA.
   */
  'payment.receiptPdf': command({
    permission: 'payment.take',
    sync: 'fact',
    label: 'Impression d’un reçu',
    input: z.object({ paymentId: id(), duplicate: bool().default(false) }),
    async run({ db, actor, now, newId }, input) {
      const [detail, issuer] = await Promise.all([paymentDetail(db, input.paymentId), loadIssuer(db)]);
      const duplicate = input.duplicate || detail.printCount > 0;
      await db
        .insertInto('receipt_prints')
        .values({
          id: newId(),
          receipt_id: detail.receiptId,
          printed_at: now.toISOString(),
          duplicate: duplicate ? 1 : 0,
          agent_id: actor.agentId,
        })
        .execute();
      const bytes = await renderReceiptPdf(detail, issuer, { duplicate, printedAt: now });
      return {
        ...pdfFile(`recu-${detail.receiptNumber}${duplicate ? '-duplicata' : ''}.pdf`, bytes),
        duplicate,
        printCount: detail.printCount + 1,
      };
    },
  }),
};
