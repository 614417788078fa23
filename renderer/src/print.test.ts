import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CounterApi } from '../../core/contract.ts';
import { printPdf } from './print.ts';
import { httpCounter } from './transport.ts';

const PDF = {
  fileName: 'facture-FAC-2026-000001.pdf',
  mimeType: 'application/pdf',
  base64: btoa('%PDF-1.7 facture'),
};

// jsdom has no object URLs: the test gives its own, and puts back whatever was there.
const { createObjectURL, revokeObjectURL } = URL;

afterEach(() => {
  delete window.counter;
  vi.restoreAllMocks();
  Object.assign(URL, { createObjectURL, revokeObjectURL });
});

describe('printing a PDF', () => {
  it('asks the desktop shell to print it when window.counter is Electron’s', async () => {
    const invoke = vi.fn(async () => ({ ok: true, data: { outcome: 'printed' } }));
    const api = { invoke } as unknown as CounterApi;
    window.counter = api;
    const open = vi.spyOn(window, 'open');
    expect(await printPdf(api, PDF)).toEqual({ kind: 'done', message: 'Document envoyé à l’imprimante.' });
    expect(invoke).toHaveBeenCalledWith('shell.printPdf', { fileName: PDF.fileName, base64: PDF.base64 });
    expect(open).not.toHaveBeenCalled();
  });

  it('opens it in a new tab in the browser host, and offers a link when the pop-up is blocked', async () => {
    const api = httpCounter('tok', vi.fn());
    window.counter = api;
    const blobs: Blob[] = [];
    URL.createObjectURL = (b: Blob) => {
      blobs.push(b);
      return 'blob:http://127.0.0.1/1';
    };
    URL.revokeObjectURL = () => {};
    const open = vi
      .spyOn(window, 'open')
      .mockReturnValueOnce({} as Window)
      .mockReturnValueOnce(null);

    expect((await printPdf(api, PDF)).kind).toBe('opened');
    expect(open).toHaveBeenCalledWith('blob:http://127.0.0.1/1', '_blank');
    expect(blobs[0]!.type).toBe('application/pdf');
    expect(blobs[0]!.size).toBe('%PDF-1.7 facture'.length);

    expect(await printPdf(api, PDF)).toEqual({
      kind: 'blocked',
      message:
        'Le navigateur a bloqué l’ouverture du document : téléchargez facture-FAC-2026-000001.pdf avec le lien.',
      url: 'blob:http://127.0.0.1/1',
      fileName: PDF.fileName,
    });
  });
});
