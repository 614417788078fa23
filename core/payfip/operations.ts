import { z } from 'zod';
import { PAYFIP_CLIENT_PATTERN } from '../../shared/payfip.ts';
import { command, query } from '../api/operation.ts';
import { readSetting, writeSetting } from '../db/settings.ts';
import { matchOnlinePayments } from './online-import.ts';

export const PAYFIP_CLIENT_KEY = 'payfip.clientId';

export const payfipOperations = {
  'payfip.settings': query({
    permission: 'billing.read',
    label: 'Consultation du numéro client PayFiP',
    input: z.object({}),
    run: async ({ db }) => ({ clientId: (await readSetting<string>(db, PAYFIP_CLIENT_KEY)) ?? null }),
  }),

  'payfip.saveSettings': command({
    permission: 'admin',
    sync: 'local',
    label: 'Numéro client PayFiP',
    input: z.object({
      clientId: z
        .string({ message: 'texte attendu' })
        .trim()
        .refine((s) => s === '' || PAYFIP_CLIENT_PATTERN.test(s), {
          message: 'identifiant collectivité PayFiP : 6 chiffres, donnés par la DGFiP',
        }),
    }),
    async run({ db }, input) {
      await writeSetting(db, PAYFIP_CLIENT_KEY, input.clientId === '' ? null : input.clientId);
      return { saved: true };
    },
  }),

  /**
   * The PayFiP back office's list of online payments, each matched to its invoice by reference, with what
   * recording it would do; the screen then records each ready row as a payment « en ligne » (payment.record).
   */
  'payfip.previewImport': query({
    permission: 'payment.take',
    label: 'Aperçu de l’import des paiements en ligne',
    input: z.object({
      csv: z.string({ message: 'texte attendu' }).max(2_000_000, { message: 'fichier trop long' }),
    }),
    run: ({ db }, input) => matchOnlinePayments(db, input.csv),
  }),
};
