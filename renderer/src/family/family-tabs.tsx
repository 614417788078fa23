import { useRef, useState, type KeyboardEvent } from 'react';

const TABS = [
  { id: 'dossier', label: 'Dossier', ready: true },
  { id: 'inscriptions', label: 'Inscriptions', ready: true },
  { id: 'reservations', label: 'Réservations', ready: true },
  { id: 'factures', label: 'Factures', ready: true },
  { id: 'reglements', label: 'Règlements', ready: true },
] as const;

export type FamilyTab = (typeof TABS)[number]['id'];

export const tabId = (id: string) => `family-tab-${id}`;
export const panelId = (id: string) => `family-panel-${id}`;

/**
 * The family file's tabs. ←/→/Début/Fin move between them, Entrée or Espace opens one (a tab loads data from the
 * core, so it is not opened just by passing over it). Tabs not built yet stay listed, announced as unavailable,
 * so agents learn where things will be.
 */
export function FamilyTabs({
  selected = 'dossier',
  onSelect,
  hidden = [],
}: {
  selected?: FamilyTab;
  onSelect?: (tab: FamilyTab) => void;
  /** Tabs the agent's role may not open (the core would refuse their data): not shown at all. */
  hidden?: readonly FamilyTab[];
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const tabs = TABS.filter((t) => !hidden.includes(t.id));
  const [focusable, setFocusable] = useState(() =>
    Math.max(
      0,
      tabs.findIndex((t) => t.id === selected),
    ),
  );

  function move(e: KeyboardEvent, index: number) {
    const last = tabs.length - 1;
    const next =
      e.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : e.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null) return;
    e.preventDefault();
    setFocusable(next);
    refs.current[next]?.focus();
  }

  return (
    <div role="tablist" aria-label="Dossier de la famille" className="tabs">
      {tabs.map((tab, i) => (
        <button
          key={tab.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          id={tabId(tab.id)}
          type="button"
          role="tab"
          aria-selected={tab.id === selected}
          aria-controls={tab.id === selected ? panelId(tab.id) : undefined}
          aria-disabled={!tab.ready || undefined}
          tabIndex={i === focusable ? 0 : -1}
          className="tab"
          onKeyDown={(e) => move(e, i)}
          onClick={() => {
            setFocusable(i);
            if (tab.ready) onSelect?.(tab.id);
          }}
        >
          {tab.label}
          {!tab.ready && <span className="soon"> bientôt</span>}
        </button>
      ))}
    </div>
  );
}
