import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import type { HouseholdFile } from '../../../core/family/read.ts';
import { useAnnounce } from '../announcer.tsx';
import { IssuedInvoice, type IssuedInvoiceData } from '../billing/issued-invoice.tsx';
import { useCounter } from '../counter-context.ts';
import { NotGiven } from '../family/facts.tsx';
import { Section } from '../family/section.tsx';
import { useEditing } from '../family/use-editing.ts';
import { enrolmentStatusLabel } from '../labels.ts';
import { useQuery } from '../use-query.ts';
import { EnrolForm } from './enrol-form.tsx';
import './enrolment.css';

type EnrolmentList = OutputOf<'enrolment.list'>;
type YearFile = EnrolmentList['files'][number];
type Enrolment = EnrolmentList['enrolments'][number];

/** The current school year first, then the years to come, then past ones (newest first). */
export function orderYears<T extends { schoolYear: string }>(files: readonly T[], current: string): T[] {
  const rank = (y: string) => (y === current ? 0 : y > current ? 1 : 2);
  return [...files].sort((a, b) => {
    const r = rank(a.schoolYear) - rank(b.schoolYear);
    if (r !== 0) return r;
    return rank(a.schoolYear) === 1
      ? a.schoolYear.localeCompare(b.schoolYear)
      : b.schoolYear.localeCompare(a.schoolYear);
  });
}

/**
 * The Inscriptions tab: per school year, the family file's checklist (an enrolment is validated only once the
 * file of that year is complete) and each child's enrolments; then « Inscrire » for a new one.
 */
export function EnrolmentPanel({ file }: { file: HouseholdFile }) {
  const list = useQuery('enrolment.list', { householdId: file.id });
  const activities = useQuery('activities.list', {});
  const { editing, open, close } = useEditing();
  const [issued, setIssued] = useState<IssuedInvoiceData | null>(null);

  if (list.error && !list.data) return <p className="page-error">{list.error}</p>;
  if (!list.data || !activities.data) return <p className="muted">Chargement des inscriptions…</p>;
  const data = list.data;
  const years = orderYears(data.files, data.currentSchoolYear);

  return (
    <div className="enrolments">
      <Section
        title="Inscrire un enfant"
        actions={
          editing !== 'enrol' && (
            <button
              type="button"
              className="primary"
              data-focus-key="enrol"
              onClick={() => {
                setIssued(null);
                open('enrol');
              }}
            >
              Inscrire…
            </button>
          )
        }
      >
        {editing === 'enrol' ? (
          <EnrolForm
            file={file}
            activities={activities.data}
            currentSchoolYear={data.currentSchoolYear}
            onDone={(invoice) => {
              setIssued(invoice);
              close();
              list.reload();
            }}
            onCancel={close}
          />
        ) : (
          <>
            {issued && <IssuedInvoice invoice={issued} />}
            <p className="muted">
              Une inscription (enfant, activité, année scolaire, site, groupe) précède toute réservation. Elle
              reste en attente tant que le dossier de l’année est incomplet.
            </p>
          </>
        )}
      </Section>
      {years.map((year) => (
        <YearCard
          key={year.schoolYear}
          householdId={file.id}
          year={year}
          current={year.schoolYear === data.currentSchoolYear}
          enrolments={data.enrolments.filter((e) => e.schoolYear === year.schoolYear)}
          reload={list.reload}
        />
      ))}
    </div>
  );
}

function YearCard({
  householdId,
  year,
  current,
  enrolments,
  reload,
}: {
  householdId: string;
  year: YearFile;
  current: boolean;
  enrolments: Enrolment[];
  reload: () => void;
}) {
  const complete = year.missing.length === 0;
  return (
    <Section title={`Année scolaire ${year.schoolYear}${current ? ' (en cours)' : ''}`}>
      <div className="year">
        <FileChecklist householdId={householdId} year={year} reload={reload} />
        <div>
          <h3 className="sub-title">Inscriptions</h3>
          {enrolments.length === 0 ? (
            <p className="muted">Aucune inscription pour {year.schoolYear}.</p>
          ) : (
            <table className="grid">
              <thead>
                <tr>
                  {['Enfant', 'Activité', 'Site', 'Groupe', 'Statut'].map((c) => (
                    <th scope="col" key={c}>
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {enrolments.map((e) => (
                  <tr key={e.id} data-testid="enrolment-row">
                    <th scope="row">{e.childFirstName}</th>
                    <td>{e.activityName}</td>
                    <td>{e.siteName ?? <span className="muted">Tous les sites</span>}</td>
                    <td>{e.groupName ?? <NotGiven />}</td>
                    <td>
                      {e.status === 'validated' ? (
                        <span className="status status-ok">{enrolmentStatusLabel(e.status)}</span>
                      ) : (
                        <>
                          <span className="status status-warn">{enrolmentStatusLabel(e.status)}</span>
                          {!complete && (
                            <span className="status-detail">
                              manque : {year.missing.map((m) => m.label.toLowerCase()).join(', ')}
                            </span>
                          )}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </Section>
  );
}

/** The documents of the year, ticked as they are handed in; the last one validates the pending enrolments. */
function FileChecklist({
  householdId,
  year,
  reload,
}: {
  householdId: string;
  year: YearFile;
  reload: () => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const [error, setError] = useState<string | null>(null);
  const missing = new Set(year.missing.map((m) => m.code));
  // A ticked box shows ticked at once; it stands until the file comes back changed (or the core refuses).
  const basis = year.missing.map((m) => m.code).join(',');
  const [optimistic, setOptimistic] = useState<{ basis: string; checked: Record<string, boolean> }>({
    basis: '',
    checked: {},
  });
  const isChecked = (code: string) =>
    optimistic.basis === basis && code in optimistic.checked ? optimistic.checked[code] : !missing.has(code);

  async function toggle(code: string, label: string, checked: boolean) {
    setOptimistic((o) => ({ basis, checked: { ...(o.basis === basis ? o.checked : {}), [code]: checked } }));
    const r = await api.invoke('enrolment.checkDocument', {
      householdId,
      schoolYear: year.schoolYear,
      item: code,
      checked,
    });
    if (!r.ok) {
      setOptimistic({ basis: '', checked: {} });
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    setError(null);
    const validated = r.data.validatedEnrolments;
    announce(
      `${label} : ${checked ? 'reçue' : 'à fournir'}.` +
        (r.data.missing.length === 0
          ? ' Dossier complet.'
          : ` ${r.data.missing.length} pièce(s) manquante(s).`) +
        (validated > 0 ? ` ${validated} inscription(s) validée(s).` : ''),
    );
    reload();
  }

  const headingId = `file-${year.schoolYear}`;

  return (
    <fieldset className="checklist" aria-labelledby={headingId} aria-describedby={`${headingId}-state`}>
      <legend id={headingId} className="sub-title">
        Dossier {year.schoolYear}
      </legend>
      <p id={`${headingId}-state`} className={missing.size === 0 ? 'file-state ok' : 'file-state warn'}>
        {missing.size === 0
          ? 'Dossier complet'
          : `Dossier incomplet : ${missing.size} pièce${missing.size > 1 ? 's' : ''} manquante${missing.size > 1 ? 's' : ''}`}
      </p>
      <ul className="plain">
        {year.required.map((doc) => {
          const id = `doc-${year.schoolYear}-${doc.code}`;
          const checked = isChecked(doc.code) ?? false;
          return (
            <li key={doc.code} className="field-check">
              <input
                id={id}
                type="checkbox"
                checked={checked}
                onChange={(e) => void toggle(doc.code, doc.label, e.target.checked)}
              />
              <label htmlFor={id}>
                {doc.label}
                {!checked && <span className="missing"> — manquante</span>}
              </label>
            </li>
          );
        })}
      </ul>
      {error && <p className="form-error">{error}</p>}
    </fieldset>
  );
}
