import type { Kysely } from 'kysely';
import { DEFAULT_MODES, PAYMENT_MODES, type PaymentMode } from '../../shared/payment-modes.ts';
import type { SeriesDef } from '../billing/series.ts';
import type { Database } from '../db/schema.ts';
import { counterCodeKey, seriesPrefixKey } from '../system/device-keys.ts';

// The modes are one table shared with the screens (shared/payment-modes.ts): its order, labels, till and details.
export { MODE_LABELS, needsSession, PAYMENT_MODES, type PaymentMode } from '../../shared/payment-modes.ts';

/** Notes and coins of the euro, largest first, in cents: how a till is counted at closing. */
export const DENOMINATIONS = [
  50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1,
] as const;

export interface RegieSettings {
  /** The modes the régie's acte constitutif accepts (REGIE req. 1). */
  modes: PaymentMode[];
  /** Cash at or above this is refused (CGI art. 1680: 300 €) … */
  cashLimitCents: number;
  /** … unless a régisseur overrides it with a reason, when the town allows it (REGIE req. 10). */
  cashLimitOverridable: boolean;
  /** The maximum encaisse of the acte constitutif: above it the till warns that cash must be paid in. */
  cashCeilingCents: number;
  /** This counter's code in its receipt and deposit-slip series (each counter has its own, RULES.md sync). */
  counterCode: string;
}

export const REGIE_DEFAULTS = {
  modes: [...DEFAULT_MODES],
  cashLimitCents: 30_000,
  cashLimitOverridable: true,
  cashCeilingCents: 100_000,
};

/** Settings keys, under the town's settings table. */
export const REGIE_KEYS = {
  modes: 'regie.modes',
  cashLimitCents: 'regie.cashLimitCents',
  cashLimitOverridable: 'regie.cashLimitOverridable',
  cashCeilingCents: 'regie.cashCeilingCents',
  counterCode: 'regie.counterCode',
} as const;

/** Until an administrator names the counter, its code comes from the device id: stable, and distinct per PC. */
export const defaultCounterCode = (deviceId: string): string =>
  `P${deviceId
    .replace(/[^0-9a-f]/gi, '')
    .slice(-4)
    .toUpperCase()}`;

// counterCodeKey and seriesPrefixKey, the keys of a device's own series, are core/system/device-keys.ts (issue 12):
// sync, billing and the central server read them too, none of which should depend on the payment modes.

/** The régie's settings in one read: every payment needs them. */
export async function loadRegieSettings(db: Kysely<Database>, deviceId: string): Promise<RegieSettings> {
  const keys = [...Object.values(REGIE_KEYS), counterCodeKey(deviceId), seriesPrefixKey(deviceId)];
  const found = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', keys).execute();
  const stored = new Map(found.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  const get = <T>(key: string): T | undefined => stored.get(key) as T | undefined;
  const modes = get<string[]>(REGIE_KEYS.modes);
  return {
    modes: modes ? PAYMENT_MODES.filter((m) => modes.includes(m)) : [...REGIE_DEFAULTS.modes],
    cashLimitCents: get<number>(REGIE_KEYS.cashLimitCents) ?? REGIE_DEFAULTS.cashLimitCents,
    cashLimitOverridable:
      get<boolean>(REGIE_KEYS.cashLimitOverridable) ?? REGIE_DEFAULTS.cashLimitOverridable,
    cashCeilingCents: get<number>(REGIE_KEYS.cashCeilingCents) ?? REGIE_DEFAULTS.cashCeilingCents,
    counterCode:
      get<string>(seriesPrefixKey(deviceId)) ??
      get<string>(counterCodeKey(deviceId)) ??
      get<string>(REGIE_KEYS.counterCode) ??
      defaultCounterCode(deviceId),
  };
}

/** The counter's receipt series: « REC-G1-2026-000001 », restarting each year (REGIE req. 3). */
export const receiptSeries = (counterCode: string): SeriesDef => ({
  code: `REC-${counterCode}`,
  kind: 'receipt',
  label: `Reçus du guichet ${counterCode}`,
});

/** The counter's deposit-slip series: « BOR-G1-2026-000001 ». */
export const depositSlipSeries = (counterCode: string): SeriesDef => ({
  code: `BOR-${counterCode}`,
  kind: 'deposit_slip',
  label: `Bordereaux de remise de chèques du guichet ${counterCode}`,
});
