import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  const state = {
    loadedFiles: [] as string[],
    windowOptions: [] as unknown[],
    destroyed: 0,
    load: async (): Promise<void> => {},
    printResult: [true, ''] as [boolean, string],
    openPathResult: '',
    opened: [] as string[],
    printOptions: [] as unknown[],
  };
  class FakeWindow {
    destroyedFlag = false;
    constructor(options: unknown) {
      state.windowOptions.push(options);
    }
    loadFile(file: string) {
      state.loadedFiles.push(file);
      return state.load();
    }
    webContents = {
      print: (options: unknown, callback: (success: boolean, reason: string) => void) => {
        state.printOptions.push(options);
        callback(...state.printResult);
      },
    };
    isDestroyed() {
      return this.destroyedFlag;
    }
    destroy() {
      this.destroyedFlag = true;
      state.destroyed++;
    }
  }
  const electron = {
    BrowserWindow: FakeWindow,
    shell: {
      openPath: async (path: string) => {
        state.opened.push(path);
        return state.openPathResult;
      },
    },
  };
  return { state, electron };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const { printPdf } = await import('./main/print-pdf.ts');
const { state } = fake;
const PDF = new TextEncoder().encode('%PDF-1.7\n% test\n%%EOF\n');

afterEach(async () => {
  for (const file of [...state.loadedFiles, ...state.opened])
    await rm(dirname(file), { recursive: true, force: true });
  Object.assign(state, {
    loadedFiles: [],
    windowOptions: [],
    destroyed: 0,
    load: async () => {},
    printResult: [true, ''],
    openPathResult: '',
    opened: [],
    printOptions: [],
  });
});

describe('printPdf', () => {
  it('prints through a hidden sandboxed window, then removes the copy and the window', async () => {
    expect(await printPdf(PDF, { fileName: 'facture 2026/42', settleMs: 0 })).toEqual({ outcome: 'printed' });
    const [options] = state.windowOptions as { show: boolean; webPreferences: Record<string, unknown> }[];
    expect(options?.show).toBe(false);
    expect(options?.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    expect(options?.webPreferences).not.toHaveProperty('preload');
    expect(state.loadedFiles[0]).toMatch(/facture_2026_42\.pdf$/);
    expect(existsSync(state.loadedFiles[0] ?? '')).toBe(false);
    expect(state.destroyed).toBe(1);
    expect(state.printOptions[0]).toEqual({ silent: false, printBackground: true });
    expect(state.opened).toEqual([]);
  });

  it('reports a cancelled dialog without falling back', async () => {
    state.printResult = [false, 'Print job canceled'];
    expect(await printPdf(PDF, { settleMs: 0 })).toEqual({ outcome: 'cancelled' });
    expect(state.opened).toEqual([]);
  });

  it('opens the system viewer on a copy of the bytes when Chromium fails to print', async () => {
    state.printResult = [false, 'Print job failed'];
    const result = await printPdf(PDF, { settleMs: 0, deviceName: 'Accueil-HP' });
    expect(result).toMatchObject({ outcome: 'opened-in-viewer', reason: 'Print job failed' });
    const path = (result as { path: string }).path;
    expect(state.opened).toEqual([path]);
    expect(readFileSync(path)).toEqual(Buffer.from(PDF));
    expect(state.printOptions[0]).toMatchObject({ deviceName: 'Accueil-HP' });
    expect(state.destroyed).toBe(1);
  });

  it('falls back too when the viewer does not load in time', async () => {
    state.load = () => new Promise(() => {});
    const result = await printPdf(PDF, { settleMs: 0, loadTimeoutMs: 20 });
    expect(result).toMatchObject({ outcome: 'opened-in-viewer', reason: 'Chargement du PDF trop long.' });
    expect(state.destroyed).toBe(1);
  });

  it('says where the file is when even the system viewer fails', async () => {
    state.load = async () => {
      throw new Error('ERR_ABORTED');
    };
    state.openPathResult = 'No application is associated';
    const result = await printPdf(PDF, { settleMs: 0 });
    expect(result).toMatchObject({ outcome: 'failed', message: expect.stringContaining('visionneuse') });
  });

  it('refuses bytes that are not a PDF', async () => {
    const result = await printPdf(new TextEncoder().encode('<html>'), { settleMs: 0 });
    expect(result).toEqual({ outcome: 'failed', message: "Le document à imprimer n'est pas un PDF." });
    expect(state.windowOptions).toEqual([]);
  });
});
