/**
 * The one IPC channel between the window and the core. Shared by main and preload so they cannot drift; kept in
 * its own file so the sandboxed preload bundle pulls in nothing else from the main process.
 */
export const INVOKE_CHANNEL = 'counter:invoke';
