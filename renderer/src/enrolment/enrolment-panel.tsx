import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import type { HouseholdFile } from '../../../core/family/read.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { useAnnounce } from '../announcer.tsx';
import { useAuth } from '../auth/auth-context.ts';
import { IssuedInvoice, type IssuedInvoiceData } from '../billing/issued-invoice.tsx';
import { useCounter } from '../counter-context.ts';
import { NotGiven } from '../family/facts.tsx';
import { Section } from '../family/section.tsx';
import { useEditing } from '../family/use-editing.ts';
import { enrolmentStatusLabel } from '../labels.ts';
import { useQuery } from '../use-query.ts';
import { EnrolForm } from './enrol-form.tsx';
import { EnrolmentChange, type ChangeKind } from './enrolment-change.tsx';
import './enrolment.css';

type EnrolmentList = OutputOf<'enrolment.list'>;
type YearFile = EnrolmentList['files'][number];
type Enrolment = EnrolmentList['enrolments'][number];
type Activity = OutputOf<'activities.list'>[number];

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
          activities={activities.data ?? []}
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
  activities,
  reload,
}: {
  householdId: string;
  year: YearFile;
  current: boolean;
  enrolments: Enrolment[];
  activities: readonly Activity[];
  reload: () => void;
}) {
  const auth = useAuth();
  const mayChange = auth.can('family.write');
  const [change, setChange] = useState<{ enrolmentId: string; kind: ChangeKind } | null>(null);
  const changing = enrolments.find((e) => e.id === change?.enrolmentId);
  // What an enrolment waits for: its child's own documents first, then the family's.
  const missingFor = (e: Enrolment) => [
    ...(year.children.find((c) => c.childId === e.childId)?.missing ?? []),
    ...year.household,
  ];
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
                  {['Enfant', 'Activité', 'Site', 'Groupe', 'Statut', ...(mayChange ? ['Actions'] : [])].map(
                    (c) => (
                      <th scope="col" key={c}>
                        {c}
                      </th>
                    ),
                  )}
                </tr>
              </thead>
              <tbody>
                {enrolments.map((e) => (
                  <tr key={e.id} data-testid="enrolment-row">
                    <th scope="row">{e.childFirstName}</th>
                    <td>{e.activityName}</td>
                    <td>
                      {e.siteName ?? <span className="muted">Tous les sites</span>}
                      {e.siteChanges.length > 0 && (
                        <span className="status-detail">
                          depuis le {formatShortDate(e.siteChanges.at(-1)!.fromDate)}
                          {e.siteChanges.at(-1)!.previousSiteName &&
                            ` (avant : ${e.siteChanges.at(-1)!.previousSiteName})`}
                        </span>
                      )}
                    </td>
                    <td>{e.groupName ?? <NotGiven />}</td>
                    <td>
                      {e.endsOn ? (
                        <>
                          <span className="status">Terminée le {formatShortDate(e.endsOn)}</span>
                          {e.endReason && <span className="status-detail">{e.endReason}</span>}
                        </>
                      ) : e.status === 'validated' ? (
                        <span className="status status-ok">{enrolmentStatusLabel(e.status)}</span>
                      ) : (
                        <>
                          <span className="status status-warn">{enrolmentStatusLabel(e.status)}</span>
                          {missingFor(e).length > 0 && (
                            <span className="status-detail">
                              manque :{' '}
                              {missingFor(e)
                                .map((m) => m.label.toLowerCase())
                                .join(', ')}
                            </span>
                          )}
                        </>
                      )}
                    </td>
                    {mayChange && (
                      <td className="row-actions">
                        {!e.endsOn && (
                          <>
                            <button
                              type="button"
                              onClick={() => setChange({ enrolmentId: e.id, kind: 'site' })}
                            >
                              Changer de site…{' '}
                              <span className="sr-only">
                                {e.childFirstName}, {e.activityName}
                              </span>
                            </button>
                            <button
                              type="button"
                              onClick={() => setChange({ enrolmentId: e.id, kind: 'end' })}
                            >
                              Terminer…{' '}
                              <span className="sr-only">
                                {e.childFirstName}, {e.activityName}
                              </span>
                            </button>
                          </>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {changing && change && (
            <EnrolmentChange
              key={`${change.enrolmentId}-${change.kind}`}
              enrolment={changing}
              kind={change.kind}
              sites={activities.find((a) => a.id === changing.activityId)?.sites ?? []}
              onDone={() => {
                setChange(null);
                reload();
              }}
              onCancel={() => setChange(null)}
            />
          )}
        </div>
      </div>
    </Section>
  );
}

/**
 * The documents of the year, ticked as they are handed in: the family's own once, each child's own (the fiche
 * sanitaire) per child. The last one in validates the pending enrolments it was holding.
 */
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
  const key = (code: string, childId: string | null) => `${childId ?? ''}|${code}`;
  const missing = new Set([
    ...year.household.map((m) => key(m.code, null)),
    ...year.children.flatMap((c) => c.missing.map((m) => key(m.code, c.childId))),
  ]);
  // A ticked box shows ticked at once; it stands until the file comes back changed (or the core refuses).
  const basis = [...missing].join(',');
  const [optimistic, setOptimistic] = useState<{ basis: string; checked: Record<string, boolean> }>({
    basis: '',
    checked: {},
  });
  const isChecked = (k: string) =>
    optimistic.basis === basis && k in optimistic.checked ? optimistic.checked[k] : !missing.has(k);

  async function toggle(code: string, label: string, childId: string | null, checked: boolean) {
    const k = key(code, childId);
    setOptimistic((o) => ({ basis, checked: { ...(o.basis === basis ? o.checked : {}), [k]: checked } }));
    const r = await api.invoke('enrolment.checkDocument', {
      householdId,
      schoolYear: year.schoolYear,
      item: code,
      ...(childId ? { childId } : {}),
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
  const box = (code: string, label: string, childId: string | null, name: string) => {
    const id = `doc-${year.schoolYear}-${childId ?? 'foyer'}-${code}`;
    const checked = isChecked(key(code, childId)) ?? false;
    return (
      <li key={id} className="field-check">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(e) => void toggle(code, name, childId, e.target.checked)}
        />
        <label htmlFor={id}>
          {label}
          {!checked && <span className="missing"> — manquante</span>}
        </label>
      </li>
    );
  };
  const forHousehold = year.required.filter((d) => d.per === 'household');
  const forChild = year.required.filter((d) => d.per === 'child');

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
      {forHousehold.length > 0 && (
        <>
          <p className="checklist-group">Pièces du foyer</p>
          <ul className="plain">{forHousehold.map((d) => box(d.code, d.label, null, d.label))}</ul>
        </>
      )}
      {forChild.length > 0 &&
        year.children.map((c) => (
          <div key={c.childId}>
            <p className="checklist-group">Pièces de {c.firstName}</p>
            <ul className="plain">
              {forChild.map((d) =>
                box(d.code, `${d.label} de ${c.firstName}`, c.childId, `${d.label} de ${c.firstName}`),
              )}
            </ul>
          </div>
        ))}
      {error && <p className="form-error">{error}</p>}
    </fieldset>
  );
}
