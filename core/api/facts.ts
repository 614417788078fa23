import { DomainError } from './envelope.ts';
import type { Remark } from './operation.ts';

/**
 * A fact (RULES.md « Time, facts and calendars »: a payment received, a receipt or deposit slip printed, a till
 * opened or closed, a credit note issued) is judged once, where and when it happens, by the rules in force there
 * and then. When it runs again elsewhere — the central server receiving it, a counter rebuilding its state after a
 * pull — it stands as it was recorded. Two kinds of checks, then:
 *
 * - **Rules of the moment**, settings the town may change while a counter is offline, or states another counter
 *   may change meanwhile. They refuse a fresh command; a replayed fact is recorded all the same and what the rule now
 *   objects to is noted for the régisseur (`ruleOfTheMoment`):
 *   the modes the régie accepts; the cash limit, whether it may be overridden and the override it then needs;
 *   the till open, and opened today, for a payment or a cash refund; the difference of a closing explained;
 *   the invoices a payment was allocated to still owing that much (else the money waits as family credit);
 *   a deposit slip's cheques still pending (not deposited elsewhere, not given back);
 *   a credit note within what remains on its invoice line, its service not credited already;
 *   a number printed in its series' order (date and sequence: core/billing/series.ts `takeNumber`).
 * - **Format and integrity**, the same everywhere, which refuse a replay too (the fact is then held for the régie):
 *   the input's schema; the family, invoice, payment or till it names exists and is this counter's;
 *   the details a mode needs and no other mode's; vouchers adding up to the amount; no card number anywhere;
 *   a counting in real denominations; a cheque on one slip only, a closed till taking nothing more, one open till
 *   per counter (the database's own constraints).
 */
export function ruleOfTheMoment(
  ctx: { remarks?: Remark[] | undefined },
  code: string,
  error: DomainError,
): void {
  if (!ctx.remarks) throw error;
  ctx.remarks.push({
    code,
    message: `Enregistré tel qu’il a été fait au guichet, mais les règles actuelles ne l’accepteraient plus : ${lowerFirst(error.message)}`,
  });
}

/** Notes something a replayed fact's régisseur must look at, without it being a rule the fact broke. */
export function remark(ctx: { remarks?: Remark[] | undefined }, code: string, message: string): void {
  ctx.remarks?.push({ code, message });
}

const lowerFirst = (s: string) => (/^[A-ZÀ-Ý][a-zà-ÿ’']/.test(s) ? s[0]?.toLowerCase() + s.slice(1) : s);

/**
 * Refuses, on a command made here, what only its replay may carry: what was fixed where it was made (the number
 * printed, the till, the régisseur's signature).
 */
export function refuseCarried(
  ctx: { replay?: boolean | undefined },
  carried: unknown[],
  field: string,
): void {
  if (!ctx.replay && carried.some((x) => x !== undefined))
    throw new DomainError(
      'FORBIDDEN',
      'Numéro, caisse et signature sont attribués par le guichet au moment de l’opération : ils ne se saisissent pas.',
      field,
    );
}
