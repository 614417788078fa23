import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CounterApi } from '../../core/contract.ts';
import type { ProgressEvent } from '../core-host/protocol.ts';
import { INVOKE_CHANNEL, PROGRESS_CHANNEL } from '../main/channel.ts';

/** What the window may show while the core does long work (a month's invoicing, a first pull from the server). */
export interface ProgressSource {
  /** Returns the function that stops listening. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
}

/**
 * The page gets two functions and no handle on ipcRenderer: with raw IPC, any script in the page could send on
 * any channel. Arguments are forwarded as given; main validates the sender and the input.
 */
const counter: CounterApi & ProgressSource = {
  invoke: (name, input) => ipcRenderer.invoke(INVOKE_CHANNEL, name, input),
  onProgress: (listener) => {
    // The IPC event (and its `sender`) stays here: the page gets the progress alone.
    const forward = (_event: IpcRendererEvent, progress: ProgressEvent) => listener(progress);
    ipcRenderer.on(PROGRESS_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(PROGRESS_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('counter', counter);
