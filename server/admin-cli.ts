import { parseArgs } from 'node:util';

/**
 * The central administrator's few gestures, against a running server (admin token in GF_ADMIN_TOKEN):
 *   node server/admin-cli.ts --url http://… enrol "Guichet 1"      → the credential to type on that PC
 *   node server/admin-cli.ts --url http://… revoke <deviceId>
 *   node server/admin-cli.ts --url http://… run-month 2026-09 2026-10-05   (month, issue date: the central series)
 *   node server/admin-cli.ts --url http://… time-zone Indian/Reunion       (the town's zone, pulled by every counter)
 */
const { values, positionals } = parseArgs({
  options: { url: { type: 'string', default: 'http://127.0.0.1:8787' } },
  allowPositionals: true,
});
const [verb, ...args] = positionals;
const token = process.env.GF_ADMIN_TOKEN ?? '';

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${values.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

if (verb === 'enrol' && args[0]) {
  const r = await post('/devices', { name: args[0] });
  if (r.status !== 201) fail(`Enrôlement refusé (${r.status}) : ${JSON.stringify(r.body)}`);
  console.log(`Poste « ${String(r.body.name)} » enrôlé, série ${String(r.body.seriesPrefix)}.`);
  console.log(
    `Identifiant à saisir sur le poste (Paramètres › Serveur central) :\n${String(r.body.credential)}`,
  );
} else if (verb === 'revoke' && args[0]) {
  const r = await post(`/devices/${encodeURIComponent(args[0])}/revoke`, {});
  if (r.status !== 200) fail(`Révocation refusée (${r.status}) : ${JSON.stringify(r.body)}`);
  console.log('Poste révoqué : il reste consultable, ses opérations ne sont plus acceptées.');
} else if (verb === 'run-month' && args[0] && args[1]) {
  const r = await post('/admin/command', {
    name: 'billing.runMonth',
    input: { month: args[0], issueDate: args[1] },
  });
  if (r.status !== 200) fail(`Facturation refusée (${r.status}) : ${JSON.stringify(r.body)}`);
  console.log(
    `Facturation de ${args[0]} : ${String(r.body.invoices)} facture(s), ${(Number(r.body.totalCents) / 100).toFixed(2)} €.`,
  );
} else if (verb === 'time-zone' && args[0]) {
  const r = await post('/admin/command', { name: 'admin.setTimeZone', input: { timeZone: args[0] } });
  if (r.status !== 200) fail(`Fuseau horaire refusé (${r.status}) : ${JSON.stringify(r.body)}`);
  console.log(
    `Fuseau horaire de la commune : ${String(r.body.label)}. Les postes le reçoivent à leur synchronisation.`,
  );
} else {
  fail(
    'Usage : admin-cli.ts [--url URL] enrol "Nom du poste" | revoke <poste> | run-month AAAA-MM AAAA-MM-JJ | time-zone <fuseau>',
  );
}
