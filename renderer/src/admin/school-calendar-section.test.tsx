import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeCounter, renderWithCounter } from '../test-support.tsx';
import { fitToSend, SchoolCalendarSection } from './school-calendar-section.tsx';

const HEADER = 'Description;Population;Date de début;Date de fin;Académies;Zones;annee_scolaire';
const row = (academie: string, zone: string, filler: string) =>
  `Vacances de Noël;-;2026-12-18T23:00:00+00:00;2027-01-03T23:00:00+00:00;${academie};${zone};2026-2027${filler}`;

describe('fitToSend', () => {
  it('sends a file that fits as it is', () => {
    const text = [HEADER, row('Lyon', 'Zone A', ''), row('Orléans-Tours', 'Zone B', '')].join('\n');
    expect(fitToSend(text, 'Orléans-Tours')).toBe(text);
  });

  it('keeps, of a file too large for one call, the header and the académie’s lines at their line numbers', () => {
    const pad = ' '.repeat(200);
    const lines = [HEADER];
    for (let i = 0; i < 6000; i++)
      lines.push(row(i % 3 ? 'Lyon' : 'La Réunion', i % 3 ? 'Zone A' : 'Réunion', pad));
    const sent = fitToSend(lines.join('\n'), 'La Réunion').split('\n');
    expect(sent).toHaveLength(lines.length);
    expect(sent[0]).toBe(HEADER);
    expect(sent[1]).toBe(lines[1]);
    expect(sent[2]).toBe('');
    expect(sent[4]).toBe(lines[4]);
    expect(sent.join('\n').length).toBeLessThan(900_000);
  });
});

describe('SchoolCalendarSection', () => {
  it('warns that an unimported school year cannot be booked, and hides the import on a linked counter', async () => {
    const overview = {
      area: 'Orléans-Tours',
      connected: true,
      years: [],
      missing: ['2027-2028'],
      areas: [{ value: 'Orléans-Tours', label: 'Orléans-Tours (Zone B)' }],
    };
    const { api } = fakeCounter({ 'admin.schoolCalendar': () => ({ ok: true, data: overview }) });
    renderWithCounter(<SchoolCalendarSection />, api);
    await screen.findByText(
      'Calendrier scolaire 2027-2028 non importé : aucun jour de cette année ne peut être réservé tant qu’il ne l’est pas.',
    );
    expect(screen.getByText(/Ce poste est relié au serveur central/)).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Importer le calendrier scolaire' })).toBeNull();
  });
});
