// fontkit (pdfkit's own font engine) ships no types; pdfkit takes its parsed fonts as they are.
declare module 'fontkit' {
  /** A parsed font. Opaque here: only handed to pdfkit, which lays text out and subsets it per document. */
  export interface Font {
    postscriptName: string;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
