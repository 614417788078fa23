import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../../core/api/envelope.ts';
import type { SearchHit } from '../../../core/search/search-families.ts';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { SearchBox } from './search-box.tsx';

const hit = (householdId: string, householdName: string, child: string): SearchHit => ({
  householdId,
  householdName,
  summary: `Parent ${householdName} — enfants : ${child}`,
  matches: [{ kind: 'child', refId: `${householdId}-c`, label: `${child} ${householdName} (CP)` }],
});

const HITS = [hit('h1', 'Martin', 'Zoé'), hit('h2', 'Lefèvre', 'Zoé'), hit('h3', 'Petit', 'Zoé')];

describe('SearchBox', () => {
  it('lists families with the matched person and role, and opens the one chosen with ↑/↓ and Entrée', async () => {
    const { api, calls } = fakeCounter({ 'family.search': () => ({ ok: true, data: HITS }) });
    const onOpen = vi.fn();
    renderWithCounter(<SearchBox onOpen={onOpen} />, api);
    const box = screen.getByRole('combobox', { name: /Rechercher/ });

    fireEvent.change(box, { target: { value: 'zoe' } });
    const options = await screen.findAllByRole('option');
    expect(calls).toEqual([{ name: 'family.search', input: { text: 'zoe', limit: 20 } }]);
    expect(options.map((o) => o.textContent)).toEqual([
      'MartinZoé Martin (CP) enfantParent Martin — enfants : Zoé',
      'LefèvreZoé Lefèvre (CP) enfantParent Lefèvre — enfants : Zoé',
      'PetitZoé Petit (CP) enfantParent Petit — enfants : Zoé',
    ]);
    expect(box.getAttribute('aria-expanded')).toBe('true');
    expect(box.getAttribute('aria-activedescendant')).toBe(options[0]!.id);

    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' }); // wraps to the first
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(box.getAttribute('aria-activedescendant')).toBe(options[1]!.id);
    expect(options[1]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    expect(options[2]!.getAttribute('aria-selected')).toBe('true');

    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith('h3');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByTestId('live-region').textContent).toBe('3 foyers trouvés.');
  });

  it('drops an answer that arrives after the answer to a later keystroke', async () => {
    const pending = new Map<string, (e: Envelope<SearchHit[]>) => void>();
    const { api } = fakeCounter({
      'family.search': ({ text }) => new Promise((resolve) => pending.set(text, resolve)),
    });
    renderWithCounter(<SearchBox onOpen={() => {}} />, api);
    const box = screen.getByRole('combobox');

    fireEvent.change(box, { target: { value: 'le' } });
    await waitFor(() => expect(pending.has('le')).toBe(true));
    fireEvent.change(box, { target: { value: 'lef' } });
    await waitFor(() => expect(pending.has('lef')).toBe(true));

    await act(async () => pending.get('lef')!({ ok: true, data: [HITS[1]!] }));
    await act(async () => pending.get('le')!({ ok: true, data: HITS }));
    expect(screen.getAllByRole('option').map((o) => o.querySelector('.hit-name')?.textContent)).toEqual([
      'Lefèvre',
    ]);
  });

  it('shows the core’s refusal instead of results', async () => {
    const { api } = fakeCounter({
      'family.search': () => ({
        ok: false,
        error: { code: 'INTERNAL', message: 'Connexion au poste perdue.' },
      }),
    });
    renderWithCounter(<SearchBox onOpen={() => {}} />, api);
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'x' } });
    expect(
      await screen.findByText('Connexion au poste perdue.', { selector: '.search-message' }),
    ).toBeTruthy();
  });
});
