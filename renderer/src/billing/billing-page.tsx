import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTownClock } from '../town-clock.ts';
import { MonthRun } from './month-run.tsx';
import { UnpaidList } from './unpaid-list.tsx';
import './billing.css';

const TABS = [
  { id: 'run', label: 'Facturation du mois' },
  { id: 'unpaid', label: 'Impayés' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/** The régisseur's screen (billing.run, Alt+F): the monthly run, and the unpaid invoices for the comptable. */
export function BillingPage({ onOpenFamily }: { onOpenFamily: (householdId: string) => void }) {
  const { today } = useTownClock();
  const [tab, setTab] = useState<Tab>('run');
  const [seen, setSeen] = useState<ReadonlySet<Tab>>(new Set(['run']));
  const select = (next: Tab) => {
    setTab(next);
    setSeen((s) => (s.has(next) ? s : new Set([...s, next])));
  };
  const headingRef = useRef<HTMLHeadingElement>(null);
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  useEffect(() => headingRef.current?.focus(), []);

  function onKeyDown(e: KeyboardEvent, index: number) {
    const next =
      e.key === 'ArrowRight' || e.key === 'ArrowLeft'
        ? (index + 1) % TABS.length
        : e.key === 'Home'
          ? 0
          : e.key === 'End'
            ? TABS.length - 1
            : null;
    if (next === null) return;
    e.preventDefault();
    tabRefs.current[next]?.focus();
    select(TABS[next]!.id);
  }

  return (
    <div className="billing">
      <h1 ref={headingRef} tabIndex={-1}>
        Facturation
      </h1>
      <div role="tablist" aria-label="Facturation" className="tabs">
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            id={`billing-tab-${t.id}`}
            type="button"
            role="tab"
            className="tab"
            aria-selected={t.id === tab}
            aria-controls={`billing-panel-${t.id}`}
            tabIndex={t.id === tab ? 0 : -1}
            onKeyDown={(e) => onKeyDown(e, i)}
            onClick={() => select(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {/* Both stay mounted: back from the unpaid list, the preview is still there. */}
      <div role="tabpanel" id="billing-panel-run" aria-labelledby="billing-tab-run" hidden={tab !== 'run'}>
        <MonthRun today={today} onOpenFamily={onOpenFamily} />
      </div>
      <div
        role="tabpanel"
        id="billing-panel-unpaid"
        aria-labelledby="billing-tab-unpaid"
        hidden={tab !== 'unpaid'}
      >
        {seen.has('unpaid') && <UnpaidList today={today} onOpenFamily={onOpenFamily} />}
      </div>
    </div>
  );
}
