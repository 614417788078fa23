import { z } from 'zod';
import { shell } from '../api/operation.ts';
import type { SyncOutcome } from './client.ts';
import { CREDENTIAL } from './operations.ts';

/** What `sync.connect` answers the window: never the credential. */
export interface ConnectAnswer {
  serverUrl: string;
  deviceName: string;
  seriesPrefix: string;
  /** Operations made on this PC before it was connected, which now leave for the server. */
  pendingLocal: number;
  clockWarning: string | null;
}

/** An address the PC may send its credential to: plain http(s), no user name, no query to smuggle anything in. */
export function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && !url.search;
}

/**
 * The counter's link to the central server, answered by the shell (electron/sync-runner.ts, in Electron's main
 * process and in the browser host alike): the core's commands are SQLite transactions and never talk to the
 * network. Declared here so the window calls them through the typed contract and the core judges who may and what
 * the input is.
 */
export const syncShellOperations = {
  'sync.connect': shell<ConnectAnswer>()({
    permission: 'admin',
    label: 'Relier le poste au serveur central',
    input: z.object({
      serverUrl: z
        .string({ message: 'adresse attendue' })
        .trim()
        .min(1, { message: 'adresse du serveur à saisir' })
        .max(300, { message: 'adresse trop longue' })
        .refine(isHttpUrl, { message: 'adresse attendue sous la forme https://serveur.mairie.fr' }),
      credential: z
        .string({ message: 'identifiant attendu' })
        .trim()
        .min(1, { message: 'identifiant du poste à saisir' })
        .regex(CREDENTIAL, {
          message: 'identifiant attendu sous la forme « identifiant.secret », tel que le serveur l’a donné',
        }),
    }),
  }),

  'sync.disconnect': shell<{ disconnected: true }>()({
    permission: 'admin',
    label: 'Délier le poste du serveur central',
    input: z.object({}),
  }),

  // Any signed-in agent may ask for a round now: reading the sync status is the counter's everyday permission.
  'sync.syncNow': shell<SyncOutcome>()({
    permission: 'family.read',
    label: 'Synchroniser maintenant',
    input: z.object({}),
  }),
};
