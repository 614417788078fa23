import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { CounterApi, OutputOf } from '../../../core/contract.ts';
import { CounterContext, useCounter } from '../counter-context.ts';
import { AuthContext, type AuthState } from './auth-context.ts';
import './auth.css';

type Status = OutputOf<'auth.status'>;

/**
 * Stands between the counter and the app: first-run administrator, sign-in, lock screen (Ctrl+L, or after the
 * idle time). The app below gets a contract that brings this screen back whenever the core says the session is
 * locked or gone, so a refused call is never silently lost.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const api = useCounter();
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const r = await api.invoke('auth.status', {});
    if (r.ok) setStatus(r.data);
    else setError(r.error.message);
  }, [api]);

  useEffect(() => {
    let current = true;
    void api.invoke('auth.status', {}).then((r) => {
      if (!current) return;
      if (r.ok) setStatus(r.data);
      else setError(r.error.message);
    });
    return () => {
      current = false;
    };
  }, [api]);

  const guarded = useMemo<CounterApi>(
    () => ({
      invoke: (async (name: string, input: unknown) => {
        const r = await (api.invoke as (n: string, i: unknown) => ReturnType<CounterApi['invoke']>)(
          name,
          input,
        );
        if (!r.ok && (r.error.code === 'LOCKED' || r.error.code === 'UNAUTHORIZED')) void refresh();
        return r;
      }) as CounterApi['invoke'],
    }),
    [api, refresh],
  );

  const lock = useCallback(() => {
    void api.invoke('auth.lock', {}).then(() => refresh());
  }, [api, refresh]);
  const switchAgent = useCallback(() => {
    void api.invoke('auth.logout', {}).then(() => refresh());
  }, [api, refresh]);

  useIdleLock(status?.agent && !status.locked ? status.idleMinutes : null, lock);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && !e.altKey && (e.key === 'l' || e.key === 'L')) {
        e.preventDefault();
        lock();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [lock]);

  const auth = useMemo<AuthState | null>(
    () =>
      status?.agent
        ? {
            agent: status.agent,
            can: (p) => status.agent?.permissions.includes(p) ?? false,
            lock,
            switchAgent,
          }
        : null,
    [status, lock, switchAgent],
  );

  if (error) {
    return (
      <p className="banner" role="alert">
        {error}
      </p>
    );
  }
  if (!status) return <p className="muted gate-wait">Chargement…</p>;
  if (status.setupNeeded) return <SetupAdmin onDone={refresh} />;
  if (!status.agent) return <Login onDone={refresh} demo={status.demoAccounts} />;
  if (status.locked) return <Unlock agentName={status.agent.name} onDone={refresh} onSwitch={switchAgent} />;
  return (
    <AuthContext value={auth}>
      <CounterContext value={guarded}>{children}</CounterContext>
    </AuthContext>
  );
}

function useIdleLock(idleMinutes: number | null, lock: () => void) {
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (idleMinutes === null) return;
    const arm = () => {
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(lock, idleMinutes * 60_000);
    };
    arm();
    const events = ['keydown', 'mousedown', 'wheel'] as const;
    events.forEach((e) => window.addEventListener(e, arm, { passive: true }));
    return () => {
      window.clearTimeout(timer.current);
      events.forEach((e) => window.removeEventListener(e, arm));
    };
  }, [idleMinutes, lock]);
}

function GateCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="gate" id="main">
      <section className="card gate-card" aria-labelledby="gate-title">
        <p className="gate-app">Guichet Famille</p>
        <h1 id="gate-title">{title}</h1>
        {children}
      </section>
    </main>
  );
}

function useSubmit(action: () => Promise<string | null>, onDone: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const message = await action();
    setBusy(false);
    if (message) setError(message);
    else onDone();
  };
  return { error, busy, submit };
}

function GateField(props: {
  id: string;
  label: string;
  type?: string;
  value: string;
  onChange: (v: string) => void;
  autoFocus?: boolean;
  autoComplete?: string;
}) {
  return (
    <div className="field field-l">
      <span className="field-label">
        <label htmlFor={props.id}>{props.label}</label>
      </span>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        autoFocus={props.autoFocus}
        autoComplete={props.autoComplete ?? 'off'}
        spellCheck={false}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

function GateError({ error }: { error: string | null }) {
  return (
    <p className="error-text" role="alert">
      {error ?? ''}
    </p>
  );
}

function Login({ onDone, demo }: { onDone: () => void; demo: Status['demoAccounts'] }) {
  const api = useCounter();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, submit } = useSubmit(async () => {
    const r = await api.invoke('auth.login', { username, password });
    if (r.ok) return null;
    setPassword('');
    return r.error.message;
  }, onDone);
  return (
    <GateCard title="Connexion">
      <form onSubmit={submit} className="gate-form">
        <GateField
          id="login-username"
          label="Identifiant"
          value={username}
          onChange={setUsername}
          autoFocus
          autoComplete="username"
        />
        <GateField
          id="login-password"
          label="Mot de passe"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
        />
        <GateError error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Se connecter
        </button>
      </form>
      {demo && (
        <p className="demo-accounts">
          Ville de démonstration : comptes {demo.usernames.join(', ')} — mot de passe « {demo.password} ».
        </p>
      )}
    </GateCard>
  );
}

function Unlock({
  agentName,
  onDone,
  onSwitch,
}: {
  agentName: string;
  onDone: () => void;
  onSwitch: () => void;
}) {
  const api = useCounter();
  const [password, setPassword] = useState('');
  const { error, busy, submit } = useSubmit(async () => {
    const r = await api.invoke('auth.unlock', { password });
    if (r.ok) return null;
    setPassword('');
    return r.error.message;
  }, onDone);
  return (
    <GateCard title="Session verrouillée">
      <p>
        Session de <strong>{agentName}</strong>. Saisissez votre mot de passe pour reprendre.
      </p>
      <form onSubmit={submit} className="gate-form">
        <GateField
          id="unlock-password"
          label="Mot de passe"
          type="password"
          value={password}
          onChange={setPassword}
          autoFocus
          autoComplete="current-password"
        />
        <GateError error={error} />
        <div className="gate-actions">
          <button type="submit" className="primary" disabled={busy}>
            Déverrouiller
          </button>
          <button type="button" onClick={onSwitch}>
            Changer d’agent
          </button>
        </div>
      </form>
    </GateCard>
  );
}

function SetupAdmin({ onDone }: { onDone: () => void }) {
  const api = useCounter();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, submit } = useSubmit(async () => {
    const r = await api.invoke('auth.setupAdmin', { username, displayName, password });
    return r.ok ? null : r.error.message;
  }, onDone);
  return (
    <GateCard title="Premier démarrage : compte administrateur">
      <p>Ce compte créera ensuite les comptes des agents, des animateurs et du régisseur.</p>
      <form onSubmit={submit} className="gate-form">
        <GateField
          id="setup-name"
          label="Nom affiché"
          value={displayName}
          onChange={setDisplayName}
          autoFocus
        />
        <GateField
          id="setup-username"
          label="Identifiant"
          value={username}
          onChange={setUsername}
          autoComplete="username"
        />
        <GateField
          id="setup-password"
          label="Mot de passe (8 caractères au moins)"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
        />
        <GateError error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Créer le compte et se connecter
        </button>
      </form>
    </GateCard>
  );
}
