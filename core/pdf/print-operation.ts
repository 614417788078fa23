import { z } from 'zod';
import { shell } from '../api/operation.ts';

/** What the desktop shell answers when it printed, or handed the PDF to the system viewer (electron/main/print-pdf.ts). */
export type PrintAnswer =
  | { outcome: 'printed' }
  | { outcome: 'cancelled' }
  | { outcome: 'opened-in-viewer'; path: string; reason: string };

/**
 * Printing belongs to the window, not to the domain: the desktop shell prints a PDF the core handed the window
 * (`billing.invoicePdf`, `payment.receiptPdf`…). The browser host cannot print; the renderer opens the PDF in a tab
 * instead.
 */
export const printOperations = {
  // Whoever holds the document on screen may print it: reading it is what took a permission.
  'shell.printPdf': shell<PrintAnswer>()({
    permission: 'public',
    label: 'Impression d’un document',
    input: z.object({
      // A plain name: it names a file in a temporary folder, which a path could escape.
      fileName: z
        .string()
        .max(200)
        .regex(/^[\w.\- ]+\.pdf$/i),
      base64: z.string().max(20_000_000),
    }),
  }),
};
