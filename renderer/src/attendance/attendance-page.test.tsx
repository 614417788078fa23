import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { InputOf, OutputOf } from '../../../core/contract.ts';
import { CANTEEN, TODAY } from '../bookings/test-fixtures.ts';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { AttendancePage } from './attendance-page.tsx';

type Sheet = OutputOf<'attendance.sheet'>;
const child = (childId: string, firstName: string, late = false): Sheet['children'][number] => ({
  childId,
  firstName,
  lastName: 'Martin',
  classLevel: 'CP',
  householdName: 'Martin',
  attendance: null,
  late,
  unbooked: false,
});

describe('AttendancePage', () => {
  it('marks each child from the keyboard (P, J, N), moving down the list, with the counts', async () => {
    const children = [
      child('00000000-0000-4000-8000-0000000000b1', 'Inès', true),
      child('00000000-0000-4000-8000-0000000000b2', 'Jules'),
    ];
    const marks: InputOf<'attendance.mark'>[] = [];
    const { api } = fakeCounter({
      'activities.list': () => ({ ok: true, data: [CANTEEN] }),
      'attendance.sheet': () => {
        const list = children.map((c) => ({
          ...c,
          attendance: marks.findLast((m) => m.childId === c.childId)?.status ?? null,
        }));
        return {
          ok: true,
          data: {
            unitLabel: 'Repas',
            places: 180,
            counts: {
              booked: list.length,
              present: list.filter((c) => c.attendance === 'present').length,
              absent: list.filter((c) => c.attendance?.startsWith('absent')).length,
              unmarked: list.filter((c) => c.attendance === null).length,
            },
            children: list,
          },
        };
      },
      'attendance.mark': (input) => {
        marks.push(input);
        return { ok: true, data: { bookingId: 'b', unbooked: false } };
      },
    });
    renderWithCounter(<AttendancePage />, api, { clock: { today: TODAY } });

    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Feuille de pointage' }));
    const ines = within(await screen.findByRole('group', { name: 'Pointage de Inès Martin' }));
    expect(screen.getByRole('row', { name: /Inès Martin/ }).textContent).toContain('réservé hors délai');
    expect(screen.getByTestId('attendance-counts').textContent).toBe(
      'Réservés2Présents0Absents0Non pointés2Places180 (178 libres)',
    );

    const present = ines.getByRole('button', { name: 'Présent' });
    present.focus();
    fireEvent.keyDown(present, { key: 'p' });
    await waitFor(() => expect(present.getAttribute('aria-pressed')).toBe('true'));
    const jules = within(screen.getByRole('group', { name: 'Pointage de Jules Martin' }));
    // The keyboard went on to the next child, on the same choice.
    expect(document.activeElement).toBe(jules.getByRole('button', { name: 'Présent' }));
    fireEvent.keyDown(document.activeElement!, { key: 'n' });
    await waitFor(() =>
      expect(jules.getByRole('button', { name: 'Absent non justifié' }).getAttribute('aria-pressed')).toBe(
        'true',
      ),
    );
    expect(marks).toEqual([
      {
        childId: children[0]!.childId,
        activityId: CANTEEN.id,
        siteId: CANTEEN.sites[0]!.id,
        unitCode: 'meal',
        date: TODAY,
        status: 'present',
      },
      expect.objectContaining({ childId: children[1]!.childId, status: 'absent_unjustified' }),
    ]);
    expect(screen.getByTestId('attendance-counts').textContent).toContain('Présents1Absents1Non pointés0');

    // Pressing the chosen mark again clears it.
    fireEvent.click(present);
    await waitFor(() => expect(present.getAttribute('aria-pressed')).toBe('false'));
    expect(marks.at(-1)).toMatchObject({ childId: children[0]!.childId, status: null });
  });
});
