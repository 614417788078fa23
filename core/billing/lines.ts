import { qfInForce, type QfRecord } from '../family/qf.ts';
import type { PricedService } from '../pricing/surcharge.ts';
import type { TariffData } from '../pricing/tariff.ts';
import type { Catalogue } from './catalogue.ts';
import type { DraftLine } from './issue.ts';
import { charge, decide, LINE_KINDS, tariffOn, type Charge, type Decision } from './rules.ts';

/**
 * Bookings that the rules cannot tell apart: same child, unit and states. The rules decide once per group and the
 * price is computed once per tariff and month, so a month of 70,000 bookings is priced in a few thousand steps.
 */
export interface ServiceGroup {
  householdId: string;
  childId: string;
  unitId: string;
  state: 'booked' | 'cancelled';
  late: number;
  unbooked: number;
  cancelLate: number;
  attendance: 'present' | 'absent_justified' | 'absent_unjustified' | null;
  /** The bookings, in date order. */
  services: { bookingId: string; date: string }[];
}

export interface Child {
  name: string;
  /** Sort key: children print eldest first. */
  order: string;
}

/** A service that should be billed and cannot be: shown before the run so the administrator fixes the set-up. */
export interface Anomaly {
  bookingId: string;
  householdId: string;
  childName: string;
  activityName: string;
  date: string;
  reason: string;
}

export interface PricingInput {
  catalogue: Catalogue;
  qfHistories: Map<string, QfRecord[]>;
  children: Map<string, Child>;
  /** Only activities paid this way are billed here (the others belong to another invoice). */
  payment: 'monthly' | 'atBooking';
}

export interface PricedHousehold {
  householdId: string;
  lines: DraftLine[];
}

const KIND_ORDER = new Map(LINE_KINDS.map((k, i) => [k, i]));

/**
 * Turns service groups into invoice lines, per household: each group decided by the rules, each service priced with
 * the tariff of its date and the QF of its month, then services with the same child, unit, reason and price merged
 * into one line (quantity × unit price). Lines come out eldest child first, then in the activities' and units' order.
 */
export function priceGroups(
  groups: readonly ServiceGroup[],
  input: PricingInput,
  anomalies: Anomaly[],
): PricedHousehold[] {
  const { catalogue, qfHistories, children, payment } = input;
  // Prices depend on the tariff, the QF value and the decision only: thousands of groups share a few dozen prices.
  const charges = new Map<string, Charge>();
  const surcharges = new Map<string, PricedService>();
  const qfs = new Map<string, number | null>();
  const decisions = new Map<string, { decision: Decision; key: string }>();
  const byHousehold = new Map<string, Map<string, DraftLine>>();
  // Where each line prints, known when it is made: its child's age, its activity's and its unit's place.
  const activityOrder = [...catalogue.activities.keys()];
  const rank = new Map<DraftLine, { child: string; activity: number; unit: number }>();
  for (const g of groups) {
    const found = catalogue.units.get(g.unitId);
    if (!found || found.activity.settings.payment !== payment) continue;
    const { activity, unit } = found;
    // Groups differ by child far more than by what the rules read: a few dozen decisions serve the whole run.
    const decisionId = `${activity.id}|${g.state}|${g.late}|${g.unbooked}|${g.cancelLate}|${g.attendance}`;
    let decided = decisions.get(decisionId);
    // Stryker disable next-line ConditionalExpression: a memo: without it the same value is computed again.
    if (!decided) {
      const d = decide(g, activity.settings);
      // Stryker disable next-line StringLiteral: a decision not billed prices nothing, its key is never read.
      decided = { decision: d, key: d.billed ? decisionKey(d) : '' };
      // Stryker disable next-line CallExpression: a memo: without it the same value is computed again.
      decisions.set(decisionId, decided);
    }
    const decision = decided.decision;
    if (!decision.billed) continue;
    const child = children.get(g.childId) ?? { name: '', order: '' };
    const tariffs = catalogue.tariffsOf(activity.id, unit.code);
    const flat = unit.code === 'month';
    let lines = byHousehold.get(g.householdId);
    if (!lines) {
      lines = new Map();
      byHousehold.set(g.householdId, lines);
    }
    // Services come in date order: tariff, month and line change rarely from one to the next.
    let current = null as { tariff: TariffData; month: string; line: DraftLine } | null;
    for (const s of g.services) {
      const tariff = tariffOn(tariffs, s.date);
      if (!tariff) {
        anomalies.push({
          bookingId: s.bookingId,
          householdId: g.householdId,
          childName: child.name,
          activityName: activity.name,
          date: s.date,
          reason: `aucun tarif « ${unit.label} » en vigueur le ${s.date}`,
        });
        current = null;
        continue;
      }
      // startsWith rather than a slice per service: a city's month is hundreds of thousands of services.
      // Stryker disable next-line ConditionalExpression,MethodExpression: a memo: without it the same value is computed again (the month's QF, price and line).
      if (!current || current.tariff !== tariff || !s.date.startsWith(current.month)) {
        const month = s.date.slice(0, 7);
        const qfKey = `${g.householdId}|${month}`;
        let qf = qfs.get(qfKey);
        // Stryker disable next-line ConditionalExpression: a memo: without it the same value is computed again.
        if (qf === undefined) {
          qf = qfInForce(qfHistories.get(g.householdId) ?? [], month)?.value ?? null;
          // Stryker disable next-line CallExpression: a memo: without it the same value is computed again.
          qfs.set(qfKey, qf);
        }
        const priceKey = `${activity.id}|${unit.code}|${tariffs.findIndex((t) => t.data === tariff)}|${qf}|${decided.key}`;
        let price = charges.get(priceKey);
        // Stryker disable next-line ConditionalExpression: a memo: without it the same value is computed again.
        if (!price) {
          price = charge(decision, tariff, qf, unit.code, 1, surcharges);
          // Stryker disable next-line CallExpression: a memo: without it the same value is computed again.
          charges.set(priceKey, price);
        }
        const lineKey = [
          g.childId,
          unit.id,
          decision.kind,
          price.unitPriceCents,
          price.basis,
          price.surchargeReason,
          qf,
          flat ? month : '',
        ].join('|');
        let line = lines.get(lineKey);
        if (!line) {
          line = {
            ...price,
            quantity: 0,
            amountCents: 0,
            kind: decision.kind,
            childId: g.childId,
            childName: child.name,
            activityId: activity.id,
            activityName: activity.name,
            unitCode: unit.code,
            unitLabel: unit.label,
            dates: [],
            // A month booking stands on the month's first day; it is billed as the month, not as that day.
            period: flat ? month : null,
            services: [],
            enrolmentId: null,
          };
          lines.set(lineKey, line);
          rank.set(line, {
            child: child.order,
            activity: activityOrder.indexOf(activity.id),
            unit: activity.units.indexOf(unit),
          });
        }
        current = { tariff, month, line };
      }
      const line = current.line;
      line.quantity += 1;
      line.amountCents += line.unitPriceCents;
      if (!flat) line.dates.push(s.date);
      line.services.push(s);
    }
  }

  const out: PricedHousehold[] = [];
  for (const [householdId, lines] of byHousehold) {
    const sorted = [...lines.values()].sort((a, b) => {
      const ra = rank.get(a)!;
      const rb = rank.get(b)!;
      return (
        compare(ra.child, rb.child) ||
        compare(a.childId, b.childId) ||
        ra.activity - rb.activity ||
        ra.unit - rb.unit ||
        (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0) ||
        compare(a.dates[0] ?? a.period ?? '', b.dates[0] ?? b.period ?? '')
      );
    });
    for (const l of sorted) l.dates.sort();
    if (sorted.length) out.push({ householdId, lines: sorted });
  }
  return out;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const decisionKey = (d: Extract<Decision, { billed: true }>) =>
  `${d.kind}|${d.surcharge ? JSON.stringify(d.surcharge) : ''}|${d.surchargeReason}`;
