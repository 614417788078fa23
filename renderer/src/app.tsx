import { useEffect, useRef, useState } from 'react';
import type { OutputOf } from '../../core/contract.ts';
import { AdminPage } from './admin/admin-page.tsx';
import { useAnnounce } from './announcer.tsx';
import { AttendancePage } from './attendance/attendance-page.tsx';
import { useAuth } from './auth/auth-context.ts';
import { BillingPage } from './billing/billing-page.tsx';
import { useCounter } from './counter-context.ts';
import { CreateHousehold } from './create/create-household.tsx';
import { FamilyPage } from './family/family-page.tsx';
import type { FamilyTab } from './family/family-tabs.tsx';
import { HelpDialog, openDialog } from './help-dialog.tsx';
import { Home } from './home.tsx';
import { SearchBox } from './search/search-box.tsx';
import { SettlePage } from './sync/settle-page.tsx';
import { SyncIndicator } from './sync/sync-indicator.tsx';
import { SyncProvider } from './sync/sync-status.tsx';
import { TownClockProvider } from './town-clock-provider.tsx';
import { TillPage } from './regie/till-page.tsx';
import { RequestsNavButton } from './requests/requests-nav-button.tsx';
import { RequestsPage } from './requests/requests-page.tsx';
import { DESTINATIONS, mayGo, type Destination, type Place } from './navigation.ts';
import { NavButton } from './nav-button.tsx';
import { useGlobalShortcuts } from './shortcuts.ts';
import { refusedByRole } from '../../shared/roles.ts';
import './top-bar.css';

type View =
  | { kind: 'home' }
  | { kind: 'family'; householdId: string; tab?: FamilyTab }
  | { kind: 'create'; back: View }
  | { kind: 'attendance' }
  | { kind: 'billing' }
  | { kind: 'till' }
  | { kind: 'requests' }
  | { kind: 'settle' }
  | { kind: 'admin'; part?: 'serveur' };
type SystemInfo = OutputOf<'system.info'>;

export function App() {
  const api = useCounter();
  const auth = useAuth();
  const announce = useAnnounce();
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const [view, setView] = useState<View>({ kind: 'home' });
  /** A shortcut the role may not use: said, rather than silently ignored. */
  const [refusal, setRefusal] = useState<{ message: string; on: View } | null>(null);
  const refuse = (permission: Parameters<typeof auth.can>[0]) => {
    const message = refusedByRole(auth.agent.roleLabel, permission);
    setRefusal({ message, on: view });
    announce(message);
  };
  const searchRef = useRef<HTMLInputElement>(null);
  const helpRef = useRef<HTMLDialogElement>(null);
  const openHelp = () => openDialog(helpRef.current);

  useEffect(() => {
    void api.invoke('system.info', {}).then((r) => {
      if (r.ok) setInfo(r.data);
      else {
        setFatal(r.error.message);
        announce(r.error.message);
      }
    });
  }, [api, announce]);

  /** Where a destination of the top bar leads from `current`: a new household opens over it, to go back to. */
  const viewOf = (place: Place, current: View): View =>
    place === 'create'
      ? current.kind === 'create'
        ? current
        : { kind: 'create', back: current }
      : { kind: place };
  const go = (d: Destination) => {
    if (d.may && !mayGo(d, auth.can)) return refuse(d.may[0]);
    // An open modal dialog would hide the screen asked for.
    helpRef.current?.close();
    setView((v) => viewOf(d.place, v));
  };
  const settle = () => setView({ kind: 'settle' });
  const [answeredRequests, setAnsweredRequests] = useState(0);
  useGlobalShortcuts({
    focusSearch: () => {
      // An open modal dialog would refuse the focus asked for just below.
      helpRef.current?.close();
      searchRef.current?.focus();
      searchRef.current?.select();
    },
    go,
    help: openHelp,
  });
  const offered = DESTINATIONS.filter((d) => mayGo(d, auth.can));

  return (
    <SyncProvider>
      <TownClockProvider>
        <a href="#main" className="skip-link">
          Aller au contenu
        </a>
        <header className="topbar">
          <button
            type="button"
            className="brand"
            onClick={() => setView({ kind: 'home' })}
            title="Retour à l’accueil"
          >
            <span className="app-name">Guichet Famille</span>
            <span className="town">{info?.townName ?? ''}</span>
          </button>
          <SearchBox
            inputRef={searchRef}
            onOpen={(householdId) => setView({ kind: 'family', householdId })}
          />
          <div className="topbar-actions">
            {offered.map((d) =>
              d.place === 'requests' ? (
                <RequestsNavButton
                  key={d.place}
                  destination={d}
                  current={view.kind === d.place}
                  onClick={() => go(d)}
                  answers={answeredRequests}
                />
              ) : (
                <NavButton
                  key={d.place}
                  destination={d}
                  current={!d.over && view.kind === d.place}
                  onClick={() => go(d)}
                />
              ),
            )}
            <button type="button" className="on-dark" onClick={openHelp}>
              Aide <kbd>F1</kbd>
            </button>
            <span className="agent" title="Agent connecté">
              {auth.agent.name}
              <span className="agent-role">{auth.agent.roleLabel}</span>
            </span>
            <button type="button" className="on-dark" onClick={auth.lock} title="Verrouiller l’écran">
              Verrouiller <kbd>Ctrl+L</kbd>
            </button>
            <button type="button" className="on-dark" onClick={auth.switchAgent}>
              Changer d’agent
            </button>
          </div>
          <SyncIndicator
            onSettle={settle}
            {...(auth.can('admin') ? { onConnect: () => setView({ kind: 'admin', part: 'serveur' }) } : {})}
          />
        </header>
        {refusal?.on === view && (
          <p className="banner" role="alert" data-testid="role-refusal">
            {refusal.message}
          </p>
        )}
        {fatal && (
          <p className="banner" role="alert">
            {fatal}
          </p>
        )}
        <main id="main" tabIndex={-1}>
          {view.kind === 'home' && <Home destinations={offered.filter((d) => d.home)} onGo={go} />}
          {view.kind === 'attendance' && <AttendancePage />}
          {view.kind === 'billing' && (
            <BillingPage
              onOpenFamily={(householdId) => setView({ kind: 'family', householdId, tab: 'factures' })}
            />
          )}
          {view.kind === 'admin' && <AdminPage key={view.part ?? ''} initialPart={view.part} />}
          {view.kind === 'settle' && <SettlePage />}
          {view.kind === 'till' && <TillPage />}
          {view.kind === 'requests' && (
            <RequestsPage
              onOpenFamily={(householdId) => setView({ kind: 'family', householdId })}
              onAnswered={() => setAnsweredRequests((n) => n + 1)}
            />
          )}
          {view.kind === 'family' && (
            <FamilyPage
              key={`${view.householdId}|${view.tab ?? ''}`}
              householdId={view.householdId}
              initialTab={view.tab}
            />
          )}
          {view.kind === 'create' && (
            <CreateHousehold
              onCreated={(householdId) => setView({ kind: 'family', householdId })}
              onCancel={() => setView(view.back)}
            />
          )}
        </main>
        <HelpDialog ref={helpRef} />
      </TownClockProvider>
    </SyncProvider>
  );
}
