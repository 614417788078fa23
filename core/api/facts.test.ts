import { describe, expect, it } from 'vitest';
import { operations } from '../contract.ts';
import { DomainError } from './envelope.ts';
import { commandTime, MAX_CLOCK_DRIFT_MS } from './execute.ts';
import { remark, ruleOfTheMoment } from './facts.ts';
import type { Remark } from './operation.ts';

/**
 * Facts and requests as they reach another store (RULES.md « Time, facts and calendars »): a fact keeps the time it
 * happened at the counter and is recorded whatever the rules now say, noted for the régisseur; a request is judged
 * again, on the clock of the store that runs it.
 */

describe('the time a command runs at', () => {
  const newYearsEve = new Date('2026-12-31T22:30:00Z'); // 23:30 in Paris: a till worked offline
  const synced = new Date('2027-01-04T08:00:00Z');

  it('keeps a payment taken on 31 December in December when it syncs in January', () => {
    expect(commandTime(operations['payment.record'], newYearsEve, synced)).toEqual(newYearsEve);
    expect(commandTime(operations['regie.closeSession'], newYearsEve, synced)).toEqual(newYearsEve);
  });

  it('judges a booking on the clock of the store that runs it', () => {
    expect(commandTime(operations['booking.book'], newYearsEve, synced)).toEqual(synced);
  });

  it('takes its own clock for a fact stamped too far ahead, a counter’s clock being wrong, and for no time at all', () => {
    const now = new Date('2027-01-04T08:00:00Z');
    const ahead = (ms: number) => new Date(now.getTime() + ms);
    expect(commandTime(operations['payment.record'], ahead(MAX_CLOCK_DRIFT_MS), now)).toEqual(
      ahead(MAX_CLOCK_DRIFT_MS),
    );
    expect(commandTime(operations['payment.record'], ahead(MAX_CLOCK_DRIFT_MS + 1), now)).toEqual(now);
    expect(commandTime(operations['payment.record'], ahead(60_001), now, 60_000)).toEqual(now);
    expect(commandTime(operations['payment.record'], new Date('pas une date'), now)).toEqual(now);
  });
});

describe('a rule of the moment', () => {
  const refusal = new DomainError(
    'FORBIDDEN',
    'Paiement en espèces refusé : 300,00 € ou plus.',
    'amountCents',
  );

  it('refuses a fresh command', () => {
    expect(() => ruleOfTheMoment({}, 'CASH_LIMIT', refusal)).toThrow(refusal);
  });

  it('records a replayed fact all the same, and tells the régisseur what today’s rules object to', () => {
    const remarks: Remark[] = [];
    ruleOfTheMoment({ remarks }, 'CASH_LIMIT', refusal);
    ruleOfTheMoment(
      { remarks },
      'MODE_REFUSED',
      new DomainError('VALIDATION', 'CESU refusés par la régie.', 'mode'),
    );
    for (const message of ['Écart de caisse non expliqué.', 'L’ouverture date d’hier.'])
      ruleOfTheMoment({ remarks }, 'TILL_RULE', new DomainError('CONFLICT', message));
    remark({ remarks }, 'AS_CREDIT', 'Paiement enregistré au crédit de la famille.');
    remark({}, 'AS_CREDIT', 'sans personne pour le lire');
    expect(remarks).toEqual([
      {
        code: 'CASH_LIMIT',
        message:
          'Enregistré tel qu’il a été fait au guichet, mais les règles actuelles ne l’accepteraient plus : paiement en espèces refusé : 300,00 € ou plus.',
      },
      {
        // An acronym keeps its capitals.
        code: 'MODE_REFUSED',
        message:
          'Enregistré tel qu’il a été fait au guichet, mais les règles actuelles ne l’accepteraient plus : CESU refusés par la régie.',
      },
      ...['écart de caisse non expliqué.', 'l’ouverture date d’hier.'].map((m) => ({
        code: 'TILL_RULE',
        message: `Enregistré tel qu’il a été fait au guichet, mais les règles actuelles ne l’accepteraient plus : ${m}`,
      })),
      { code: 'AS_CREDIT', message: 'Paiement enregistré au crédit de la famille.' },
    ]);
  });
});
