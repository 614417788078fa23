import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_SCRYPT_LOG_N, deriveKey } from '../core/auth/password.ts';
import { ConfigError, readSettings } from './config.ts';
import type { DeviceReport } from './devices-report.ts';
import type { MailReport, MailStatus } from './mail/log.ts';

/**
 * The central administrator's few gestures, against a running server. The admin token comes from the server's
 * environment file (`--env-file /etc/guichet-famille/serveur.env`, or GF_ENV_FILE) or from GF_ADMIN_TOKEN; never from
 * the command line, where `ps` shows it. Without `--url`, the server of that file on this machine.
 *   node server/admin-cli.ts --url http://… enrol "Guichet 1"      → the credential to type on that PC
 *   node server/admin-cli.ts --url http://… revoke <deviceId>
 *   node server/admin-cli.ts --url http://… devices [--json]   (each PC: last contact, version, pending, refused)
 *   node server/admin-cli.ts --url http://… run-month 2026-09 2026-10-05   (month, issue date: the central series)
 *   node server/admin-cli.ts --url http://… import-calendar fr-en-calendrier-scolaire.csv Orléans-Tours
 *     (the ministry's school calendar, CSV export or zone ICS, for the town's académie: counters get it at their pull)
 *   node server/admin-cli.ts --url http://… register-regisseur remi "Rémi Régisseur"
 *       reads the régisseur's password (typed, or the first line of stdin), and sends only the key derived from it:
 *       the server can then prove the cash overrides they authorise at any counter (core/payments/override-proof.ts).
 *       The password must be the one their accounts on the counters have.
 *   node server/admin-cli.ts --url http://… time-zone Indian/Reunion       (the town's zone, pulled by every counter)
 *   node server/admin-cli.ts --url http://… mail-invoices 2026-09 [<foyer>]
 *       e-mails the month's invoices of the « E-mail » families not sent yet (the first send; again later, the refused
 *       or failed ones), or one family's again; prints the send report
 *   node server/admin-cli.ts --url http://… mail-certificates 2026 [<foyer>]   (January: the childcare tax certificates)
 *   node server/admin-cli.ts --url http://… mail-report 2026-09|2026 [--json]   (sent, refused, no address, failed)
 */
const { values, positionals } = parseArgs({
  options: {
    url: { type: 'string' },
    'env-file': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});
const [verb, ...args] = positionals;
let settings: ReturnType<typeof readSettings>['settings'];
try {
  ({ settings } = readSettings(values['env-file'] ?? (process.env.GF_ENV_FILE || null), process.env));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  fail(error.message);
}
const token = settings.GF_ADMIN_TOKEN ?? '';
const serverUrl = (
  values.url ??
  `http://${!settings.GF_HOST || settings.GF_HOST === '0.0.0.0' ? '127.0.0.1' : settings.GF_HOST}:${settings.GF_PORT ?? '8787'}`
).replace(/\/+$/, '');

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${serverUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${serverUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const MAIL_STATUS: Record<MailStatus, string> = {
  sent: 'envoyée',
  refused: 'refusée par le serveur de messagerie',
  no_address: 'sans adresse (imprimée)',
  failed: 'échec, à renvoyer',
};

/** The send report: the counts, then every invoice not sent, with the relay's words, for the counter to call. */
function printMailReport(report: MailReport) {
  const c = report.counts;
  const what =
    report.kind === 'invoice'
      ? `des factures de ${report.period}`
      : `des attestations fiscales ${report.period}`;
  console.log(
    `Envoi ${what} par e-mail : ${c.sent} envoyée(s), ${c.refused} refusée(s), ${c.no_address} sans adresse, ${c.failed} en échec.`,
  );
  for (const r of report.rows) {
    if (r.status === 'sent') continue;
    console.log(
      `  ${r.number}  ${r.householdName}  ${r.address ?? '—'}  ${MAIL_STATUS[r.status]}${r.detail ? ` : ${r.detail}` : ''}  (foyer ${r.householdId})`,
    );
  }
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

let when = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' });

/** « 04/12/2026 10:31 (il y a 3 min) »: the date for the record, the age for the eye. */
function contact(iso: string | null, now: number): string {
  if (!iso) return 'jamais';
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  const age =
    minutes < 1
      ? 'à l’instant'
      : minutes < 120
        ? `il y a ${minutes} min`
        : minutes < 48 * 60
          ? `il y a ${Math.round(minutes / 60)} h`
          : `il y a ${Math.round(minutes / 1440)} j`;
  return `${when.format(new Date(iso))} (${age})`;
}

/** The PCs as a table, then what deserves a look, in words. */
function printDevices(devices: DeviceReport[], serverVersion: string | null): void {
  const now = Date.now();
  if (devices.length === 0) {
    console.log('Aucun poste enrôlé. Enrôlez-en un : admin-cli.ts enrol "Guichet 1".');
    return;
  }
  const rows = devices.map((d) => [
    d.name,
    d.seriesPrefix,
    contact(d.lastContactAt, now),
    d.appVersion ? `${d.appVersion} (schéma ${d.schemaVersion ?? '?'})` : '—',
    String(d.lastSeq),
    String(d.pending),
    String(d.refused),
    String(d.held),
    d.revokedAt ? `révoqué le ${when.format(new Date(d.revokedAt))}` : 'actif',
  ]);
  const head = [
    'Poste',
    'Série',
    'Dernier contact',
    'Version',
    'Reçues',
    'En attente',
    'Refusées',
    'Retenues',
    'État',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const numeric = new Set([4, 5, 6, 7]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  console.log(
    `${devices.length} poste(s) enrôlé(s)${serverVersion ? `, serveur en version ${serverVersion}` : ''}.`,
  );
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  const notes: string[] = [];
  for (const d of devices) {
    if (d.revokedAt) continue;
    if (!d.lastContactAt)
      notes.push(`${d.name} : ne s’est jamais connecté (identifiant saisi sur le poste ?).`);
    else if (now - Date.parse(d.lastContactAt) > 24 * 3600_000)
      notes.push(`${d.name} : aucun contact depuis plus d’un jour (poste éteint, réseau, proxy ?).`);
    if (d.pending > 0)
      notes.push(
        `${d.name} : ${d.pending} opération(s) présentée(s) mais pas encore acceptées (envoi en échec : voir le journal du serveur).`,
      );
    if (d.held > 0) notes.push(`${d.name} : ${d.held} fait(s) retenu(s) à régler par la régie.`);
    if (serverVersion && d.appVersion && d.appVersion !== serverVersion)
      notes.push(`${d.name} : version ${d.appVersion}, le serveur est en ${serverVersion}.`);
    if (d.clockDriftMs !== null && Math.abs(d.clockDriftMs) > 5 * 60_000)
      notes.push(
        `${d.name} : horloge décalée de ${Math.round(Math.abs(d.clockDriftMs) / 60_000)} min par rapport au serveur.`,
      );
  }
  if (notes.length) console.log(`\nÀ regarder :\n${notes.map((n) => `- ${n}`).join('\n')}`);
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
} else if (verb === 'devices') {
  const r = await get('/admin/devices');
  if (r.status !== 200) fail(`Liste des postes refusée (${r.status}) : ${JSON.stringify(r.body)}`);
  const devices = r.body.devices as DeviceReport[];
  // The town's clock, whatever the zone of the machine the command runs on.
  when = new Intl.DateTimeFormat('fr-FR', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: String(r.body.timeZone ?? 'Europe/Paris'),
  });
  if (values.json) {
    console.log(JSON.stringify(devices, null, 2));
  } else {
    const health = await get('/healthz').catch(() => null);
    printDevices(devices, (health?.body.version as string | undefined) ?? null);
  }
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
} else if ((verb === 'mail-invoices' || verb === 'mail-certificates' || verb === 'mail-report') && args[0]) {
  const period = args[0];
  const forYear = /^\d{4}$/.test(period);
  const who = args[1] ? { householdId: args[1] } : {};
  const r =
    verb === 'mail-invoices'
      ? await post('/admin/mail/invoices', { month: period, ...who })
      : verb === 'mail-certificates'
        ? await post('/admin/mail/tax-certificates', { year: Number(period), ...who })
        : await get(`/admin/mail/report?${forYear ? 'year' : 'month'}=${encodeURIComponent(period)}`);
  const refusal = (r.body.error as { message?: string } | undefined)?.message;
  if (r.status !== 200) fail(`Envoi refusé (${r.status}) : ${refusal ?? JSON.stringify(r.body)}`);
  const report = r.body as unknown as MailReport;
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else printMailReport(report);
} else {
  fail(
    'Usage : admin-cli.ts [--env-file FICHIER] [--url URL] enrol "Nom du poste" | revoke <poste> | devices [--json] | run-month AAAA-MM AAAA-MM-JJ | import-calendar <fichier> <académie ou zone> | register-regisseur <identifiant> "Nom affiché" | time-zone <fuseau> | mail-invoices AAAA-MM [<foyer>] | mail-certificates AAAA [<foyer>] | mail-report AAAA-MM|AAAA [--json]',
  );
}
