import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Home } from '../home.tsx';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { BackupsSection } from './backups-section.tsx';

const NAME = 'guichet-famille-20261203-170000-123-quotidienne.sqlite';
const backup = {
  file: `/d/sauvegardes/${NAME}`,
  name: NAME,
  reason: 'quotidienne',
  at: '2026-12-03T17:00:00.123Z',
  bytes: 2048,
};
const settings = (over = {}) => ({
  ok: true as const,
  data: {
    folder: '/d/sauvegardes',
    dataDir: '/d',
    copyDir: null,
    restored: null,
    migratedFromProfile: null,
    ...over,
  },
});
const healthy = () => ({ ok: true as const, data: { configured: true, failing: null, last: null } });

describe('restoring a backup from Sauvegardes', () => {
  it('checks the chosen backup, then asks the restore and the restart only once confirmed', async () => {
    const { api, calls } = fakeCounter({
      'system.backups': () => ({ ok: true, data: { folder: '/d/sauvegardes', backups: [backup] } }),
      'backup.health': healthy,
      'backup.settings': () => settings(),
      'backup.check': ({ file }) => ({
        ok: true,
        data: { file: `/d/sauvegardes/${file}`, integrity: 'ok', schemaVersion: 11, journalEntries: 42 },
      }),
      'backup.requestRestore': ({ file }) => ({
        ok: true,
        data: { file: `/d/sauvegardes/${file}`, integrity: 'ok', schemaVersion: 11, journalEntries: 42 },
      }),
      'shell.restart': () => ({ ok: true, data: { restarting: true } }),
    });
    renderWithCounter(<BackupsSection />, api);
    fireEvent.click(await screen.findByRole('button', { name: `Restaurer ${NAME}` }));
    fireEvent.click(screen.getByRole('button', { name: 'Vérifier cette sauvegarde' }));
    expect(await screen.findByText(/journal de la régie vérifié \(42 entrées\)/)).toBeTruthy();
    expect(calls.map((c) => c.name)).not.toContain('backup.requestRestore');
    fireEvent.click(screen.getByRole('button', { name: 'Restaurer et redémarrer' }));
    expect(await screen.findByTestId('restarting')).toBeTruthy();
    const asked = calls.filter((c) => c.name !== 'system.backups' && !c.name.startsWith('backup.health'));
    expect(asked.map((c) => [c.name, c.input])).toEqual([
      ['backup.settings', {}],
      ['backup.settings', {}],
      ['backup.check', { file: NAME }],
      ['backup.requestRestore', { file: NAME }],
      ['shell.restart', {}],
    ]);
  });

  it('says why a backup is refused, and restores nothing', async () => {
    const refusal =
      'La sauvegarde copie.sqlite est endommagée (database disk image is malformed) : restauration refusée.';
    const { api, calls } = fakeCounter({
      'system.backups': () => ({ ok: true, data: { folder: '/d/sauvegardes', backups: [] } }),
      'backup.health': healthy,
      'backup.settings': () => settings(),
      'backup.check': () => ({ ok: false, error: { code: 'CONFLICT', message: refusal, field: 'file' } }),
    });
    renderWithCounter(<BackupsSection />, api);
    fireEvent.change(await screen.findByLabelText('Autre sauvegarde (chemin complet)'), {
      target: { value: 'E:\\copie.sqlite' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Vérifier' }));
    expect((await screen.findByRole('alert')).textContent).toBe(refusal);
    expect(screen.queryByRole('button', { name: 'Restaurer et redémarrer' })).toBeNull();
    expect(calls.map((c) => c.name)).not.toContain('backup.requestRestore');
  });

  it('tells the administrator what the last start did: a restore made, the profile’s database moved', async () => {
    const { api } = fakeCounter({
      'system.backups': () => ({ ok: true, data: { folder: '/d/sauvegardes', backups: [] } }),
      'backup.health': healthy,
      'backup.settings': () =>
        settings({
          restored: {
            file: backup.file,
            at: '2026-12-04T09:00:00Z',
            by: 'Administrateur',
            previous: '/d/guichet-famille.sqlite.before-restore',
          },
          migratedFromProfile: {
            from: 'C:\\Users\\agent1\\AppData\\Roaming\\Guichet Famille\\guichet-famille.sqlite',
            to: '/d/guichet-famille.sqlite',
            at: '2026-12-01T08:00:00Z',
          },
        }),
    });
    renderWithCounter(<BackupsSection />, api);
    expect(await screen.findByText(/Base restaurée le 04\/12\/2026 10:00/)).toBeTruthy();
    expect(screen.getByText(/L’ancienne base est gardée de côté/)).toBeTruthy();
    expect(screen.getByText(/La base de ce poste a été déplacée dans le dossier commun/)).toBeTruthy();
  });
});

describe('a failed backup', () => {
  it('shows on the home page, with what failed, until a backup succeeds', async () => {
    const failure = 'Copie de la sauvegarde vers \\\\serveur\\sauvegardes impossible : EACCES.';
    const { api } = fakeCounter({
      'backup.health': () => ({
        ok: true,
        data: {
          configured: true,
          last: null,
          failing: { at: '2026-12-04T02:00:00Z', reason: 'quotidienne', failure },
        },
      }),
    });
    renderWithCounter(<Home destinations={[]} onGo={() => {}} onOpenFamily={() => {}} />, api);
    const banner = await screen.findByTestId('backup-failure');
    expect(banner.textContent).toContain('04/12/2026 03:00');
    expect(banner.textContent).toContain(failure);
  });

  it('is not shown while backups succeed', async () => {
    const { api, calls } = fakeCounter({ 'backup.health': healthy });
    renderWithCounter(<Home destinations={[]} onGo={() => {}} onOpenFamily={() => {}} />, api);
    await waitFor(() => expect(calls.map((c) => c.name)).toContain('backup.health'));
    expect(screen.queryByTestId('backup-failure')).toBeNull();
  });
});
