import { z } from 'zod';
import { fail, ok, type Envelope } from '../../core/api/envelope.ts';

/**
 * Operations the desktop shell answers itself, on the same channel as the core's: printing belongs to the
 * window, not to the domain. The browser host cannot print; the renderer then opens the PDF in a tab instead.
 * (The sync operations, which both shells answer, are in ../sync-runner.ts.)
 */
export interface ShellActions {
  printPdf: (
    bytes: Uint8Array,
    fileName: string,
  ) => Promise<{ outcome: string; message?: string; path?: string }>;
}

const printInput = z.object({
  fileName: z
    .string()
    .max(200)
    .regex(/^[\w.\- ]+\.pdf$/i),
  base64: z.string().max(20_000_000),
});

export const SHELL_OPERATIONS = ['shell.printPdf'] as const;

export function isShellOperation(name: string): boolean {
  return (SHELL_OPERATIONS as readonly string[]).includes(name);
}

export async function runShellOperation(
  name: string,
  input: unknown,
  actions: ShellActions,
): Promise<Envelope<unknown>> {
  if (name !== 'shell.printPdf') return fail('UNKNOWN_OPERATION', `Opération inconnue : « ${name} ».`);
  const parsed = printInput.safeParse(input);
  if (!parsed.success) return fail('VALIDATION', 'Document à imprimer invalide.');
  const result = await actions.printPdf(Buffer.from(parsed.data.base64, 'base64'), parsed.data.fileName);
  if (result.outcome === 'failed') return fail('INTERNAL', result.message ?? 'Impression impossible.');
  return ok(result);
}
