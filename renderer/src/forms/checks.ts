import type { FieldErrors } from './form-context.ts';
import { frDateToIso, frMonthToIso } from '../date-input.ts';

const REQUIRED = 'Obligatoire.';
const BAD_DATE = 'Date invalide : saisissez jj/mm/aaaa.';
const FUTURE_DATE = 'Date de naissance dans le futur.';
const BAD_MONTH = 'Mois invalide : saisissez mm/aaaa.';
const BAD_INTEGER = 'Nombre entier attendu.';

/**
 * Client-side checks before a command is sent: only what an agent can fix at a glance (missing, unreadable).
 * The core still validates everything and its message wins when it refuses.
 */
export function checker(prefix = '') {
  const errors: FieldErrors = {};
  const fail = (name: string, message: string) => {
    errors[prefix + name] ??= message;
  };
  return {
    errors,
    text(name: string, value: string, required = false): string {
      const t = value.trim();
      if (required && t === '') fail(name, REQUIRED);
      return t;
    },
    date(name: string, value: string): string {
      const iso = frDateToIso(value);
      if (iso === null) fail(name, value.trim() === '' ? REQUIRED : BAD_DATE);
      return iso ?? '';
    },
    /** A birth date: a real day, not after `today` (the town's, from the core's clock). */
    birthDate(name: string, value: string, today: string): string {
      const iso = this.date(name, value);
      if (iso > today) fail(name, FUTURE_DATE);
      return iso;
    },
    month(name: string, value: string, required: boolean): string | null {
      if (value.trim() === '') {
        if (required) fail(name, REQUIRED);
        return null;
      }
      const iso = frMonthToIso(value);
      if (iso === null) fail(name, BAD_MONTH);
      return iso;
    },
    integer(name: string, value: string): number {
      const t = value.replace(/\s/g, '');
      if (t === '') fail(name, REQUIRED);
      else if (!/^\d+$/.test(t)) fail(name, BAD_INTEGER);
      return Number(t);
    },
  };
}

export const hasErrors = (errors: FieldErrors): boolean => Object.keys(errors).length > 0;
