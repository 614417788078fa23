import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { readSetting } from '../db/settings.ts';
import { DEFAULT_RECOVERY_MINIMUM_CENTS } from '../billing/read.ts';
import type { PesTown } from './pes-aller.ts';

/** What the Trésorerie gives the town for its PES V2 exports, and the recovery minimum (REGIE.md §2). */
export const PES_KEYS = {
  postId: 'pes.postId',
  siret: 'pes.siret',
  collectivityCode: 'pes.collectivityCode',
  budgetCode: 'pes.budgetCode',
  productCode: 'pes.productCode',
  nature: 'pes.nature',
} as const;

export const RECOVERY_MINIMUM_KEY = 'billing.recoveryMinimumCents';

/** 7067: « redevances et droits des services périscolaires et d'enseignement » (M57/M14). */
export const DEFAULT_NATURE = '7067';

export interface PesSettings extends PesTown {
  minimumCents: number;
}

export async function loadPesSettings(db: Kysely<Database>): Promise<PesSettings> {
  const read = (key: string) => readSetting<string>(db, key);
  return {
    postId: (await read(PES_KEYS.postId)) ?? '',
    siret: (await read(PES_KEYS.siret)) ?? '',
    collectivityCode: (await read(PES_KEYS.collectivityCode)) ?? '',
    budgetCode: (await read(PES_KEYS.budgetCode)) ?? '',
    productCode: (await read(PES_KEYS.productCode)) ?? '',
    nature: (await read(PES_KEYS.nature)) ?? DEFAULT_NATURE,
    minimumCents: (await readSetting<number>(db, RECOVERY_MINIMUM_KEY)) ?? DEFAULT_RECOVERY_MINIMUM_CENTS,
  };
}

/** What is missing before an export can leave, in the settings screen's words; empty when nothing is. */
export function pesGaps(s: PesSettings): string[] {
  const gaps: string[] = [];
  if (!s.postId) gaps.push('le code du poste comptable');
  if (!s.siret) gaps.push('le SIRET de la commune');
  if (!s.collectivityCode) gaps.push('le code collectivité');
  if (!s.budgetCode) gaps.push('le code budget');
  if (!s.productCode) gaps.push('le code produit local');
  return gaps;
}
