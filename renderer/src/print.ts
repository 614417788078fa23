import type { CounterApi, OutputOf } from '../../core/contract.ts';
import { inDesktopShell } from './transport.ts';

/** A document as the core hands it out (`billing.invoicePdf`, `billing.creditNotePdf`). */
export interface PdfFile {
  fileName: string;
  mimeType: string;
  base64: string;
}

export type PrintOutcome =
  /** Sent to the printer, or handed to the system's viewer by the desktop shell. */
  | { kind: 'done'; message: string }
  /** Opened in a new tab, whose PDF viewer has the print button. */
  | { kind: 'opened'; message: string }
  /** The browser blocked the new tab: the page offers the file as a link instead. */
  | { kind: 'blocked'; message: string; url: string; fileName: string }
  | { kind: 'failed'; message: string };

const SHELL_MESSAGES: Record<OutputOf<'shell.printPdf'>['outcome'], string> = {
  printed: 'Document envoyé à l’imprimante.',
  cancelled: 'Impression annulée.',
  'opened-in-viewer': 'Le document est ouvert dans la visionneuse du poste : imprimez-le depuis celle-ci.',
};

/** Blob URLs handed out, released once the tab or the download has long had the bytes. */
const KEEP_URL_MS = 10 * 60_000;

function pdfUrl(pdf: PdfFile): string {
  const binary = atob(pdf.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: pdf.mimeType || 'application/pdf' }));
  window.setTimeout(() => URL.revokeObjectURL(url), KEEP_URL_MS);
  return url;
}

/**
 * Prints a PDF of the core. In the desktop app the shell prints it (`shell.printPdf`, on the same channel as the
 * contract); in the browser host the PDF opens in a new tab, Chromium's viewer having its own print button, and a
 * blocked pop-up falls back to a download link.
 */
export async function printPdf(api: CounterApi, pdf: PdfFile): Promise<PrintOutcome> {
  if (inDesktopShell()) {
    const r = await api.invoke('shell.printPdf', { fileName: pdf.fileName, base64: pdf.base64 });
    if (!r.ok) return { kind: 'failed', message: r.error.message };
    const { outcome } = r.data;
    return { kind: 'done', message: SHELL_MESSAGES[outcome] ?? 'Document envoyé à l’impression.' };
  }
  const url = pdfUrl(pdf);
  const opened = window.open(url, '_blank');
  if (!opened)
    return {
      kind: 'blocked',
      message: `Le navigateur a bloqué l’ouverture du document : téléchargez ${pdf.fileName} avec le lien.`,
      url,
      fileName: pdf.fileName,
    };
  return {
    kind: 'opened',
    message: `${pdf.fileName} ouvert dans un nouvel onglet : imprimez-le depuis celui-ci.`,
  };
}
