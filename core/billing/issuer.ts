import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Issuer } from '../pdf/blocks.ts';
import { readSetting } from '../db/settings.ts';
import { townTimeZone } from '../time.ts';

/**
 * Town settings printed on invoices, with the demo town's values as defaults until an administrator sets them.
 * `town.address` is one string, lines separated by « \n ».
 */
export const ISSUER_DEFAULTS = {
  'town.name': 'Ville de Belleval',
  'town.address': 'Hôtel de ville\n1 place de la Mairie\n45100 Belleval',
  'billing.regieName': 'Régie des services à la famille',
  'billing.counterInfo': 'guichet Famille, du lundi au vendredi de 8 h 30 à 12 h et de 13 h 30 à 17 h 30',
  'billing.onlinePayment': 'sur le portail Famille de la ville ou sur www.payfip.gouv.fr',
} as const;

export async function loadIssuer(db: Kysely<Database>): Promise<Issuer> {
  const get = async (key: keyof typeof ISSUER_DEFAULTS) =>
    (await readSetting<string>(db, key)) ?? ISSUER_DEFAULTS[key];
  const [townName, address, regieName, counterInfo, onlinePayment, timeZone] = await Promise.all([
    get('town.name'),
    get('town.address'),
    get('billing.regieName'),
    get('billing.counterInfo'),
    get('billing.onlinePayment'),
    townTimeZone(db),
  ]);
  return {
    townName,
    addressLines: address.split('\n').filter((l) => l.trim() !== ''),
    regieName,
    counterInfo,
    onlinePayment,
    timeZone,
  };
}
