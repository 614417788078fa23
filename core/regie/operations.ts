import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { refuseCarried } from '../api/facts.ts';
import { bool, id, isoDate, optionalText, requiredText } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import { formatEuros } from '../billing/format.ts';
import { loadIssuer } from '../billing/issuer.ts';
import { peekNumber } from '../billing/series.ts';
import { cents, counting } from '../payments/inputs.ts';
import { verifyJournal } from '../journal/journal.ts';
import { counterCodeKey } from '../system/device-keys.ts';
import {
  depositSlipSeries,
  loadRegieSettings,
  MODE_LABELS,
  PAYMENT_MODES,
  REGIE_KEYS,
} from '../payments/modes.ts';
import { pdfFile } from '../pdf/file.ts';
import { renderCollectionReportPdf, renderDepositSlipPdf } from './documents-pdf.ts';
import { readSetting, writeSetting } from '../db/settings.ts';
import { townDate, townTimeZone } from '../time.ts';
import { collectionReport, collectionReportCsv } from './collection-report.ts';
import {
  createDepositSlip,
  depositSlipCsv,
  depositSlipDetail,
  listDepositSlips,
  pendingCheques,
} from './deposit-slips.ts';
import { findOpenSession, todaysTill } from '../payments/till.ts';
import { payIn } from './payins.ts';
import { closeSession, floatSetting, nextFloat, openSession, sessionView } from './session.ts';
import { counterCodes, tillDetail } from './session-detail.ts';
import { renderZReportPdf } from './z-report-pdf.ts';

const csv = (fileName: string, text: string) => ({
  fileName,
  mimeType: 'text/csv;charset=utf-8' as const,
  text,
});

const period = () =>
  z
    .object({ from: isoDate(), to: isoDate(), byPayer: bool().default(false) })
    .refine((p) => p.from <= p.to, { message: 'la fin précède le début', path: ['to'] });

/**
 * The régie's own operations: its settings, the till opened and closed, the cheques remitted to the bank, the
 * collection reports and the journal check. The payments themselves are core/payments/operations.ts.
 */
export const regieOperations = {
  'regie.saveSettings': command({
    permission: 'admin',
    sync: 'local',
    label: 'Réglages de la régie',
    input: z.object({
      modes: z
        .array(z.enum(PAYMENT_MODES, { message: 'mode de paiement inconnu' }), { message: 'liste attendue' })
        .min(1, { message: 'au moins un mode' }),
      cashLimitCents: cents(),
      cashLimitOverridable: bool(),
      cashCeilingCents: cents(),
      /** The float the acte constitutif sets (null: none); absent: unchanged. */
      floatCents: cents(0).nullable().optional(),
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
      if (input.floatCents !== undefined) await writeSetting(db, REGIE_KEYS.floatCents, input.floatCents);
      if (input.counterCode) await writeSetting(db, counterCodeKey(actor.deviceId), input.counterCode);
      return { saved: true };
    },
  }),

  /** The régie's settings as the administrator edits them: modes accepted, cash limit, maximum encaisse, float. */
  'regie.settings': query({
    permission: 'admin',
    label: 'Réglages de la régie (lecture)',
    input: z.object({}),
    async run({ db, actor }) {
      const [s, floatCents] = await Promise.all([loadRegieSettings(db, actor.deviceId), floatSetting(db)]);
      return {
        modes: s.modes,
        allModes: PAYMENT_MODES.map((mode) => ({ mode, label: MODE_LABELS[mode] })),
        cashLimitCents: s.cashLimitCents,
        cashLimitOverridable: s.cashLimitOverridable,
        cashCeilingCents: s.cashCeilingCents,
        floatCents,
      };
    },
  }),

  'regie.openSession': command({
    permission: 'regie',
    sync: 'fact',
    label: 'Ouverture de caisse',
    input: z.object({
      sessionId: id().optional(),
      floatCents: cents(0).optional(),
      floatDenominations: counting().optional(),
    }),
    prepare: (input, ctx) => ({ ...input, sessionId: input.sessionId ?? ctx.newId() }),
    async run({ db, actor, now, newId }, input) {
      const timeZone = await townTimeZone(db);
      const row = await openSession(db, input, { actor, now, newId, timeZone });
      const settings = await loadRegieSettings(db, actor.deviceId);
      return sessionView(db, row, settings.cashCeilingCents, now, timeZone);
    },
  }),

  /**
   * This counter's till: running totals by mode, cash on hand and the ceiling warning; null when none is open, with
   * the float the next opening starts from.
   */
  'regie.currentSession': query({
    permission: 'payment.take',
    label: 'Caisse en cours',
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
        nextFloat: row ? null : await nextFloat(db, actor.deviceId),
      };
    },
  }),

  'regie.closeSession': command({
    permission: 'regie',
    sync: 'fact',
    label: 'Clôture de caisse',
    input: z.object({
      sessionId: id(),
      counted: counting(),
      reason: optionalText(300),
      /** The terminal's batch total (télécollecte), as its end-of-day ticket prints it; null: not noted. */
      cardBatchCents: cents(0).nullable().optional(),
    }),
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

  /** Past tills, newest first, as their closing certified them, each with the counter it belongs to. */
  'regie.sessions': query({
    permission: 'regie',
    label: 'Caisses passées',
    input: z.object({ from: isoDate().optional(), to: isoDate().optional() }),
    async run({ db, actor, now }, input) {
      let q = db.selectFrom('cash_sessions').selectAll().orderBy('opened_at', 'desc').limit(200);
      if (input.from) q = q.where('open_date', '>=', input.from);
      if (input.to) q = q.where('open_date', '<=', input.to);
      const settings = await loadRegieSettings(db, actor.deviceId);
      const rows = await q.execute();
      const zone = await townTimeZone(db);
      const codes = await counterCodes(
        db,
        rows.map((r) => r.device_id),
      );
      const out = [];
      for (const r of rows)
        out.push({
          ...(await sessionView(db, r, settings.cashCeilingCents, now, zone)),
          counterCode: codes.get(r.device_id) ?? '',
          thisCounter: r.device_id === actor.deviceId,
        });
      return out;
    },
  }),

  /** One till, open or past, read-only: its figures, its payments with their receipts, reversals and pay-ins. */
  'regie.session': query({
    permission: 'regie',
    label: 'Détail d’une caisse',
    input: z.object({ sessionId: id() }),
    run: async ({ db, now }, input) => tillDetail(db, input.sessionId, now, await townTimeZone(db)),
  }),

  /** The closing report (« Z ») of a closed till, as a PDF: printed at closing, reprinted from the history. */
  'regie.sessionReportPdf': query({
    permission: 'regie',
    label: 'Rapport de clôture de caisse (PDF)',
    input: z.object({ sessionId: id() }),
    async run({ db, now }, input) {
      const zone = await townTimeZone(db);
      const [detail, issuer] = await Promise.all([
        tillDetail(db, input.sessionId, now, zone),
        loadIssuer(db),
      ]);
      if (!detail.session.closed)
        throw new DomainError(
          'CONFLICT',
          'Cette caisse n’est pas clôturée : son rapport de clôture s’imprime une fois la caisse clôturée.',
          'sessionId',
        );
      return pdfFile(
        `cloture-caisse-${detail.session.openDate}-${detail.counterCode}.pdf`,
        await renderZReportPdf(detail, issuer, now),
      );
    },
  }),

  /**
   * Cash taken out of today's till and paid in to the Trésor, with the reference of the comptable's receipt: a fact,
   * journaled, never changed; the closing expects that much less cash.
   */
  'regie.payIn': command({
    permission: 'regie',
    sync: 'fact',
    label: 'Versement au comptable',
    input: z.object({
      payInId: id().optional(),
      amountCents: cents(),
      reference: requiredText(60),
      note: optionalText(200),
      /** The till it left, fixed where it was made (replays only). */
      sessionId: id().nullable().optional(),
    }),
    prepare: async (input, ctx) => {
      refuseCarried(ctx, [input.sessionId], 'sessionId');
      const payInId = input.payInId ?? ctx.newId();
      if (ctx.replay) return { ...input, payInId, sessionId: input.sessionId ?? null };
      const till = await todaysTill(ctx.db, ctx.actor.deviceId, ctx.now, await townTimeZone(ctx.db));
      return { ...input, payInId, sessionId: till?.id ?? null };
    },
    run: async ({ db, actor, now, newId, remarks }, input) =>
      payIn(db, input, { actor, now, newId, remarks, timeZone: await townTimeZone(db) }),
  }),

  'regie.pendingCheques': query({
    permission: 'regie',
    label: 'Chèques à remettre',
    input: z.object({}),
    async run({ db }) {
      const cheques = await pendingCheques(db);
      return { cheques, count: cheques.length, totalCents: cheques.reduce((s, c) => s + c.amountCents, 0) };
    },
  }),

  /** A deposit slip of the cheques given, or of every cheque pending. */
  'regie.depositSlip.create': command({
    permission: 'regie',
    sync: 'fact',
    label: 'Bordereau de remise de chèques',
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
        { slipId: input.depositSlipId, paymentIds: input.paymentIds, number: input.number },
        { actor, now, newId, remarks, timeZone: await townTimeZone(db) },
      ),
  }),

  'regie.depositSlips': query({
    permission: 'regie',
    label: 'Liste des bordereaux',
    input: z.object({}),
    run: ({ db }) => listDepositSlips(db),
  }),

  /** The slip as a PDF; a reprint from the list of past slips says DUPLICATA, with its date. */
  'regie.depositSlipPdf': query({
    permission: 'regie',
    label: 'Bordereau (PDF)',
    input: z.object({ depositSlipId: id(), reprint: bool().default(false) }),
    async run({ db, now }, input) {
      const [slip, issuer] = await Promise.all([depositSlipDetail(db, input.depositSlipId), loadIssuer(db)]);
      return pdfFile(
        `bordereau-${slip.number}${input.reprint ? '-duplicata' : ''}.pdf`,
        await renderDepositSlipPdf(slip, issuer, input.reprint ? now : null),
      );
    },
  }),

  'regie.depositSlipCsv': query({
    permission: 'regie',
    label: 'Bordereau (CSV)',
    input: z.object({ depositSlipId: id() }),
    async run({ db }, input) {
      const slip = await depositSlipDetail(db, input.depositSlipId);
      return csv(`bordereau-${slip.number}.csv`, depositSlipCsv(slip));
    },
  }),

  /** The état récapitulatif des encaissements for a day or a month, as data for the screen. */
  'regie.collectionReport': query({
    permission: 'regie',
    label: 'État des encaissements',
    input: period(),
    run: ({ db }, input) => collectionReport(db, input),
  }),

  'regie.collectionReportPdf': query({
    permission: 'regie',
    label: 'État des encaissements (PDF)',
    input: period(),
    async run({ db, now }, input) {
      const [report, issuer] = await Promise.all([collectionReport(db, input), loadIssuer(db)]);
      return pdfFile(
        `etat-encaissements-${input.from}-${input.to}.pdf`,
        await renderCollectionReportPdf(report, issuer, now),
      );
    },
  }),

  'regie.collectionReportCsv': query({
    permission: 'regie',
    label: 'État des encaissements (CSV)',
    input: period(),
    async run({ db }, input) {
      const [report, issuer] = await Promise.all([collectionReport(db, input), loadIssuer(db)]);
      return csv(`etat-encaissements-${input.from}-${input.to}.csv`, collectionReportCsv(report, issuer));
    },
  }),

  /**
   * The régisseur's buttons: checks the journal and answers the first altered, missing or moved entry. The routine
   * check reads what was written since the last checkpoint; `full` reads every entry again. A check that finds
   * nothing leaves a checkpoint on this machine (a record of the check, not a régie fact: it does not travel).
   */
  'regie.verifyJournal': query({
    permission: 'regie',
    label: 'Vérification du journal',
    input: z.object({ full: z.boolean().optional() }),
    run: ({ db, now }, input) => verifyJournal(db, { full: input.full === true, at: now }),
  }),
};
