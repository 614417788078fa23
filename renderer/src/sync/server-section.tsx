import { useEffect, useRef, useState } from 'react';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { useTownClock } from '../town-clock.ts';
import { Facts } from '../family/facts.tsx';
import { Section } from '../family/section.tsx';
import { checker, hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { TextField } from '../forms/fields.tsx';
import { invalid, refused, saved } from '../forms/save-result.ts';
import { useQuery } from '../use-query.ts';
import { connectCounter, disconnectCounter, type Connected } from './shell.ts';
import { useSyncStatus } from './sync-status.tsx';
import { atWords, plural } from './words.ts';

/**
 * « Serveur central »: the administrator connects this PC to the town's server with the credential the server
 * gave it (the shell checks it there first), or disconnects it. The credential is never shown again.
 */
export function ServerSection() {
  const api = useCounter();
  const { timeZone } = useTownClock();
  const announce = useAnnounce();
  const { status, refresh } = useSyncStatus();
  const connection = useQuery('sync.connection', {});
  const [serverUrl, setServerUrl] = useState('');
  const [credential, setCredential] = useState('');
  const [done, setDone] = useState<Connected | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const disconnectRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  async function connect() {
    const check = checker();
    check.text('serverUrl', serverUrl, true);
    check.text('credential', credential, true);
    if (hasErrors(check.errors)) return invalid(check.errors);
    const r = await connectCounter(api, { serverUrl, credential });
    if (!r.ok) return refused(r.error);
    setCredential('');
    setDone(r.data);
    announce(connectedWords(r.data));
    connection.reload();
    refresh();
    return saved;
  }

  async function disconnect() {
    const r = await disconnectCounter(api);
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    setError(null);
    setConfirming(false);
    setDone(null);
    announce('Poste déconnecté du serveur central : plus rien n’est envoyé ni reçu.');
    connection.reload();
    refresh();
  }

  const c = connection.data;
  if (connection.error && !c) return <p className="page-error">{connection.error}</p>;
  if (!c) return <p className="muted">Chargement…</p>;

  if (!c.connected) {
    return (
      <Section title="Serveur central">
        <p>
          Reliez ce poste au serveur de la commune : ses opérations y partent, il reçoit celles des autres
          guichets et du portail familles, et ses reçus sont numérotés dans sa propre série. L’administrateur
          du serveur crée le poste et vous remet son identifiant (« identifiant.secret »), qui n’est plus
          jamais affiché une fois enregistré.
        </p>
        {c.deviceName && (
          <p className="muted">
            Ce poste a déjà été relié comme « {c.deviceName} »
            {c.seriesPrefix ? ` (code ${c.seriesPrefix})` : ''}: reprenez le même identifiant.
          </p>
        )}
        <EditForm label="Relier ce poste au serveur central" onSave={connect} saveLabel="Relier ce poste">
          <div className="field-grid">
            <TextField
              name="serverUrl"
              label="Adresse du serveur"
              size="l"
              required
              placeholder="https://serveur.mairie.fr"
              inputMode="url"
              maxLength={300}
              value={serverUrl}
              onChange={setServerUrl}
            />
            <TextField
              name="credential"
              label="Identifiant du poste"
              size="l"
              required
              type="password"
              hint="tel que le serveur l’a donné : identifiant.secret"
              maxLength={300}
              value={credential}
              onChange={setCredential}
            />
          </div>
        </EditForm>
      </Section>
    );
  }

  return (
    <Section
      title="Serveur central"
      actions={
        !confirming && (
          <button type="button" ref={disconnectRef} onClick={() => setConfirming(true)}>
            Déconnecter
          </button>
        )
      }
    >
      {done && (
        <p className="notice" data-testid="connect-result">
          {connectedWords(done)}
        </p>
      )}
      <Facts
        items={[
          ['Serveur', c.serverUrl ?? ''],
          ['Poste', c.deviceName ?? ''],
          ['Code du guichet', c.seriesPrefix ? `${c.seriesPrefix} (reçus et bordereaux de ce poste)` : ''],
          ['Relié', c.connectedAt ? `${atWords(c.connectedAt, timeZone)} par ${c.connectedBy ?? '—'}` : ''],
        ]}
      />
      <p className="muted">
        L’identifiant du poste est conservé sur ce poste seulement ; il n’est plus affiché.
      </p>
      {confirming && (
        <div
          className="confirm"
          role="group"
          aria-label="Confirmer la déconnexion"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              setConfirming(false);
              disconnectRef.current?.focus();
            }
          }}
        >
          <p>
            Déconnecter ce poste du serveur central ? Plus rien ne sera envoyé ni reçu.
            {status && status.pending > 0
              ? ` ${plural(status.pending, 'opération reste', 'opérations restent')} en attente sur le poste et ${status.pending > 1 ? 'partiront' : 'partira'} quand il sera relié de nouveau.`
              : ''}
          </p>
          {error && <p className="form-error">{error}</p>}
          <div className="form-actions">
            <button type="button" className="danger" ref={confirmRef} onClick={() => void disconnect()}>
              Déconnecter ce poste
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Annuler
            </button>
          </div>
        </div>
      )}
    </Section>
  );
}

function connectedWords(c: Connected): string {
  const parts = [
    `Poste relié au serveur central comme « ${c.deviceName} » (code ${c.seriesPrefix}) : première synchronisation en cours.`,
  ];
  if (c.pendingLocal > 0)
    parts.push(
      `${plural(c.pendingLocal, 'opération saisie', 'opérations saisies')} avant la connexion ${c.pendingLocal > 1 ? 'partent' : 'part'} vers le serveur.`,
    );
  if (c.clockWarning) parts.push(c.clockWarning);
  return parts.join(' ');
}
