import { z } from 'zod';
import { DomainError } from '../api/envelope.ts';
import { refuseCarried } from '../api/facts.ts';
import { id, isoDate } from '../api/fields.ts';
import { command, query } from '../api/operation.ts';
import { deviceSeries, peekNumber } from '../billing/series.ts';
import { writeSetting } from '../db/settings.ts';
import { townDate, townTimeZone } from '../time.ts';
import { defaultCollectionDate } from '../directdebit/operations.ts';
import { loadCreditor } from '../directdebit/settings.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { loadPesSettings, PES_KEYS, RECOVERY_MINIMUM_KEY } from './settings.ts';
import {
  createTitreExport,
  listTitreExports,
  TITRE_EXPORT_SERIES,
  titreCandidates,
  titreExportXml,
} from './titres.ts';

const code = (length: number, what: string) =>
  z
    .string({ message: 'texte attendu' })
    .trim()
    .toUpperCase()
    .refine((s) => new RegExp(`^[A-Z0-9]{1,${length}}$`).test(s), {
      message: `${what} : ${length} lettres ou chiffres au plus, comme la Trésorerie l’a donné`,
    });

/**
 * The collection date the export's debits carry where the Trésorerie collects them (ORMC): the one asked, else the
 * town's collection day as a pain.008 file would propose it; null where the régie's bank collects them.
 */
async function debitDate(db: Kysely<Database>, now: Date, asked: string | undefined): Promise<string | null> {
  const creditor = await loadCreditor(db);
  if (creditor.channel !== 'ormc') return null;
  const today = townDate(now, await townTimeZone(db));
  if (asked !== undefined && asked < today)
    throw new DomainError('VALIDATION', 'La date de prélèvement ne peut pas être passée.', 'collectionDate');
  return asked ?? defaultCollectionDate(today, creditor.collectionDay);
}

export const pesOperations = {
  'pes.settings': query({
    permission: 'billing.read',
    label: 'Consultation des réglages de la transmission à la Trésorerie',
    input: z.object({}),
    run: ({ db }) => loadPesSettings(db),
  }),

  'pes.saveSettings': command({
    permission: 'admin',
    sync: 'local',
    label: 'Réglages de la transmission à la Trésorerie',
    input: z.object({
      postId: z
        .string({ message: 'texte attendu' })
        .trim()
        .regex(/^\d{6,7}$/, { message: 'code du poste comptable : 6 ou 7 chiffres' }),
      siret: z
        .string({ message: 'texte attendu' })
        .transform((s) => s.replace(/\s/g, ''))
        .refine((s) => /^\d{14}$/.test(s), { message: 'SIRET : 14 chiffres' }),
      collectivityCode: code(3, 'code collectivité'),
      budgetCode: code(10, 'code budget'),
      productCode: code(4, 'code produit local'),
      nature: z
        .string({ message: 'texte attendu' })
        .trim()
        .regex(/^\d{3,10}$/, { message: 'compte de nature : des chiffres (ex. 7067)' }),
      minimumCents: z
        .int({ message: 'montant en centimes attendu' })
        .min(0, { message: 'un montant positif' })
        .max(100_000, { message: 'au plus 1 000 €' }),
    }),
    async run({ db }, input) {
      for (const key of Object.keys(PES_KEYS) as (keyof typeof PES_KEYS)[])
        await writeSetting(db, PES_KEYS[key], input[key]);
      await writeSetting(db, RECOVERY_MINIMUM_KEY, input.minimumCents);
      return { saved: true };
    },
  }),

  /** What an export would hand to the Trésorerie, debtor by debtor, and who stays under the minimum. */
  'pes.preview': query({
    permission: 'regie',
    label: 'Aperçu des titres à transmettre',
    input: z.object({ asOf: isoDate(), collectionDate: isoDate().optional() }),
    run: async ({ db, now }, input) =>
      titreCandidates(db, input.asOf, await debitDate(db, now, input.collectionDate)),
  }),

  /**
   * The export of the unpaid invoices past due to the Trésorerie (PES V2): numbered, each invoice in it marked so
   * that it never leaves twice. A fact: what the Trésorerie took in charge is what every store records.
   */
  'pes.export': command({
    permission: 'regie',
    sync: 'fact',
    label: 'Transmission des titres à la Trésorerie',
    input: z.object({
      exportId: id().optional(),
      asOf: isoDate(),
      collectionDate: isoDate().optional(),
      number: z.string().max(60).optional(),
      titres: z
        .array(
          z.object({
            invoiceId: id(),
            householdId: id(),
            amountCents: z.int().min(1),
            piece: z.int().min(1),
            line: z.int().min(1),
            mandateId: id().nullable().optional(),
            sequence: z.enum(['FRST', 'RCUR']).nullable().optional(),
            collectionDate: isoDate().nullable().optional(),
          }),
        )
        .max(20_000)
        .optional(),
    }),
    prepare: async (input, ctx) => {
      refuseCarried(ctx, [input.number, input.titres], 'number');
      const exportId = input.exportId ?? ctx.newId();
      if (ctx.replay) return { ...input, exportId };
      const today = townDate(ctx.now, await townTimeZone(ctx.db));
      if (input.asOf > today)
        throw new DomainError(
          'VALIDATION',
          'Les impayés se comptent à une date passée ou aujourd’hui.',
          'asOf',
        );
      const preview = await titreCandidates(
        ctx.db,
        input.asOf,
        await debitDate(ctx.db, ctx.now, input.collectionDate),
      );
      if (preview.gaps.length)
        throw new DomainError(
          'VALIDATION',
          `Avant une transmission, l’administrateur renseigne dans Paramètres › Trésorerie : ${preview.gaps.join(', ')}.`,
          'asOf',
        );
      if (preview.debtors.length === 0)
        throw new DomainError(
          'CONFLICT',
          'Aucune facture à transmettre : rien d’échu, de non payé et de non transmis n’atteint le seuil de recouvrement.',
          'asOf',
        );
      const number = await peekNumber(
        ctx.db,
        await deviceSeries(ctx.db, TITRE_EXPORT_SERIES, ctx.actor.deviceId),
        today,
      );
      return {
        ...input,
        exportId,
        number,
        titres: preview.debtors.flatMap((d, p) =>
          d.invoices.map((i, l) => ({
            invoiceId: i.invoiceId,
            householdId: d.householdId,
            amountCents: i.amountCents,
            piece: p + 1,
            line: l + 1,
            mandateId: i.debit?.mandateId ?? null,
            sequence: i.debit?.sequence ?? null,
            collectionDate: i.debit?.collectionDate ?? null,
          })),
        ),
      };
    },
    async run({ db, actor, now, newId, remarks }, input) {
      if (!input.number || !input.titres)
        throw new DomainError('VALIDATION', 'Transmission incomplète.', 'titres');
      return createTitreExport(
        db,
        { exportId: input.exportId, number: input.number, asOf: input.asOf, titres: input.titres },
        await deviceSeries(db, TITRE_EXPORT_SERIES, actor.deviceId),
        { actor, now, newId, remarks, timeZone: await townTimeZone(db) },
      );
    },
  }),

  'pes.exports': query({
    permission: 'regie',
    label: 'Transmissions à la Trésorerie',
    input: z.object({}),
    run: ({ db }) => listTitreExports(db),
  }),

  'pes.exportXml': query({
    permission: 'regie',
    label: 'Fichier PES transmis (XML)',
    input: z.object({ exportId: id() }),
    run: ({ db }, input) => titreExportXml(db, input.exportId),
  }),
};
