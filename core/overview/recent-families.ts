import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** How far back in this agent's own command log the home page looks for the families they worked on. */
const LOG_ROWS = 400;

/**
 * The families the agent last worked on, newest first: read from their own commands in the log (a payment, a
 * booking, an edit of the file), so the list survives a restart and shows nobody else's work.
 */
export async function recentFamilies(
  db: Kysely<Database>,
  agentId: string,
  limit: number,
): Promise<{ householdId: string; name: string; at: string }[]> {
  const rows = await db
    .selectFrom('command_log')
    .select(['input', 'at'])
    .where('agent_id', '=', agentId)
    .orderBy('seq', 'desc')
    .limit(LOG_ROWS)
    .execute();
  const byHousehold = new Map<string, string>();
  const byChild = new Map<string, string>();
  for (const row of rows) {
    let input: { householdId?: unknown; childId?: unknown };
    try {
      input = JSON.parse(row.input) as typeof input;
    } catch {
      continue;
    }
    if (typeof input.householdId === 'string') {
      if (!byHousehold.has(input.householdId)) byHousehold.set(input.householdId, row.at);
    } else if (typeof input.childId === 'string' && !byChild.has(input.childId))
      byChild.set(input.childId, row.at);
  }
  if (byChild.size > 0) {
    const children = await db
      .selectFrom('children')
      .select(['id', 'household_id'])
      .where('id', 'in', [...byChild.keys()])
      .execute();
    for (const c of children) {
      const at = byChild.get(c.id)!;
      const seen = byHousehold.get(c.household_id);
      if (!seen || seen < at) byHousehold.set(c.household_id, at);
    }
  }
  const newest = [...byHousehold].sort((a, b) => b[1].localeCompare(a[1])).slice(0, limit);
  if (newest.length === 0) return [];
  const names = new Map(
    (
      await db
        .selectFrom('households')
        .select(['id', 'name'])
        .where(
          'id',
          'in',
          newest.map(([id]) => id),
        )
        .execute()
    ).map((h) => [h.id, h.name]),
  );
  return newest.flatMap(([householdId, at]) => {
    const name = names.get(householdId);
    return name === undefined ? [] : [{ householdId, name, at }];
  });
}
