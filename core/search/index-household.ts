import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { phoneDigits } from './normalize.ts';

export type SearchKind = 'household' | 'guardian' | 'child' | 'pickup';

/** Rewrites the search entries of one household from its current rows; called by every family command. */
export async function reindexHousehold(trx: Transaction<Database>, householdId: string): Promise<void> {
  await trx.deleteFrom('search_docs').where('household_id', '=', householdId).execute();
  const household = await trx
    .selectFrom('households')
    .selectAll()
    .where('id', '=', householdId)
    .executeTakeFirst();
  if (!household) return;
  const [guardians, children, pickups] = await Promise.all([
    trx.selectFrom('guardians').selectAll().where('household_id', '=', householdId).orderBy('rank').execute(),
    trx
      .selectFrom('children')
      .selectAll()
      .where('household_id', '=', householdId)
      .orderBy('birth_date')
      .execute(),
    trx.selectFrom('pickup_persons').selectAll().where('household_id', '=', householdId).execute(),
  ]);

  const summary = [
    guardians.map((g) => `${g.first_name} ${g.last_name}`).join(' et '),
    children.length ? `enfants : ${children.map((c) => c.first_name).join(', ')}` : 'sans enfant',
  ]
    .filter(Boolean)
    .join(' — ');
  const phones = (...list: string[]) => list.filter(Boolean).flatMap((p) => [p, phoneDigits(p)]);

  const docs: { kind: SearchKind; ref_id: string; label: string; text: string }[] = [
    {
      kind: 'household',
      ref_id: household.id,
      label: household.name,
      text: [
        household.name,
        household.email,
        household.city,
        ...phones(household.phone_home, household.phone_mobile),
      ].join(' '),
    },
    ...guardians.map((g) => ({
      kind: 'guardian' as const,
      ref_id: g.id,
      label: `${g.civility} ${g.first_name} ${g.last_name}`,
      text: [g.first_name, g.last_name, g.email, ...phones(g.phone_mobile, g.phone_work)].join(' '),
    })),
    ...children.map((c) => ({
      kind: 'child' as const,
      ref_id: c.id,
      label: `${c.first_name} ${c.last_name}${c.class_level ? ` (${c.class_level})` : ''}`,
      text: `${c.first_name} ${c.last_name}`,
    })),
    ...pickups.map((p) => ({
      kind: 'pickup' as const,
      ref_id: p.id,
      label: `${p.first_name} ${p.last_name}`,
      text: [p.first_name, p.last_name, ...phones(p.phone)].join(' '),
    })),
  ];
  await trx
    .insertInto('search_docs')
    .values(docs.map((d) => ({ ...d, household_id: householdId, household_name: household.name, summary })))
    .execute();
}
