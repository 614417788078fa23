import { contextBridge, ipcRenderer } from 'electron';
import type { CounterApi } from '../../core/contract.ts';
import { INVOKE_CHANNEL } from '../main/channel.ts';

/**
 * The page gets one function and no handle on ipcRenderer: with raw IPC, any script in the page could send on
 * any channel. Arguments are forwarded as given; main validates the sender and the input.
 */
const counter: CounterApi = {
  invoke: (name, input) => ipcRenderer.invoke(INVOKE_CHANNEL, name, input),
};

contextBridge.exposeInMainWorld('counter', counter);
