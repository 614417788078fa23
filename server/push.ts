import { pushBodySchema, type CommandResult, type PushResponse } from '../core/sync/protocol.ts';
import type { Applier } from './apply.ts';
import type { Devices } from './devices.ts';
import { fr, isReply, type Reply } from './http.ts';
import type { ServerDb } from './store.ts';

export interface PushDeps {
  db: ServerDb;
  clock: () => Date;
  devices: Devices;
  applier: Applier;
  maxDriftMs: number;
  /** Counters with an older local schema must update before pushing. */
  minSchemaVersion: number;
}

/**
 * `POST /push`: a counter's commands, in its order. The device is authenticated and must not be revoked; the body
 * is checked whole before anything is applied; the commands are then applied once each, in one transaction (core of
 * it: apply.ts), and the counter is told how far its clock drifts.
 */
export function pushRoute(deps: PushDeps) {
  const { db, clock, maxDriftMs, minSchemaVersion } = deps;

  /** This number already holds another command of this device: the counter renumbers what the server has not got. */
  async function seqConflict(deviceId: string, from: number): Promise<Reply> {
    const received = await db
      .selectFrom('received_commands')
      .select(['seq', 'command_id'])
      .where('device_id', '=', deviceId)
      .where('seq', '>=', from)
      .orderBy('seq')
      .limit(20_000)
      .execute();
    const device = await db
      .selectFrom('devices')
      .select('last_seq')
      .where('id', '=', deviceId)
      .executeTakeFirstOrThrow();
    return {
      status: 409,
      body: {
        error: {
          code: 'SEQ_CONFLICT',
          message:
            'Ce poste a été restauré depuis une sauvegarde : ses opérations récentes sont renumérotées avant l’envoi (rien n’est perdu).',
        },
        lastSeq: Number(device.last_seq),
        received: received.map((x) => ({ seq: Number(x.seq), id: x.command_id })),
      },
    };
  }

  return async function push(auth: string | undefined, raw: unknown): Promise<Reply> {
    const device = await deps.devices.authenticate(auth);
    if (isReply(device)) return device;
    if (device.revoked_at) {
      return fr(
        403,
        'DEVICE_REVOKED',
        `Ce poste (${device.name}) a été révoqué le ${device.revoked_at.slice(0, 10)} : il reste consultable mais ses opérations ne sont plus acceptées. Contactez l'administrateur.`,
      );
    }
    const parsed = pushBodySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fr(
        400,
        'MALFORMED',
        `Envoi mal formé, rien n'a été enregistré : ${(issue?.path ?? []).join('.') || 'corps'} — ${issue?.message ?? 'invalide'}.`,
      );
    }
    const body = parsed.data;
    if (body.deviceId !== device.id) {
      return fr(403, 'FORBIDDEN', "Envoi refusé : l'identifiant du poste ne correspond pas à son secret.");
    }
    if (body.schemaVersion < minSchemaVersion) {
      return fr(
        426,
        'VERSION_TOO_OLD',
        `Cette version de Guichet Famille (schéma ${body.schemaVersion}, ${body.appVersion}) est trop ancienne pour le serveur (schéma ${minSchemaVersion} au moins). Mettez l'application à jour : les opérations en attente sont conservées et partiront ensuite.`,
      );
    }
    for (let i = 1; i < body.commands.length; i++) {
      if ((body.commands[i]?.seq ?? 0) <= (body.commands[i - 1]?.seq ?? 0)) {
        return fr(
          400,
          'MALFORMED',
          "Envoi mal formé, rien n'a été enregistré : les numéros d'ordre ne sont pas croissants.",
        );
      }
    }
    const now = clock();
    const driftMs = body.sentAt ? new Date(body.sentAt).getTime() - now.getTime() : 0;
    const futureAt = body.commands.some((c) => new Date(c.at).getTime() - now.getTime() > maxDriftMs);
    const drifting = Math.abs(driftMs) > maxDriftMs || futureAt;
    const warning = drifting
      ? `L'horloge de ce poste s'écarte de ${Math.round(Math.abs(driftMs) / 60_000)} min de celle du serveur (plus de ${maxDriftMs / 60_000} min admises) : réglez l'heure du poste. Les délais sont jugés à l'heure du serveur, et un paiement daté dans le futur prend l'heure du serveur.`
      : null;

    const bound = await deps.devices.bindLocalDevice(device, body.commands);
    if (bound) return bound;
    const applied = await deps.applier.applyPush(
      device.id,
      body.commands.map((c) => ({
        seq: c.seq,
        localDeviceId: c.deviceId,
        id: c.id,
        name: c.name,
        input: c.input,
        agentId: c.agentId,
        agentName: device.name,
        at: c.at,
      })),
    );
    const results: CommandResult[] = [];
    let gapAt: number | null = null;
    for (const [i, r] of applied.entries()) {
      const c = body.commands[i];
      if (!c) break;
      if (r.status === 'gap') {
        gapAt = c.seq;
        break;
      }
      // Its store went back in time (restored from a backup): acknowledging would lose the new command.
      if (r.status === 'replay' && r.result.id !== c.id) return seqConflict(device.id, c.seq);
      results.push(r.status === 'replay' ? { ...r.result, replay: true } : r);
    }
    const after = await db
      .updateTable('devices')
      // A clock months off must still be recorded (and told), not overflow the column and fail the push.
      .set({
        last_seen_at: now.toISOString(),
        last_drift_ms: Math.max(-(2 ** 31 - 1), Math.min(2 ** 31 - 1, Math.round(driftMs))),
      })
      .where('id', '=', device.id)
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    const response: PushResponse = {
      lastAckedSeq: Number(after.last_seq),
      results,
      gapAt,
      clock: { serverTime: now.toISOString(), driftMs, warning },
    };
    return { status: 200, body: response };
  };
}
