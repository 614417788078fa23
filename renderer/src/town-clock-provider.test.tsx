import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CounterContext } from './counter-context.ts';
import { fakeCounter } from './test-support.tsx';
import { useTownClock } from './town-clock.ts';
import { CLOCK_REFRESH_MS, TownClockProvider } from './town-clock-provider.tsx';

function Today() {
  const clock = useTownClock();
  return (
    <p data-testid="today">
      {clock.today} {clock.timeZone} {clock.now().toISOString()}
    </p>
  );
}

afterEach(() => {
  vi.useRealTimers();
});

describe('TownClockProvider', () => {
  it('shows the core’s today and zone, and turns to the next day at the town’s midnight, not the PC’s', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const answers = [
      { now: '2026-12-04T19:59:00.000Z', today: '2026-12-04', timeZone: 'Indian/Reunion' as const },
      { now: '2026-12-04T20:00:00.000Z', today: '2026-12-05', timeZone: 'Indian/Reunion' as const },
    ];
    let i = 0;
    const { api } = fakeCounter({
      'system.clock': () => ({
        ok: true,
        data: { ...answers[Math.min(i++, answers.length - 1)]!, timeZoneLabel: 'La Réunion (UTC+4)' },
      }),
    });
    render(
      <CounterContext value={api}>
        <TownClockProvider>
          <Today />
        </TownClockProvider>
      </CounterContext>,
    );
    expect((await screen.findByTestId('today')).textContent).toMatch(
      /^2026-12-04 Indian\/Reunion 2026-12-04T19:59:\d\d\.\d{3}Z$/,
    );
    await act(async () => {
      vi.advanceTimersByTime(CLOCK_REFRESH_MS);
    });
    expect((await screen.findByText(/^2026-12-05 /)).textContent).toMatch(/Indian\/Reunion 2026-12-04T20:00/);
  });

  it('says why when the core does not answer, rather than falling back on the PC’s date', async () => {
    const { api } = fakeCounter({});
    render(
      <CounterContext value={api}>
        <TownClockProvider>
          <Today />
        </TownClockProvider>
      </CounterContext>,
    );
    expect((await screen.findByRole('alert')).textContent).toBe('pas de faux pour system.clock');
    expect(screen.queryByTestId('today')).toBeNull();
  });
});
