import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { BackupsSection } from './backups-section.tsx';
import { PrivacySection } from './privacy-section.tsx';

describe('PrivacySection', () => {
  it('lists the children due first (dry run), then anonymises them only after a confirmation', async () => {
    const children = [{ childId: 'c1', name: 'Zoé Lefèvre', leftOn: '2022-07-04' }];
    const { api, calls } = fakeCounter({
      'privacy.retention': ({ dryRun, years }) => ({
        ok: true,
        data: { dryRun, years: years ?? 3, leftBefore: '2023-11-23', children, anonymised: dryRun ? 0 : 1 },
      }),
    });
    renderWithCounter(<PrivacySection />, api);
    fireEvent.click(screen.getByRole('button', { name: 'Voir les enfants concernés' }));
    expect(await screen.findByRole('row', { name: /Zoé Lefèvre/ })).toBeTruthy();
    expect(calls.map((c) => c.input)).toEqual([{ dryRun: true, years: 3 }]);

    fireEvent.click(screen.getByRole('button', { name: 'Anonymiser' }));
    expect(calls).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Confirmer l’anonymisation' }));
    await waitFor(() => expect(screen.getAllByText('1 enfant anonymisé.').length).toBeGreaterThan(0));
    expect(calls.map((c) => c.input)).toEqual([
      { dryRun: true, years: 3 },
      { dryRun: false, years: 3 },
    ]);
  });
});

describe('BackupsSection', () => {
  it('lists the backups with date, reason and size, takes one now, and offers to restore each', async () => {
    const backups = [
      {
        file: '/b/guichet-famille-20261123-020000-quotidienne.sqlite',
        name: 'guichet-famille-20261123-020000-quotidienne.sqlite',
        reason: 'quotidienne',
        at: '2026-11-23T02:00:00Z',
        bytes: 1_572_864,
      },
    ];
    const manual = {
      file: '/b/guichet-famille-20261123-100000-manuelle.sqlite',
      name: 'guichet-famille-20261123-100000-manuelle.sqlite',
      reason: 'manuelle',
      at: '2026-11-23T10:00:00Z',
      bytes: 655_360,
    };
    const { api } = fakeCounter({
      'system.backups': () => ({ ok: true, data: { folder: '/b', backups: [...backups] } }),
      'backup.health': () => ({ ok: true, data: { configured: true, failing: null, last: null } }),
      'backup.settings': () => ({
        ok: true,
        data: { folder: '/b', dataDir: '/d', copyDir: null, restored: null, migratedFromProfile: null },
      }),
      'system.backupNow': () => {
        backups.unshift(manual);
        return { ok: true, data: manual };
      },
    });
    renderWithCounter(<BackupsSection />, api);
    const row = await screen.findByRole('row', { name: /quotidienne/ });
    expect(row.textContent).toContain('23/11/2026 03:00');
    expect(row.textContent).toContain('Quotidienne');
    expect(row.textContent).toContain('1,5 Mo');
    // No command line to run on an installed PC: the restore is a button of the list.
    expect(screen.queryByText(/scripts\/restore\.ts/)).toBeNull();
    expect(screen.getByRole('button', { name: `Restaurer ${backups[0]?.name}` })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Sauvegarder maintenant' }));
    expect((await screen.findByRole('row', { name: /manuelle/ })).textContent).toContain('640 ko');
  });
});
