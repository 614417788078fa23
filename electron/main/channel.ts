/**
 * The one IPC channel between the window and the core. Shared by main and preload so they cannot drift; kept in
 * its own file so the sandboxed preload bundle pulls in nothing else from the main process.
 */
export const INVOKE_CHANNEL = 'counter:invoke';

/** Main to window: what long work the core is doing (electron/core-host/protocol.ts, ProgressEvent). */
export const PROGRESS_CHANNEL = 'counter:progress';
