import { useEffect, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import type { SearchHit } from '../../../core/search/search-families.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { SEARCH_KINDS } from '../labels.ts';
import './search.css';

const SEARCH_DELAY_MS = 120;
const LIST_ID = 'search-results';
const optionId = (i: number) => `search-hit-${i}`;

interface Props {
  inputRef?: Ref<HTMLInputElement>;
  onOpen: (householdId: string) => void;
}

/** The person the words matched, when it is someone rather than the household name itself. */
const matchedPerson = (hit: SearchHit) => hit.matches.find((m) => m.kind !== 'household');

/**
 * Search-as-you-type over every family (names, phones, e-mails, accents ignored). The list follows the combobox
 * pattern: focus stays in the box, ↑/↓ move the highlighted family, Entrée opens it.
 */
export function SearchBox({ inputRef, onOpen }: Props) {
  const api = useCounter();
  const announce = useAnnounce();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // Each keystroke's query is numbered; an answer that is not the latest one is dropped.
  const latest = useRef(0);

  useEffect(() => () => clearTimeout(timer.current), []);

  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

  function choose(hit: SearchHit) {
    setOpen(false);
    onOpen(hit.householdId);
  }

  function search(value: string, openFirst = false) {
    const mine = ++latest.current;
    void api.invoke('family.search', { text: value, limit: 20 }).then((r) => {
      if (mine !== latest.current) return;
      setPending(false);
      if (!r.ok) {
        setHits([]);
        setError(r.error.message);
        announce(r.error.message);
        return;
      }
      setHits(r.data);
      setError(null);
      setActive(r.data.length > 0 ? 0 : -1);
      const first = r.data[0];
      if (openFirst && first) return choose(first);
      announce(
        r.data.length === 0
          ? 'Aucun foyer trouvé.'
          : `${r.data.length} foyer${r.data.length > 1 ? 's' : ''} trouvé${r.data.length > 1 ? 's' : ''}.`,
      );
    });
  }

  function onChange(value: string) {
    setText(value);
    setOpen(true);
    clearTimeout(timer.current);
    if (value.trim() === '') {
      latest.current++;
      setHits(null);
      setActive(-1);
      setPending(false);
      setError(null);
      return;
    }
    setPending(true);
    timer.current = setTimeout(() => search(value), SEARCH_DELAY_MS);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    const list = hits ?? [];
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        e.preventDefault();
        if (!open) return setOpen(true);
        if (list.length === 0) return;
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setActive((a) => (a + step + list.length) % list.length);
        return;
      }
      case 'Enter': {
        e.preventDefault();
        if (pending && text.trim() !== '') {
          // Typed faster than the search: open the first family of what is typed now, not of the stale list.
          clearTimeout(timer.current);
          search(text, true);
          return;
        }
        const hit = list[active] ?? list[0];
        if (hit) choose(hit);
        return;
      }
      case 'Escape':
        if (open && text !== '') {
          e.preventDefault();
          setOpen(false);
        } else if (text !== '') {
          e.preventDefault();
          onChange('');
        }
        return;
    }
  }

  const showList = open && text.trim() !== '' && (hits !== null || error !== null);
  const activeHit = showList && active >= 0 ? hits?.[active] : undefined;

  return (
    <div className="search" role="search">
      <label htmlFor="global-search" className="search-label">
        Rechercher <kbd>Ctrl+K</kbd>
      </label>
      <input
        id="global-search"
        ref={inputRef}
        type="search"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={LIST_ID}
        aria-activedescendant={activeHit ? optionId(active) : undefined}
        aria-describedby="search-help"
        autoComplete="off"
        spellCheck={false}
        maxLength={100}
        placeholder="Nom, prénom, téléphone, e-mail…"
        value={text}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        onFocus={(e) => {
          e.target.select();
          setOpen(true);
        }}
        onBlur={() => setOpen(false)}
      />
      <span id="search-help" className="sr-only">
        Flèches haut et bas pour parcourir les foyers trouvés, Entrée pour ouvrir.
      </span>
      <div className="search-popup" hidden={!showList} aria-busy={pending}>
        {error && <p className="search-message error-text">{error}</p>}
        {!error && hits?.length === 0 && !pending && (
          <p className="search-message">
            Aucun foyer ne correspond à « {text.trim()} ». <kbd>Alt+N</kbd> pour créer un nouveau foyer.
          </p>
        )}
        <ul role="listbox" id={LIST_ID} aria-label="Foyers trouvés" className="search-results">
          {(showList ? (hits ?? []) : []).map((hit, i) => {
            const person = matchedPerson(hit);
            return (
              <li
                key={hit.householdId}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                className="hit"
                onMouseDown={(e) => e.preventDefault()}
                onMouseMove={() => setActive(i)}
                onClick={() => choose(hit)}
              >
                <span className="hit-name">{hit.householdName}</span>
                {person && (
                  <span className="hit-person">
                    {person.label} <span className="hit-role">{SEARCH_KINDS[person.kind]}</span>
                  </span>
                )}
                <span className="hit-summary">{hit.summary}</span>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
