import type { z } from 'zod';
import { fail, ok, type Envelope } from '../../core/api/envelope.ts';
import { parseInput } from '../../core/api/execute.ts';
import { printOperations } from '../../core/pdf/print-operation.ts';

/**
 * Operations the desktop shell answers itself, on the same channel as the core's: printing belongs to the window,
 * not to the domain. They are declared in the contract (core/pdf/print-operation.ts); the browser host cannot print
 * and the renderer then opens the PDF in a tab instead. (The sync operations, which both shells answer, are in
 * ../sync-runner.ts.)
 */
export interface ShellActions {
  /** What core/pdf/print-operation.ts `PrintAnswer` says, or « failed » with why. */
  printPdf: (
    bytes: Uint8Array,
    fileName: string,
  ) => Promise<{ outcome: string; message?: string; path?: string }>;
  /** The core's admission (core/app.ts `admit`), for an operation that takes more than being at the window. */
  admit?: (name: string, input: unknown) => Promise<Envelope<unknown>>;
}

type ShellOperation = keyof typeof printOperations;
type PrintInput = z.output<(typeof printOperations)['shell.printPdf']['input']>;

export function isShellOperation(name: string): name is ShellOperation {
  return Object.hasOwn(printOperations, name);
}

/** Who may, and the input as the contract reads it: the declaration's, as the core's dispatcher would judge it. */
async function admit(
  name: ShellOperation,
  input: unknown,
  actions: ShellActions,
): Promise<Envelope<PrintInput>> {
  const op = printOperations[name];
  if (op.permission === 'public') {
    // Nothing to ask of the session: the input is read by the contract's one parse.
    const parsed = parseInput(name, op, input);
    return parsed.ok ? ok(parsed.input) : parsed.answer;
  }
  if (!actions.admit)
    return fail('FORBIDDEN', `« ${op.label} » : les droits ne peuvent pas être vérifiés ici.`);
  const admitted = await actions.admit(name, input);
  // The core read it with this operation's own schema.
  return admitted.ok ? ok(admitted.data as PrintInput) : admitted;
}

export async function runShellOperation(
  name: string,
  input: unknown,
  actions: ShellActions,
): Promise<Envelope<unknown>> {
  if (!isShellOperation(name)) return fail('UNKNOWN_OPERATION', `Opération inconnue : « ${name} ».`);
  const admitted = await admit(name, input, actions);
  if (!admitted.ok) return admitted;
  const result = await actions.printPdf(Buffer.from(admitted.data.base64, 'base64'), admitted.data.fileName);
  if (result.outcome === 'failed') return fail('INTERNAL', result.message ?? 'Impression impossible.');
  return ok(result);
}
