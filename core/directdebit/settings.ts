import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { readSetting } from '../db/settings.ts';
import { ISSUER_DEFAULTS } from '../billing/issuer.ts';

/** The town as SEPA creditor: its name on the families' statements, its ICS, the account debits are paid into. */
export interface CreditorSettings {
  name: string;
  ics: string | null;
  iban: string | null;
  bic: string | null;
  /** The day of the month debits are collected on, unless the régisseur chooses another date for a file. */
  collectionDay: number;
  /**
   * Who collects the debits: the régie's bank, from the pain.008 file the régie sends (« bank »), or the Trésorerie,
   * from the PES export's lines carrying each debit (« ormc »: Ordre de Recette Multi-Créanciers).
   */
  channel: DebitChannel;
}

export type DebitChannel = 'bank' | 'ormc';
export const DEBIT_CHANNELS = ['bank', 'ormc'] as const;

export const SEPA_KEYS = {
  name: 'sepa.creditorName',
  ics: 'sepa.ics',
  iban: 'sepa.iban',
  bic: 'sepa.bic',
  collectionDay: 'sepa.collectionDay',
  channel: 'sepa.channel',
} as const;

export const DEFAULT_COLLECTION_DAY = 10;

export async function loadCreditor(db: Kysely<Database>): Promise<CreditorSettings> {
  const [name, townName, ics, iban, bic, day, channel] = await Promise.all([
    readSetting<string>(db, SEPA_KEYS.name),
    readSetting<string>(db, 'town.name'),
    readSetting<string>(db, SEPA_KEYS.ics),
    readSetting<string>(db, SEPA_KEYS.iban),
    readSetting<string>(db, SEPA_KEYS.bic),
    readSetting<number>(db, SEPA_KEYS.collectionDay),
    readSetting<DebitChannel>(db, SEPA_KEYS.channel),
  ]);
  return {
    name: name ?? townName ?? ISSUER_DEFAULTS['town.name'],
    ics: ics ?? null,
    iban: iban ?? null,
    bic: bic ?? null,
    collectionDay: day ?? DEFAULT_COLLECTION_DAY,
    channel: channel === 'ormc' ? 'ormc' : 'bank',
  };
}

/** What is missing before a file can leave, in the words of the settings screen; empty when nothing is. */
export function creditorGaps(c: CreditorSettings): string[] {
  const gaps: string[] = [];
  if (!c.ics) gaps.push('l’identifiant créancier SEPA (ICS) de la commune');
  if (!c.iban) gaps.push('l’IBAN du compte de la régie');
  return gaps;
}
