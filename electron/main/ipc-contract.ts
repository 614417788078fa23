import { fail, type Envelope } from '../../core/api/envelope.ts';

/**
 * What `counter:invoke` does once Electron hands it a message, kept free of Electron so it runs under vitest.
 * Every outcome is an envelope: Electron strips the code and fields of an error thrown across IPC, so nothing
 * here may throw.
 */
export interface InvokeHandlerOptions<Event> {
  invoke: (name: string, input: unknown) => Promise<Envelope<unknown>>;
  /** Checked before anything else is looked at. */
  isTrustedSender: (event: Event) => boolean;
  onInternalError?: (name: string, error: unknown) => void;
}

/** Same ceiling as the loopback host's request body, so both transports refuse the same inputs. */
export const MAX_INPUT_CHARS = 1_000_000;
const MAX_NAME_LENGTH = 200;

export const INTERNAL_MESSAGE =
  "Erreur interne : l'opération n'a pas abouti. Réessayez ou prévenez l'administrateur.";

export const FORBIDDEN_MESSAGE =
  'Requête refusée : elle ne vient pas de la fenêtre de Guichet Famille. Fermez les autres fenêtres et réessayez.';

export function createInvokeHandler<Event>(
  options: InvokeHandlerOptions<Event>,
): (event: Event, ...args: unknown[]) => Promise<Envelope<unknown>> {
  return async (event, ...args) => {
    if (!safeCheck(() => options.isTrustedSender(event))) return fail('FORBIDDEN', FORBIDDEN_MESSAGE);

    const [name, input] = args;
    if (args.length > 2) return fail('VALIDATION', 'Requête invalide : arguments en trop.');
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
      return fail('VALIDATION', 'Requête invalide : nom d’opération manquant.');
    }
    const normalised = toJsonValue(input);
    if (!normalised.ok) return fail('VALIDATION', normalised.message);

    try {
      return await options.invoke(name, normalised.value);
    } catch (error) {
      options.onInternalError?.(name, error);
      return fail('INTERNAL', INTERNAL_MESSAGE);
    }
  };
}

/**
 * Structured clone lets a renderer send Dates, Maps, typed arrays and cycles; the HTTP transport only ever
 * delivers what survives JSON. Passing the input through JSON here gives the core the same value over both.
 */
export function toJsonValue(input: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  if (input === undefined) return { ok: true, value: undefined };
  let text: string | undefined;
  try {
    text = JSON.stringify(input);
  } catch {
    return { ok: false, message: 'Requête invalide : la saisie contient des valeurs non transmissibles.' };
  }
  if (text === undefined) {
    return { ok: false, message: 'Requête invalide : la saisie contient des valeurs non transmissibles.' };
  }
  if (text.length > MAX_INPUT_CHARS) return { ok: false, message: 'Requête trop volumineuse.' };
  return { ok: true, value: JSON.parse(text) };
}

function safeCheck(check: () => boolean): boolean {
  try {
    return check() === true;
  } catch {
    // A frame disposed mid-flight throws on access: it cannot be trusted either.
    return false;
  }
}
