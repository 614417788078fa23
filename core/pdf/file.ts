/** A PDF as the contract hands it to the window: JSON-safe, to show, print or download. */
export const pdfFile = (fileName: string, bytes: Buffer) => ({
  fileName,
  mimeType: 'application/pdf' as const,
  base64: bytes.toString('base64'),
});
