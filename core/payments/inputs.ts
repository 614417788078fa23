import { z } from 'zod';
import { DENOMINATIONS } from './modes.ts';

/** Input fields of money, shared by the payments' and the régie's operations, with the messages an agent reads. */

export const cents = (min = 1) =>
  z
    .int({ message: 'montant en centimes attendu' })
    .min(min, { message: min === 0 ? 'montant positif ou nul attendu' : 'montant positif attendu' })
    .max(100_000_000, { message: 'montant trop élevé' });

const count = () =>
  z
    .int({ message: 'nombre entier attendu' })
    .min(0, { message: 'nombre positif attendu' })
    .max(100_000, { message: 'nombre trop élevé' });

/** Notes and coins counted, denomination by denomination: a till's float or its closing. */
export const counting = () =>
  z
    .array(
      z.object({ denominationCents: z.int({ message: 'coupure en centimes attendue' }), count: count() }),
      {
        message: 'liste attendue',
      },
    )
    .max(DENOMINATIONS.length, { message: 'trop de coupures' });
