import type { Kysely } from 'kysely';
import { detailField } from '../../shared/payment-details.ts';
import { CHEQUE_NUMBER_PATTERN } from '../../shared/payment-modes.ts';
import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { bool, id, isoDate, optionalText, requiredText } from '../api/fields.ts';
import { command, query, type Actor, type SessionHandle } from '../api/operation.ts';
import { remark } from '../api/facts.ts';
import { verifyPassword } from '../auth/password.ts';
import { can, type Role } from '../auth/roles.ts';
import { formatEuros } from '../billing/format.ts';
import { loadIssuer } from '../billing/issuer.ts';
import { peekNumber } from '../billing/series.ts';
import type { Database } from '../db/schema.ts';
import { renderCollectionReportPdf, renderDepositSlipPdf, renderReceiptPdf } from '../pdf/regie.ts';
import { collectionReport, collectionReportCsv } from '../regie/collection-report.ts';
import {
  createDepositSlip,
  depositSlipCsv,
  depositSlipDetail,
  listDepositSlips,
  pendingCheques,
} from '../regie/deposit-slips.ts';
import { closeSession, findOpenSession, openSession, sessionView, todaysTill } from '../regie/session.ts';
import { readSetting, writeSetting } from '../system/settings.ts';
import { townDate, townTimeZone } from '../time.ts';
import { verifyJournal } from './journal.ts';
import { creditBalance, familyBalance, openInvoices, planAllocations } from './ledger.ts';
import {
  counterCodeKey,
  DENOMINATIONS,
  loadRegieSettings,
  depositSlipSeries,
  MODE_LABELS,
  needsSession,
  PAYMENT_MODES,
  REGIE_KEYS,
  receiptSeries,
  type PaymentMode,
} from './modes.ts';
import { checkOverride, overrideKeyOf, signOverride } from './override-proof.ts';
import { recordPayment, reversePayment, useCredit } from './payments.ts';
import { listForHousehold, paymentDetail } from './read.ts';
import { amountInWords } from './words.ts';

/** The limit the payment form checks too (shared/payment-modes.ts), so both refuse the same text. */
const maxLength = (mode: PaymentMode, field: string) => detailField(mode, field).maxLength;

const cents = (min = 1) =>
  z
    .int({ message: 'montant en centimes attendu' })
    .min(min, { message: min === 0 ? 'montant positif ou nul attendu' : 'montant positif attendu' })
    .max(100_000_000, { message: 'montant trop élevé' });

const count = () =>
  z
    .int({ message: 'nombre entier attendu' })
    .min(0, { message: 'nombre positif attendu' })
    .max(100_000, { message: 'nombre trop élevé' });

const allocations = () =>
  z
    .array(z.object({ invoiceId: id(), amountCents: cents() }), { message: 'liste attendue' })
    .max(200, { message: '200 factures au plus' });

const counting = () =>
  z
    .array(
      z.object({ denominationCents: z.int({ message: 'coupure en centimes attendue' }), count: count() }),
      {
        message: 'liste attendue',
      },
    )
    .max(DENOMINATIONS.length, { message: 'trop de coupures' });

const pdf = (fileName: string, bytes: Buffer) => ({
  fileName,
  mimeType: 'application/pdf' as const,
  base64: bytes.toString('base64'),
});
const csv = (fileName: string, text: string) => ({
  fileName,
  mimeType: 'text/csv;charset=utf-8' as const,
  text,
});

const period = () =>
  z
    .object({ from: isoDate(), to: isoDate(), byPayer: bool().default(false) })
    .refine((p) => p.from <= p.to, { message: 'la fin précède le début', path: ['to'] });

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

/** Refuses, on a command made here, what only its replay may carry: what was fixed where it was made. */
function refuseCarried(ctx: { replay?: boolean | undefined }, carried: unknown[], field: string): void {
  if (!ctx.replay && carried.some((x) => x !== undefined))
    throw new DomainError(
      'FORBIDDEN',
      'Numéro, caisse et signature sont attribués par le guichet au moment de l’opération : ils ne se saisissent pas.',
      field,
    );
}

export const paymentOperations = {
  /** What the payment screen needs: modes accepted (with labels), limits, the counter's series, denominations. */
  'payment.settings': query({
    input: z.object({}),
    async run({ db, actor }) {
      const s = await loadRegieSettings(db, actor.deviceId);
      return {
        ...s,
        modes: s.modes.map((mode) => ({ mode, label: MODE_LABELS[mode] })),
        allModes: PAYMENT_MODES.map((mode) => ({ mode, label: MODE_LABELS[mode] })),
        receiptSeries: receiptSeries(s.counterCode).code,
        denominations: [...DENOMINATIONS],
      };
    },
  }),

  'regie.saveSettings': command({
    input: z.object({
      modes: z
        .array(z.enum(PAYMENT_MODES, { message: 'mode de paiement inconnu' }), { message: 'liste attendue' })
        .min(1, { message: 'au moins un mode' }),
      cashLimitCents: cents(),
      cashLimitOverridable: bool(),
      cashCeilingCents: cents(),
      counterCode: z
        .string({ message: 'texte attendu' })
        .trim()
        .toUpperCase()
        .regex(/^[A-Z0-9]{1,6}$/, { message: '1 à 6 lettres ou chiffres' })
        .optional(),
    }),
    async run({ db, actor }, input) {
      if (input.counterCode && (await readSetting(db, 'sync.serverUrl')))
        throw new DomainError(
          'FORBIDDEN',
          'Ce poste est relié au serveur central : son code de guichet (et ses séries de numéros) est celui que le serveur lui a attribué.',
          'counterCode',
        );
      await writeSetting(
        db,
        REGIE_KEYS.modes,
        PAYMENT_MODES.filter((m) => input.modes.includes(m)),
      );
      await writeSetting(db, REGIE_KEYS.cashLimitCents, input.cashLimitCents);
      await writeSetting(db, REGIE_KEYS.cashLimitOverridable, input.cashLimitOverridable);
      await writeSetting(db, REGIE_KEYS.cashCeilingCents, input.cashCeilingCents);
      if (input.counterCode) await writeSetting(db, counterCodeKey(actor.deviceId), input.counterCode);
      return { saved: true };
    },
  }),

  /** The allocation the payment screen shows before validating: oldest first, which the agent may then edit. */
  'payment.proposeAllocation': query({
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
    input: z.object({
      paymentId: id().optional(),
      householdId: id(),
      mode: z.enum(PAYMENT_MODES, { message: 'mode de paiement inconnu' }),
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
              paymentId: input.paymentId as string,
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
          paymentId: input.paymentId as string,
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
    input: z.object({
      creditUseId: id().optional(),
      householdId: id(),
      allocations: allocations().optional(),
    }),
    prepare: (input, ctx) => ({ ...input, creditUseId: input.creditUseId ?? ctx.newId() }),
    run: async ({ db, actor, now, newId }, input) =>
      useCredit(
        db,
        { ...input, creditUseId: input.creditUseId as string },
        { actor, now, newId, timeZone: await townTimeZone(db) },
      ),
  }),

  /** The only correction of a payment: a reversing entry with a reason (REGIE req. 4). */
  'payment.reverse': command({
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
      reversePayment(
        db,
        { ...input, reversalId: input.reversalId as string },
        { actor, now, newId, remarks, timeZone: await townTimeZone(db) },
      ),
  }),

  'payment.get': query({
    input: z.object({ paymentId: id() }),
    run: ({ db }, input) => paymentDetail(db, input.paymentId),
  }),

  'payment.listForHousehold': query({
    input: z.object({ householdId: id() }),
    run: ({ db }, input) => listForHousehold(db, input.householdId),
  }),

  /** invoices − credit notes − allocations, and the family credit, each a sum of its own table. */
  'payment.familyBalance': query({
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
        ...pdf(`recu-${detail.receiptNumber}${duplicate ? '-duplicata' : ''}.pdf`, bytes),
        duplicate,
        printCount: detail.printCount + 1,
      };
    },
  }),

  'regie.openSession': command({
    input: z.object({
      sessionId: id().optional(),
      floatCents: cents(0).optional(),
      floatDenominations: counting().optional(),
    }),
    prepare: (input, ctx) => ({ ...input, sessionId: input.sessionId ?? ctx.newId() }),
    async run({ db, actor, now, newId }, input) {
      const timeZone = await townTimeZone(db);
      const row = await openSession(
        db,
        { ...input, sessionId: input.sessionId as string },
        { actor, now, newId, timeZone },
      );
      const settings = await loadRegieSettings(db, actor.deviceId);
      return sessionView(db, row, settings.cashCeilingCents, now, timeZone);
    },
  }),

  /** This counter's till: running totals by mode, cash on hand and the ceiling warning; null when none is open. */
  'regie.currentSession': query({
    input: z.object({}),
    async run({ db, actor, now }) {
      const [row, settings] = await Promise.all([
        findOpenSession(db, actor.deviceId),
        loadRegieSettings(db, actor.deviceId),
      ]);
      return {
        session: row
          ? await sessionView(db, row, settings.cashCeilingCents, now, await townTimeZone(db))
          : null,
      };
    },
  }),

  'regie.closeSession': command({
    input: z.object({ sessionId: id(), counted: counting(), reason: optionalText(300) }),
    async run({ db, actor, now, newId, remarks }, input) {
      const timeZone = await townTimeZone(db);
      const row = await closeSession(db, input, { actor, now, newId, remarks, timeZone });
      const settings = await loadRegieSettings(db, actor.deviceId);
      const view = await sessionView(db, row, settings.cashCeilingCents, now, timeZone);
      if (view.differenceCents)
        view.warnings.unshift(
          `Écart de caisse : ${formatEuros(view.differenceCents)} (${view.differenceCents > 0 ? 'excédent' : 'déficit'}) — ${view.differenceReason ?? ''}`,
        );
      return view;
    },
  }),

  /** Past tills, newest first, as their closing certified them. */
  'regie.sessions': query({
    input: z.object({ from: isoDate().optional(), to: isoDate().optional() }),
    async run({ db, actor, now }, input) {
      let q = db.selectFrom('cash_sessions').selectAll().orderBy('opened_at', 'desc').limit(200);
      if (input.from) q = q.where('open_date', '>=', input.from);
      if (input.to) q = q.where('open_date', '<=', input.to);
      const settings = await loadRegieSettings(db, actor.deviceId);
      const rows = await q.execute();
      const zone = await townTimeZone(db);
      const out = [];
      for (const r of rows) out.push(await sessionView(db, r, settings.cashCeilingCents, now, zone));
      return out;
    },
  }),

  'regie.pendingCheques': query({
    input: z.object({}),
    async run({ db }) {
      const cheques = await pendingCheques(db);
      return { cheques, count: cheques.length, totalCents: cheques.reduce((s, c) => s + c.amountCents, 0) };
    },
  }),

  /** A deposit slip of the cheques given, or of every cheque pending. */
  'regie.depositSlip.create': command({
    input: z.object({
      depositSlipId: id().optional(),
      paymentIds: z
        .array(id(), { message: 'liste attendue' })
        .min(1, { message: 'aucun chèque choisi' })
        .max(2000)
        .optional(),
      /** The number printed on the slip, fixed where it was made (replays only). */
      number: z.string().max(60).optional(),
    }),
    // The slip lists the cheques it was made of, by number, wherever it is recorded: « every cheque pending » on
    // the server would be other cheques than those handed to the bank.
    prepare: async (input, ctx) => {
      refuseCarried(ctx, [input.number], 'number');
      const depositSlipId = input.depositSlipId ?? ctx.newId();
      if (ctx.replay) return { ...input, depositSlipId };
      const pending = input.paymentIds ?? (await pendingCheques(ctx.db)).map((c) => c.paymentId);
      const settings = await loadRegieSettings(ctx.db, ctx.actor.deviceId);
      return {
        ...input,
        depositSlipId,
        paymentIds: pending.length ? pending : undefined,
        number: await peekNumber(
          ctx.db,
          depositSlipSeries(settings.counterCode),
          townDate(ctx.now, await townTimeZone(ctx.db)),
        ),
      };
    },
    run: async ({ db, actor, now, newId, remarks }, input) =>
      createDepositSlip(
        db,
        { slipId: input.depositSlipId as string, paymentIds: input.paymentIds, number: input.number },
        { actor, now, newId, remarks, timeZone: await townTimeZone(db) },
      ),
  }),

  'regie.depositSlips': query({
    input: z.object({}),
    run: ({ db }) => listDepositSlips(db),
  }),

  'regie.depositSlipPdf': query({
    input: z.object({ depositSlipId: id() }),
    async run({ db }, input) {
      const [slip, issuer] = await Promise.all([depositSlipDetail(db, input.depositSlipId), loadIssuer(db)]);
      return pdf(`bordereau-${slip.number}.pdf`, await renderDepositSlipPdf(slip, issuer));
    },
  }),

  'regie.depositSlipCsv': query({
    input: z.object({ depositSlipId: id() }),
    async run({ db }, input) {
      const slip = await depositSlipDetail(db, input.depositSlipId);
      return csv(`bordereau-${slip.number}.csv`, depositSlipCsv(slip));
    },
  }),

  /** The état récapitulatif des encaissements for a day or a month, as data for the screen. */
  'regie.collectionReport': query({
    input: period(),
    run: ({ db }, input) => collectionReport(db, input),
  }),

  'regie.collectionReportPdf': query({
    input: period(),
    async run({ db, now }, input) {
      const [report, issuer] = await Promise.all([collectionReport(db, input), loadIssuer(db)]);
      return pdf(
        `etat-encaissements-${input.from}-${input.to}.pdf`,
        await renderCollectionReportPdf(report, issuer, now),
      );
    },
  }),

  'regie.collectionReportCsv': query({
    input: period(),
    async run({ db }, input) {
      return csv(
        `etat-encaissements-${input.from}-${input.to}.csv`,
        collectionReportCsv(await collectionReport(db, input)),
      );
    },
  }),

  /** The régisseur's button: checks the journal and answers the first altered, missing or moved entry. */
  'regie.verifyJournal': query({
    input: z.object({}),
    run: ({ db }) => verifyJournal(db),
  }),
};
