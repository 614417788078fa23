import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { Section } from '../family/section.tsx';
import { EditForm } from '../forms/edit-form.tsx';
import { SelectField } from '../forms/fields.tsx';
import { useField } from '../forms/form-context.ts';
import { invalid, refused, saved } from '../forms/save-result.ts';
import { useQuery } from '../use-query.ts';
import { formatShortDate } from '../../../shared/dates.ts';

type Overview = OutputOf<'admin.schoolCalendar'>;
type Preview = OutputOf<'admin.previewSchoolCalendar'>;
type Period = Preview['years'][number]['periods'][number];

/** The shell carries at most a million characters per call (electron/main/ipc-contract.ts). */
const SEND_LIMIT = 900_000;

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * The whole national CSV may be larger than one call carries: past the limit, only the header and the lines naming
 * the chosen académie or zone are sent, the others left empty so the core's messages keep the file's line numbers.
 */
export function fitToSend(text: string, area: string): string {
  if (text.length <= SEND_LIMIT || /^\s*BEGIN:VCALENDAR/i.test(text)) return text;
  const word = fold(area).replace(/^la\s+/, '');
  return text
    .split('\n')
    .map((line, i) => (i === 0 || fold(line).includes(word) ? line : ''))
    .join('\n');
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

function countsWords(c: Preview['counts']): string {
  return [
    plural(c.added, 'période ajoutée', 'périodes ajoutées'),
    plural(c.changed, 'modifiée', 'modifiées'),
    plural(c.removed, 'supprimée', 'supprimées'),
    plural(c.unchanged, 'inchangée', 'inchangées'),
  ].join(', ');
}

function ignoredWords(i: Preview['ignored']): string | null {
  const parts = [
    i.teachers ? plural(i.teachers, 'ligne pour les enseignants', 'lignes pour les enseignants') : null,
    i.otherAreas ? plural(i.otherAreas, 'ligne d’une autre académie', 'lignes d’autres académies') : null,
    ...i.otherPopulations.map((p) =>
      plural(p.rows, `ligne « ${p.population} »`, `lignes « ${p.population} »`),
    ),
  ].filter(Boolean);
  return parts.length ? `Non repris : ${parts.join(', ')}.` : null;
}

const lastDayWords = (lastDay: string | null) => (lastDay ? formatShortDate(lastDay) : 'fin non publiée');

const CHANGE_WORDS: Record<Period['change'], string> = {
  added: 'ajoutée',
  changed: 'modifiée',
  removed: 'supprimée',
  unchanged: 'inchangée',
};

const YEAR_STATUS: Record<Preview['years'][number]['status'], string> = {
  new: 'année nouvelle',
  changed: 'année modifiée',
  unchanged: 'sans changement',
};

/**
 * « Calendrier scolaire »: the school holidays come from the ministry's open data. The administrator picks the file
 * (CSV export or the zone's ICS feed) and the town's académie, sees what the import adds and changes, then imports.
 */
export function SchoolCalendarSection() {
  const overview = useQuery('admin.schoolCalendar', {});
  const data = overview.data;
  if (overview.error && !data) return <p className="page-error">{overview.error}</p>;
  if (!data) return <p className="muted">Chargement du calendrier scolaire…</p>;
  return (
    <>
      <Section title="Calendrier scolaire">
        <p className="muted">
          Les vacances scolaires viennent du calendrier officiel du ministère de l’Éducation nationale (jeu de
          données « Le calendrier scolaire », fr-en-calendrier-scolaire, sur data.education.gouv.fr) : son
          export CSV, ou le fichier ICS de votre zone. Le départ en vacances a lieu après la classe du jour
          indiqué et la reprise le matin du jour indiqué : les jours sans classe sont ceux d’entre les deux.
        </p>
        {data.missing.map((year) => (
          <p key={year} className="notice">
            Calendrier scolaire {year} non importé : aucun jour de cette année ne peut être réservé tant qu’il
            ne l’est pas.
          </p>
        ))}
        {data.connected ? (
          <p className="notice">
            Ce poste est relié au serveur central : le calendrier scolaire s’importe sur le serveur et arrive
            ici à la synchronisation.
          </p>
        ) : (
          <ImportForm overview={data} onImported={overview.reload} />
        )}
      </Section>
      <StoredCalendar overview={data} />
    </>
  );
}

function FileField({
  name,
  label,
  hint,
  onFile,
}: {
  name: string;
  label: string;
  hint: string;
  onFile: (file: File | null) => void;
}) {
  const { id, error, errorId, clearError } = useField(name);
  const hintId = `${id}-hint`;
  return (
    <div className="field field-l">
      <span className="field-label">
        <label htmlFor={id}>{label}</label>
      </span>
      <input
        id={id}
        name={name}
        type="file"
        accept=".csv,.ics,text/csv,text/calendar"
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, error ? errorId : ''].filter(Boolean).join(' ')}
        onChange={(e) => {
          clearError();
          onFile(e.target.files?.[0] ?? null);
        }}
      />
      <span id={hintId} className="field-hint">
        {hint}
      </span>
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

function ImportForm({ overview, onImported }: { overview: Overview; onImported: () => void }) {
  const api = useCounter();
  const announce = useAnnounce();
  // Read as soon as it is picked; the preview waits for the reading if it is not over.
  const [file, setFile] = useState<{ name: string; text: Promise<string> } | null>(null);
  const [area, setArea] = useState(overview.area ?? '');
  const [shown, setShown] = useState<{ preview: Preview; fileText: string; area: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function showChanges() {
    setDone(null);
    setError(null);
    if (!file || !area)
      return invalid({
        ...(file ? {} : { fileText: 'choisissez le fichier du ministère' }),
        ...(area ? {} : { area: 'choisissez l’académie de la commune' }),
      });
    const fileText = fitToSend(await file.text, area);
    if (fileText.length > SEND_LIMIT)
      return invalid({
        fileText:
          'fichier trop volumineux : téléchargez l’export filtré sur votre académie ou le fichier ICS de votre zone',
      });
    const r = await api.invoke('admin.previewSchoolCalendar', { fileText, area });
    if (!r.ok) {
      setShown(null);
      return refused(r.error);
    }
    setShown({ preview: r.data, fileText, area });
    const c = r.data.counts;
    announce(
      c.added + c.changed + c.removed === 0
        ? 'Rien à changer : le calendrier enregistré est déjà celui du fichier.'
        : `Aperçu : ${countsWords(c)}.`,
    );
    return saved;
  }

  async function importShown() {
    if (!shown || busy) return;
    setBusy(true);
    const r = await api.invoke('admin.importSchoolCalendar', {
      fileText: shown.fileText,
      area: shown.area,
      digest: shown.preview.digest,
    });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    const years = r.data.years.map((y) => y.schoolYear).join(', ');
    const message = `Calendrier scolaire importé pour ${r.data.area.name} (${years}) : ${countsWords(r.data.counts)}.`;
    setShown(null);
    setDone(message);
    announce(message);
    onImported();
  }

  const preview = shown?.preview;
  const nothingToDo = preview && preview.counts.added + preview.counts.changed + preview.counts.removed === 0;
  return (
    <>
      <EditForm
        label="Importer le calendrier scolaire"
        onSave={showChanges}
        saveLabel="Voir ce que l’import change"
      >
        <div className="field-grid">
          <FileField
            name="fileText"
            label="Fichier du ministère (CSV ou ICS)"
            hint={
              file
                ? `Fichier choisi : ${file.name}`
                : 'Export CSV (séparateur « ; ») ou fichier ICS de la zone'
            }
            onFile={(f) => {
              setShown(null);
              setFile(f ? { name: f.name, text: f.text() } : null);
            }}
          />
          <SelectField
            name="area"
            label="Académie de la commune"
            size="l"
            value={area}
            onChange={(v) => {
              setShown(null);
              setArea(v);
            }}
            options={[{ value: '', label: 'Choisir l’académie…' }, ...overview.areas]}
          />
        </div>
      </EditForm>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {preview && (
        <div className="calendar-preview" data-testid="calendar-preview">
          <h3 className="sub-title">
            Ce que l’import change : {preview.area.name}
            {preview.area.kind === 'academie' ? ` (${preview.area.zone})` : ''}, fichier{' '}
            {preview.format.toUpperCase()}
          </h3>
          <p>{countsWords(preview.counts)}.</p>
          {ignoredWords(preview.ignored) && <p className="muted">{ignoredWords(preview.ignored)}</p>}
          {preview.years.map((y) => (
            <table key={y.schoolYear} className="grid calendar-year">
              <caption>
                {y.schoolYear} : {YEAR_STATUS[y.status]}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Période</th>
                  <th scope="col">Sans classe du</th>
                  <th scope="col">au</th>
                  <th scope="col">Import</th>
                </tr>
              </thead>
              <tbody>
                {y.periods.map((p) => (
                  <tr key={`${p.name}-${p.firstDay}-${p.change}`}>
                    <th scope="row">{p.name}</th>
                    <td className="nowrap">{formatShortDate(p.firstDay)}</td>
                    <td className="nowrap">{lastDayWords(p.lastDay)}</td>
                    <td>
                      {CHANGE_WORDS[p.change]}
                      {p.before &&
                        ` (avant : du ${formatShortDate(p.before.firstDay)} au ${lastDayWords(p.before.lastDay)})`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
          {nothingToDo ? (
            <p className="muted">Rien à changer : le calendrier enregistré est déjà celui du fichier.</p>
          ) : (
            <div className="form-actions">
              <button
                type="button"
                className="primary"
                aria-disabled={busy}
                onClick={() => void importShown()}
              >
                {busy ? 'Import…' : 'Importer'}
              </button>
              <button type="button" onClick={() => setShown(null)}>
                Annuler
              </button>
            </div>
          )}
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

/** The calendar the bookings follow now, year by year. */
function StoredCalendar({ overview }: { overview: Overview }) {
  return (
    <Section title={overview.area ? `Calendrier enregistré : ${overview.area}` : 'Calendrier enregistré'}>
      {overview.years.length === 0 ? (
        <p className="muted">Aucun calendrier importé : aucun jour ne peut être réservé.</p>
      ) : (
        overview.years.map((y) => (
          <table key={y.schoolYear} className="grid calendar-year" data-testid={`calendar-${y.schoolYear}`}>
            <caption>{y.schoolYear}</caption>
            <thead>
              <tr>
                <th scope="col">Période</th>
                <th scope="col">Sans classe du</th>
                <th scope="col">au</th>
              </tr>
            </thead>
            <tbody>
              {y.holidays.map((h) => (
                <tr key={`${h.name}-${h.firstDay}`}>
                  <th scope="row">{h.name}</th>
                  <td className="nowrap">{formatShortDate(h.firstDay)}</td>
                  <td className="nowrap">{lastDayWords(h.lastDay)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))
      )}
    </Section>
  );
}
