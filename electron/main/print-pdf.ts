import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { BrowserWindow, shell } from 'electron';
import { printWindowOptions } from './window-options.ts';

export type PrintPdfResult =
  | { outcome: 'printed' }
  | { outcome: 'cancelled' }
  /** Chromium could not print it: the system's PDF viewer was opened on a copy, for the agent to print there. */
  | { outcome: 'opened-in-viewer'; path: string; reason: string }
  | { outcome: 'failed'; message: string };

export interface PrintPdfOptions {
  /** Name of the temporary copy, also shown by the system viewer (e.g. `facture-2026-0042.pdf`). */
  fileName?: string;
  /** Print without the system dialog, on `deviceName` or the default printer. */
  silent?: boolean;
  deviceName?: string;
  /** Keeps the print dialog above the counter window. */
  parent?: BrowserWindow;
  loadTimeoutMs?: number;
  /** Pause between the viewer's load and print(): the PDF plugin lays pages out after did-finish-load. */
  settleMs?: number;
}

const PDF_MAGIC = '%PDF-';

/**
 * Prints a PDF (an invoice, a certificate) through Chromium's viewer in a hidden sandboxed window, and falls
 * back to the system viewer when that fails, so the agent always ends up with a way to print.
 */
export async function printPdf(bytes: Uint8Array, options: PrintPdfOptions = {}): Promise<PrintPdfResult> {
  if (Buffer.from(bytes.subarray(0, PDF_MAGIC.length)).toString('latin1') !== PDF_MAGIC) {
    return { outcome: 'failed', message: "Le document à imprimer n'est pas un PDF." };
  }
  const dir = await mkdtemp(join(tmpdir(), 'guichet-famille-impression-'));
  const file = join(dir, safePdfName(options.fileName));
  await writeFile(file, bytes);

  let reason: string;
  try {
    const printed = await printInHiddenWindow(file, options);
    if (printed.success) {
      await rm(dir, { recursive: true, force: true });
      return { outcome: 'printed' };
    }
    if (/cancel/i.test(printed.failureReason)) {
      await rm(dir, { recursive: true, force: true });
      return { outcome: 'cancelled' };
    }
    reason = printed.failureReason;
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }

  // The copy stays in the temp folder: the viewer reads it after this returns, and the system cleans it later.
  const openError = await shell.openPath(file);
  if (openError === '') return { outcome: 'opened-in-viewer', path: file, reason };
  return {
    outcome: 'failed',
    message: `Impression impossible, et le document n'a pas pu être ouvert dans la visionneuse du poste (${openError}). Le fichier est ici : ${file}`,
  };
}

async function printInHiddenWindow(
  file: string,
  options: PrintPdfOptions,
): Promise<{ success: boolean; failureReason: string }> {
  const window = new BrowserWindow({
    ...printWindowOptions(),
    ...(options.parent ? { parent: options.parent } : {}),
  });
  try {
    await withTimeout(window.loadFile(file), options.loadTimeoutMs ?? 15_000, 'Chargement du PDF trop long.');
    await delay(options.settleMs ?? 500);
    return await new Promise((resolve) => {
      window.webContents.print(
        {
          silent: options.silent ?? false,
          printBackground: true,
          ...(options.deviceName ? { deviceName: options.deviceName } : {}),
        },
        (success, failureReason) => resolve({ success, failureReason }),
      );
    });
  } finally {
    if (!window.isDestroyed()) window.destroy();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function safePdfName(name: string | undefined): string {
  const base = (name ?? 'document.pdf').replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^\.+/, '');
  const withExtension = /\.pdf$/i.test(base) ? base : `${base}.pdf`;
  return withExtension === '.pdf' ? 'document.pdf' : withExtension;
}
