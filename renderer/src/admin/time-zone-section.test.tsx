import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { TimeZoneSection } from './time-zone-section.tsx';

const CHOICES = [
  { value: 'Europe/Paris', label: 'France métropolitaine (heure de Paris, UTC+1, UTC+2 en été)' },
  { value: 'Indian/Reunion', label: 'La Réunion (UTC+4)' },
  { value: 'America/Cayenne', label: 'Guyane (UTC−3)' },
] as const;

describe('TimeZoneSection', () => {
  it('shows the town’s zone, changes it through admin.setTimeZone, and has the screens read the clock again', async () => {
    let current: (typeof CHOICES)[number] = CHOICES[0];
    const { api, calls } = fakeCounter({
      'admin.townTimeZone': () => ({
        ok: true,
        data: { timeZone: current.value, label: current.label, choices: [...CHOICES] },
      }),
      'admin.setTimeZone': ({ timeZone }) => {
        current = CHOICES.find((c) => c.value === timeZone) ?? CHOICES[0];
        return { ok: true, data: { timeZone: current.value, label: current.label } };
      },
    });
    const refresh = vi.fn();
    renderWithCounter(<TimeZoneSection />, api, { clock: { refresh } });

    expect((await screen.findByTestId('town-time-zone')).textContent).toBe(CHOICES[0].label);
    fireEvent.click(screen.getByRole('button', { name: 'Modifier le fuseau horaire' }));
    const select = screen.getByRole('combobox', { name: /Fuseau horaire/ });
    expect((select as HTMLSelectElement).value).toBe('Europe/Paris');
    fireEvent.change(select, { target: { value: 'Indian/Reunion' } });
    fireEvent.click(screen.getByRole('button', { name: 'Enregistrer le fuseau horaire' }));

    await waitFor(() => expect(screen.getByTestId('town-time-zone').textContent).toBe('La Réunion (UTC+4)'));
    expect(calls.filter((c) => c.name === 'admin.setTimeZone').map((c) => c.input)).toEqual([
      { timeZone: 'Indian/Reunion' },
    ]);
    expect(refresh).toHaveBeenCalledOnce();
    expect(screen.getByTestId('live-region').textContent).toBe(
      'Fuseau horaire de la commune : La Réunion (UTC+4).',
    );
  });
});
