import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { HouseholdFile } from '../../../core/family/read.ts';
import { formatShortMonth } from '../../../shared/dates.ts';
import { useAnnounce } from '../announcer.tsx';
import { useAuth } from '../auth/auth-context.ts';
import { InvoicesPanel } from '../billing/invoices-panel.tsx';
import { PaymentsPanel, usePaymentShortcut } from '../payments/payments-panel.tsx';
import { useCounter } from '../counter-context.ts';
import { qfSourceLabel } from '../labels.ts';
import { ChildrenSection } from './children-section.tsx';
import { BookingsPanel } from '../bookings/bookings-panel.tsx';
import { EnrolmentPanel } from '../enrolment/enrolment-panel.tsx';
import { FamilyTabs, panelId, tabId, type FamilyTab } from './family-tabs.tsx';
import { GuardiansSection } from './guardians-section.tsx';
import { HouseholdSection } from './household-section.tsx';
import { PickupPersonsSection } from './pickup-persons-section.tsx';
import { QfSection } from './qf-section.tsx';
import { ChildLeftSection } from './child-left-section.tsx';
import { ExportHouseholdButton } from './export-button.tsx';
import { HealthSection } from './health-section.tsx';
import './family.css';

/**
 * The family file. Health notes appear only for roles with `health`, each read on demand and logged; roles
 * without `family.write` see the Dossier without its edit controls.
 */
export function FamilyPage({ householdId, initialTab }: { householdId: string; initialTab?: FamilyTab }) {
  const api = useCounter();
  const auth = useAuth();
  const announce = useAnnounce();
  const [file, setFile] = useState<HouseholdFile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const hiddenTabs: FamilyTab[] = [
    ...(auth.can('billing.read') ? [] : (['factures'] as const)),
    ...(auth.can('payment.take') ? [] : (['reglements'] as const)),
  ];
  const [tab, setTab] = useState<FamilyTab>(() =>
    initialTab && !hiddenTabs.includes(initialTab) ? initialTab : 'dossier',
  );
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Alt+E: « Encaisser », from any tab of the file.
  const [payRequest, setPayRequest] = useState(0);
  usePaymentShortcut(() => {
    if (!auth.can('payment.take')) return;
    setTab('reglements');
    setPayRequest((n) => n + 1);
  });

  useEffect(() => {
    let live = true;
    void api.invoke('family.get', { householdId }).then((r) => {
      if (!live) return;
      if (r.ok) setFile(r.data);
      else {
        setError(r.error.message);
        announce(r.error.message);
      }
    });
    return () => {
      live = false;
    };
  }, [api, announce, householdId]);

  const loaded = file !== null;
  useEffect(() => {
    // Opening a file moves the keyboard to it, as if the agent had turned to that page.
    if (loaded) headingRef.current?.focus();
  }, [loaded]);

  const name = file?.name;
  useEffect(() => {
    if (name === undefined) return;
    const before = document.title;
    document.title = `${name} — Guichet Famille`;
    return () => {
      document.title = before;
    };
  }, [name]);

  const reload = useCallback(async () => {
    const r = await api.invoke('family.get', { householdId });
    // Flushed at once, so whoever awaits the reload (a focus move) finds the new file already on screen.
    if (r.ok) flushSync(() => setFile(r.data));
    else announce(r.error.message);
  }, [api, announce, householdId]);

  if (error) return <p className="page-error">{error}</p>;
  if (!file) return <p className="muted">Chargement du dossier…</p>;

  const qf = file.currentQf;
  const address = [file.addressLine1, [file.postalCode, file.city].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  return (
    <article className="family" aria-labelledby="family-title">
      <header className="family-head">
        <h1 id="family-title" ref={headingRef} tabIndex={-1}>
          Foyer {file.name}
        </h1>
        <p className="family-facts">
          {address && <span>{address}</span>}
          <span>
            {file.children.length === 0
              ? 'Sans enfant'
              : `${file.children.length} enfant${file.children.length > 1 ? 's' : ''}`}
          </span>
          <span data-testid="qf-in-force">
            {qf ? (
              <>
                QF en vigueur : <strong>{qf.value}</strong> ({qfSourceLabel(qf.source)}, depuis{' '}
                {formatShortMonth(qf.effectiveMonth)})
              </>
            ) : (
              <strong className="warn">Aucun QF en vigueur</strong>
            )}
          </span>
          {auth.can('admin') && <ExportHouseholdButton householdId={file.id} />}
        </p>
      </header>
      <FamilyTabs selected={tab} onSelect={setTab} hidden={hiddenTabs} />
      {tab === 'dossier' && (
        <div
          role="tabpanel"
          id={panelId('dossier')}
          aria-labelledby={tabId('dossier')}
          className={auth.can('family.write') ? 'dossier' : 'dossier read-only'}
        >
          <div className="column">
            <HouseholdSection file={file} reload={reload} />
            <GuardiansSection file={file} reload={reload} />
          </div>
          <div className="column">
            <ChildrenSection file={file} reload={reload} />
            <QfSection file={file} reload={reload} />
            <PickupPersonsSection file={file} reload={reload} />
            {auth.can('health') && <HealthSection file={file} />}
            {auth.can('family.write') && <ChildLeftSection file={file} />}
          </div>
        </div>
      )}
      {tab === 'inscriptions' && (
        <div role="tabpanel" id={panelId('inscriptions')} aria-labelledby={tabId('inscriptions')}>
          <EnrolmentPanel file={file} />
        </div>
      )}
      {tab === 'reservations' && (
        <div role="tabpanel" id={panelId('reservations')} aria-labelledby={tabId('reservations')}>
          <BookingsPanel file={file} />
        </div>
      )}
      {tab === 'factures' && (
        <div role="tabpanel" id={panelId('factures')} aria-labelledby={tabId('factures')}>
          <InvoicesPanel householdId={file.id} />
        </div>
      )}
      {tab === 'reglements' && (
        <div role="tabpanel" id={panelId('reglements')} aria-labelledby={tabId('reglements')}>
          <PaymentsPanel householdId={file.id} payRequest={payRequest} />
        </div>
      )}
    </article>
  );
}
