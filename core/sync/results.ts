import type { Transaction } from 'kysely';
import { z } from 'zod';
import { lookUp, type AnyOperation } from '../api/operation.ts';
import type { Database } from '../db/schema.ts';
import type { Outbox } from './outbox.ts';
import type { CommandResult } from './protocol.ts';
import type { Raw } from './state.ts';
import { describeCommand, suggestionFor } from './words.ts';

/** A request the server applied but in part, the counter having done the refused parts itself. */
const REFUSED_IN_PART = 'refused_days';

interface Settle {
  status: string;
  code: string;
  message: string;
}

/**
 * The server's answers, as the counter keeps them: what the agent or the régisseur must settle — a refusal, a held
 * fact, a fact recorded with something to look at, or parts the server refused of what the counter did. What each
 * operation's refusal looks like is its declaration's (`partial`, core/api/operation.ts).
 */
export function createResults(raw: Raw, outbox: Outbox, registry: Readonly<Record<string, AnyOperation>>) {
  const insert = () =>
    raw.prepare(
      `INSERT OR IGNORE INTO sync_results (command_id, device_seq, name, status, code, message, suggestion, summary,
         made_at, agent_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );

  /** What there is to settle of a result; null when it was applied as the counter made it. */
  async function toSettle(
    trx: Transaction<Database>,
    op: AnyOperation | undefined,
    input: Record<string, unknown>,
    r: CommandResult,
  ): Promise<Settle | null> {
    if (r.status !== 'applied') return { status: r.status, code: r.code, message: r.message };
    if (r.note) {
      // Applied as the counter made it, or nearly: the family's credit instead of its invoices, or a fact the rules
      // changed meanwhile no longer allow, an override the server could not prove — the régisseur looks at it.
      const code = r.code ?? 'AS_CREDIT';
      return { status: code === 'AS_CREDIT' ? 'as_credit' : 'to_review', code, message: r.note };
    }
    const partial = op?.kind === 'command' ? op.partial : undefined;
    if (!partial || !r.refused?.length) return null;
    const parts = z.array(partial.part).safeParse(r.refused);
    if (!parts.success) return null;
    const had = [];
    for (const part of parts.data) if (await partial.hadLocally(trx, input, part)) had.push(part);
    if (!had.length) return null;
    return { status: REFUSED_IN_PART, code: had[0]?.code ?? 'REFUSED', message: partial.message(had) };
  }

  /** Records one result, in the caller's transaction (the round's, with the cursor it moves). */
  async function record(trx: Transaction<Database>, r: CommandResult, receivedAt: string): Promise<void> {
    // Applied as the counter made it, the common case: nothing to settle, so nothing to read back either.
    if (r.status === 'applied' && !r.note && !r.refused?.length) return;
    const row = outbox.entry(r.seq);
    if (!row) return;
    const input = JSON.parse(row.input) as Record<string, unknown>;
    const op = lookUp(registry, row.name);
    const settle = await toSettle(trx, op, input, r);
    if (!settle) return;
    insert().run(
      row.id,
      r.seq,
      row.name,
      settle.status,
      settle.code,
      settle.message,
      suggestionFor(settle.status, settle.code),
      describeCommand(raw, op?.label ?? row.name, input),
      row.at,
      row.agent_id,
      receivedAt,
    );
  }

  return { record };
}

export type Results = ReturnType<typeof createResults>;
