/** How the sync screens say times and counts: « 14 h 32 », « le 12/09 à 14 h 32 », « 3 opérations ». */

const parisDateTime = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const parts = (iso: string) => {
  const p = parisDateTime.formatToParts(new Date(iso));
  const get = (type: Intl.DateTimeFormatPartTypes) => p.find((x) => x.type === type)?.value ?? '';
  return {
    day: `${get('day')}/${get('month')}`,
    year: get('year'),
    time: `${get('hour')} h ${get('minute')}`,
  };
};

/** « 14 h 32 » today (in the town's time), « le 12/09 à 14 h 32 » another day. */
export function sinceWords(iso: string, now: Date = new Date()): string {
  const at = parts(iso);
  const today = parts(now.toISOString());
  if (at.day === today.day && at.year === today.year) return at.time;
  return `le ${at.day}${at.year === today.year ? '' : `/${at.year}`} à ${at.time}`;
}

/** « le 12/09/2026 à 14 h 32 ». */
export function atWords(iso: string): string {
  const at = parts(iso);
  return `le ${at.day}/${at.year} à ${at.time}`;
}

export const plural = (n: number, one: string, many: string): string =>
  `${n.toLocaleString('fr-FR')} ${n > 1 ? many : one}`;
