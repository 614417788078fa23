import { z } from 'zod';
import type { Envelope, ErrorBody, FieldIssue } from './envelope.ts';
import { describeField, valueWord } from './labels.ts';

const numberFr = new Intl.NumberFormat('fr-FR');
const num = (n: number | bigint) => numberFr.format(n);

/** « repas, matin ou soir »: the values a field accepts, in the agent's words where the code has some. */
function choices(values: readonly unknown[]): string {
  const words = [...new Set(values.map((v) => valueWord(v) ?? String(v)))];
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} ou ${words.at(-1)}` : (words[0] ?? '');
}

/**
 * The French message of an issue whose schema gave none: zod's French locale speaks of « chaîne de caractères »,
 * « >=1 » and lists raw codes, where an agent needs « obligatoire », « 80 caractères au plus » and
 * « valeur attendue : repas ou matin ». Undefined falls back to the locale.
 */
export function frenchIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined || issue.input === null) return 'obligatoire';
      const expected: Record<string, string> = {
        string: 'texte attendu',
        number: 'nombre attendu',
        int: 'nombre entier attendu',
        boolean: 'oui ou non attendu',
        array: 'liste attendue',
        object: 'renseignements attendus',
        record: 'renseignements attendus',
      };
      return expected[issue.expected];
    }
    case 'invalid_value':
      return `valeur attendue : ${choices(issue.values)}`;
    case 'invalid_union': {
      // A discriminated union names the discriminator's values when none matched.
      const options = Array.isArray(issue.options) ? (issue.options as unknown[]) : [];
      if (options.length) return `valeur attendue : ${choices(options)}`;
      // Alternatives of plain values (1 or 2): name them, unless a branch is something else (a list), which the
      // values alone would hide.
      const plain = issue.errors.every(
        (branch) => branch.length === 1 && branch[0]?.code === 'invalid_value' && branch[0].path.length === 0,
      );
      const values = issue.errors.flatMap((branch) =>
        branch[0]?.code === 'invalid_value' ? branch[0].values : [],
      );
      return plain && values.length ? `valeur attendue : ${choices(values)}` : 'saisie invalide';
    }
    case 'too_small': {
      const min = issue.minimum;
      if (issue.origin === 'string')
        return Number(min) <= 1 ? 'obligatoire' : `${num(min)} caractères au moins`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return Number(min) <= 1 ? 'il en faut au moins un' : `il en faut au moins ${num(min)}`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        if (!issue.inclusive) return `plus de ${num(min)} attendu`;
        return Number(min) === 0 ? 'nombre positif ou nul attendu' : `${num(min)} au moins`;
      }
      return undefined;
    }
    case 'too_big': {
      const max = issue.maximum;
      if (issue.origin === 'string') return `${num(max)} caractères au plus`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${num(max)} au plus`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return issue.inclusive ? `${num(max)} au plus` : `moins de ${num(max)} attendu`;
      return undefined;
    }
    case 'invalid_format':
      if (issue.format === 'uuid' || issue.format === 'guid') return 'identifiant invalide';
      if (issue.format === 'email') return 'adresse e-mail invalide';
      if (issue.format === 'regex') return 'format invalide';
      return undefined;
    case 'invalid_key': {
      // A keyed field (a unit, a weekday) given a key that is none: say what the keys may be.
      const inner = issue.issues[0];
      if (inner?.code === 'invalid_value') return `valeur attendue : ${choices(inner.values)}`;
      return inner?.message;
    }
    case 'custom':
      return 'saisie invalide';
    default:
      return undefined;
  }
}

// French for every schema of the core, whoever parses it: the dispatcher, the central server, the shell.
z.config({ ...z.locales.fr(), customError: frenchIssueMessage });

const closed = (message: string) => (/[.!?]$/.test(message) ? message : `${message}.`);
/** A message shown on its own, beside its field: « Obligatoire. » */
const sentence = (message: string) => closed(`${message.charAt(0).toUpperCase()}${message.slice(1)}`);

/**
 * The contract's answer to an input its schema refused: every faulty field (first message per field), with its
 * French label; `message` sums them up and `field` names the first, as callers reading one field expect.
 */
export function validationError(operation: string, issues: readonly z.core.$ZodIssue[]): ErrorBody {
  const byField = new Map<string, { label: string; message: string }>();
  for (const issue of issues) {
    const field = issue.path.map(String).join('.');
    if (byField.has(field)) continue;
    byField.set(field, { label: describeField(issue.path, operation), message: issue.message });
  }
  if (byField.size === 0) byField.set('', { label: 'saisie', message: 'saisie invalide' });
  const entries = [...byField];
  const fields: FieldIssue[] = entries.map(([field, { label, message }]) => ({
    field,
    label,
    message: sentence(message),
  }));
  const said = entries.map(([, { label, message }]) => `« ${label} » : ${message}`);
  const message =
    said.length === 1
      ? closed(`Champ ${said[0]}`)
      : closed(`${said.length} champs à corriger — ${said.join(' ; ')}`);
  return { code: 'VALIDATION', message, field: entries[0]![0], fields };
}

/** The same, as the envelope a dispatcher answers. */
export const invalidInput = (operation: string, error: z.ZodError): Envelope<never> => ({
  ok: false,
  error: validationError(operation, error.issues),
});
