import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_SCRYPT_LOG_N, deriveKey } from '../core/auth/password.ts';

/**
 * The central administrator's few gestures, against a running server (admin token in GF_ADMIN_TOKEN):
 *   node server/admin-cli.ts --url http://… enrol "Guichet 1"      → the credential to type on that PC
 *   node server/admin-cli.ts --url http://… revoke <deviceId>
 *   node server/admin-cli.ts --url http://… run-month 2026-09 2026-10-05   (month, issue date: the central series)
 *   node server/admin-cli.ts --url http://… import-calendar fr-en-calendrier-scolaire.csv Orléans-Tours
 *     (the ministry's school calendar, CSV export or zone ICS, for the town's académie: counters get it at their pull)
 *   node server/admin-cli.ts --url http://… register-regisseur remi "Rémi Régisseur"
 *       reads the régisseur's password (typed, or the first line of stdin), and sends only the key derived from it:
 *       the server can then prove the cash overrides they authorise at any counter (core/payments/override-proof.ts).
 *       The password must be the one their accounts on the counters have.
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

/** A password typed without echo on a terminal, or the first line of what is piped in. */
async function readPassword(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) {
      text += String(chunk);
      if (text.includes('\n')) break;
    }
    return text.split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  let typed = '';
  return new Promise((resolve) => {
    const onData = (c: string) => {
      for (const ch of c) {
        if (ch === '\r' || ch === '\n') {
          input.setRawMode(false);
          input.off('data', onData);
          input.pause();
          process.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch;
      }
    };
    input.on('data', onData);
  });
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
} else if (verb === 'import-calendar' && args[0] && args[1]) {
  const r = await post('/admin/command', {
    name: 'admin.importSchoolCalendar',
    input: { fileText: readFileSync(args[0], 'utf8'), area: args[1] },
  });
  const refusal = (r.body.error as { message?: string } | undefined)?.message;
  if (r.status !== 200) fail(`Import refusé (${r.status}) : ${refusal ?? JSON.stringify(r.body)}`);
  const imported = r.body as {
    area: { name: string };
    years: { schoolYear: string; status: string }[];
    counts: { added: number; changed: number; removed: number; unchanged: number };
  };
  const c = imported.counts;
  console.log(
    `Calendrier scolaire de ${imported.area.name} importé (${imported.years.map((y) => y.schoolYear).join(', ')}) : ${c.added} période(s) ajoutée(s), ${c.changed} modifiée(s), ${c.removed} supprimée(s), ${c.unchanged} inchangée(s). Les guichets le reçoivent à leur prochaine synchronisation.`,
  );
} else if (verb === 'register-regisseur' && args[0] && args[1]) {
  const password = await readPassword(`Mot de passe de ${args[0]} (il ne quitte pas ce poste) : `);
  if (!password) fail('Mot de passe vide : rien n’a été enregistré.');
  const salt = randomBytes(16);
  const key = await deriveKey(password, salt, DEFAULT_SCRYPT_LOG_N);
  const r = await post('/admin/override-keys', {
    username: args[0],
    displayName: args[1],
    salt: salt.toString('base64'),
    logN: DEFAULT_SCRYPT_LOG_N,
    key: key.toString('base64'),
  });
  if (r.status !== 201) fail(`Enregistrement refusé (${r.status}) : ${JSON.stringify(r.body)}`);
  console.log(
    `Régisseur « ${args[1]} » (${String(r.body.registered)}) enregistré : ses dérogations seront vérifiées par le serveur.`,
  );
} else if (verb === 'time-zone' && args[0]) {
  const r = await post('/admin/command', { name: 'admin.setTimeZone', input: { timeZone: args[0] } });
  if (r.status !== 200) fail(`Fuseau horaire refusé (${r.status}) : ${JSON.stringify(r.body)}`);
  console.log(
    `Fuseau horaire de la commune : ${String(r.body.label)}. Les postes le reçoivent à leur synchronisation.`,
  );
} else {
  fail(
    'Usage : admin-cli.ts [--url URL] enrol "Nom du poste" | revoke <poste> | run-month AAAA-MM AAAA-MM-JJ | import-calendar <fichier> <académie ou zone> | register-regisseur <identifiant> "Nom affiché" | time-zone <fuseau>',
  );
}
