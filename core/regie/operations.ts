import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { refuseCarried } from '../api/facts.ts';
import { bool, id, isoDate, optionalText } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import { formatEuros } from '../billing/format.ts';
import { loadIssuer } from '../billing/issuer.ts';
import { peekNumber } from '../billing/series.ts';
import { cents, counting } from '../payments/inputs.ts';
import { verifyJournal } from '../journal/journal.ts';
import { counterCodeKey } from '../system/device-keys.ts';
import { depositSlipSeries, loadRegieSettings, PAYMENT_MODES, REGIE_KEYS } from '../payments/modes.ts';
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
import { findOpenSession } from '../payments/till.ts';
import { closeSession, openSession, sessionView } from './session.ts';

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

  /** This counter's till: running totals by mode, cash on hand and the ceiling warning; null when none is open. */
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
      };
    },
  }),

  'regie.closeSession': command({
    permission: 'regie',
    sync: 'fact',
    label: 'Clôture de caisse',
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
      const out = [];
      for (const r of rows) out.push(await sessionView(db, r, settings.cashCeilingCents, now, zone));
      return out;
    },
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

  'regie.depositSlipPdf': query({
    permission: 'regie',
    label: 'Bordereau (PDF)',
    input: z.object({ depositSlipId: id() }),
    async run({ db }, input) {
      const [slip, issuer] = await Promise.all([depositSlipDetail(db, input.depositSlipId), loadIssuer(db)]);
      return pdfFile(`bordereau-${slip.number}.pdf`, await renderDepositSlipPdf(slip, issuer));
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
      return csv(
        `etat-encaissements-${input.from}-${input.to}.csv`,
        collectionReportCsv(await collectionReport(db, input)),
      );
    },
  }),

  /** The régisseur's button: checks the journal and answers the first altered, missing or moved entry. */
  'regie.verifyJournal': query({
    permission: 'regie',
    label: 'Vérification du journal',
    input: z.object({}),
    run: ({ db }) => verifyJournal(db),
  }),
};
