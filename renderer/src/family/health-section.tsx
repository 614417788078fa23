import { useEffect, useRef, useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import type { Child, HouseholdFile } from '../../../core/family/read.ts';
import { MEAL_PLAN_LABELS, MEAL_PLANS, type MealPlan } from '../../../shared/health.ts';
import { formatDateTime } from '../../../shared/wall-clock.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { CheckboxField, SelectField, TextField } from '../forms/fields.tsx';
import { useField } from '../forms/form-context.ts';
import { refused, saved } from '../forms/save-result.ts';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';
import { Section } from './section.tsx';

type Record = NonNullable<OutputOf<'health.read'>['record']>;
type Status = OutputOf<'health.status'>[number];

/**
 * « Santé / PAI », the fiche sanitaire of each child (policy: core/health/operations.ts). A role with `health` sees
 * a fiche only when it asks, and asking is a `health.read` command the core logs. A role with `health.write` alone
 * (the counter agent who receives the paper) enters a new fiche in an empty form and learns only that a fiche
 * exists, when and by whom it was entered: the form never shows what an earlier fiche held.
 */
export function HealthSection({ file, mayRead }: { file: HouseholdFile; mayRead: boolean }) {
  const status = useQuery('health.status', { householdId: file.id });
  return (
    <Section title="Santé / PAI">
      <p className="muted health-intro">
        {mayRead
          ? 'Allergies, traitements, PAI : affichés seulement à la demande. Cette consultation est enregistrée.'
          : 'Saisie de la fiche sanitaire remise par la famille. Une fiche déjà saisie ne s’affiche pas ici : chaque saisie enregistre une nouvelle fiche complète.'}
      </p>
      {file.children.length === 0 ? (
        <p className="muted">Aucun enfant enregistré.</p>
      ) : (
        <ul className="plain health-list">
          {file.children.map((child) => (
            <ChildHealth
              key={child.id}
              child={child}
              mayRead={mayRead}
              status={status.data?.find((s) => s.childId === child.id) ?? null}
              onSaved={status.reload}
            />
          ))}
        </ul>
      )}
    </Section>
  );
}

interface Draft {
  pai: boolean;
  allergies: string;
  meal: MealPlan;
  treatment: string;
  doctor: string;
  notes: string;
}

const EMPTY: Draft = { pai: false, allergies: '', meal: 'standard', treatment: '', doctor: '', notes: '' };

function ChildHealth({
  child,
  mayRead,
  status,
  onSaved,
}: {
  child: Child;
  mayRead: boolean;
  status: Status | null;
  onSaved: () => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const { timeZone } = useTownClock();
  const [record, setRecord] = useState<Record | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [draft, setDraft] = useState<Draft | null>(null);
  const name = `${child.firstName} ${child.lastName}`;
  // The button pressed goes away: the keyboard moves to what replaces it, never back to the top of the page.
  const nextRef = useRef<HTMLButtonElement>(null);
  const [focusNext, setFocusNext] = useState(0);
  useEffect(() => {
    if (focusNext > 0) nextRef.current?.focus();
  }, [focusNext]);

  async function show() {
    setBusy(true);
    const r = await api.invoke('health.read', { childId: child.id });
    setBusy(false);
    if (r.ok) {
      setRecord(r.data.record);
      setError(null);
      setFocusNext((n) => n + 1);
    } else {
      setError(r.error.message);
      announce(r.error.message);
    }
  }

  async function save() {
    if (!draft) return saved;
    const r = await api.invoke('health.save', { childId: child.id, ...draft });
    if (!r.ok) return refused(r.error);
    setDraft(null);
    // What a reader sees next is what was just entered; a writer alone sees nothing of it.
    setRecord(undefined);
    onSaved();
    setFocusNext((n) => n + 1);
    announce(`${child.firstName} : fiche sanitaire enregistrée.`);
    return saved;
  }

  const entered = status?.lastRecordedAt
    ? `Fiche saisie le ${formatDateTime(status.lastRecordedAt, timeZone)}${status.lastRecordedBy ? ` par ${status.lastRecordedBy}` : ''}.`
    : status?.earlierNotes
      ? 'Informations de santé saisies avant les fiches datées.'
      : 'Aucune fiche sanitaire saisie.';

  return (
    <li className="health-child" data-testid={`health-${child.id}`}>
      <div className="health-head">
        <strong>{name}</strong>
        {draft === null && (
          <span className="health-buttons">
            {mayRead &&
              (record === undefined ? (
                <button type="button" onClick={() => void show()} aria-disabled={busy}>
                  Afficher les informations de santé <span className="sr-only">de {child.firstName}</span>
                </button>
              ) : (
                <button type="button" onClick={() => setRecord(undefined)}>
                  Masquer <span className="sr-only">les informations de santé de {child.firstName}</span>
                </button>
              ))}
            <button type="button" ref={nextRef} onClick={() => setDraft(EMPTY)}>
              Saisir une nouvelle fiche <span className="sr-only">sanitaire de {child.firstName}</span>
            </button>
          </span>
        )}
      </div>
      <p className="muted health-status">{entered}</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {record !== undefined && draft === null && <FicheView record={record} timeZone={timeZone} />}
      {draft !== null && (
        <EditForm
          label={`Nouvelle fiche sanitaire de ${name}`}
          onSave={save}
          onCancel={() => {
            setDraft(null);
            setFocusNext((n) => n + 1);
          }}
          enterSaves={false}
          escapeCancels={false}
          saveLabel="Enregistrer la fiche"
          className="health-form"
        >
          <div className="field-grid">
            <CheckboxField
              name="pai"
              label="Projet d’accueil individualisé (PAI)"
              checked={draft.pai}
              onChange={(pai) => setDraft({ ...draft, pai })}
            />
            <SelectField
              name="meal"
              label="Repas à la cantine"
              size="l"
              value={draft.meal}
              options={MEAL_PLANS.map((m) => ({ value: m, label: MEAL_PLAN_LABELS[m] }))}
              onChange={(meal) => setDraft({ ...draft, meal })}
            />
            <TextField
              name="allergies"
              label="Allergies"
              size="l"
              maxLength={500}
              value={draft.allergies}
              onChange={(allergies) => setDraft({ ...draft, allergies })}
            />
            <TextArea
              name="treatment"
              label="Traitement, conduite à tenir"
              maxLength={1000}
              value={draft.treatment}
              onChange={(treatment) => setDraft({ ...draft, treatment })}
            />
            <TextField
              name="doctor"
              label="Médecin traitant"
              size="l"
              maxLength={200}
              value={draft.doctor}
              onChange={(doctor) => setDraft({ ...draft, doctor })}
            />
            <TextArea
              name="notes"
              label="Autres informations"
              maxLength={2000}
              value={draft.notes}
              onChange={(notes) => setDraft({ ...draft, notes })}
            />
          </div>
        </EditForm>
      )}
    </li>
  );
}

function FicheView({ record, timeZone }: { record: Record | null; timeZone: string }) {
  if (record === null)
    return (
      <p className="health-notes" data-testid="health-notes">
        <span className="muted">Aucune information de santé.</span>
      </p>
    );
  const rows: [string, string][] = [
    ['PAI', record.pai ? 'oui' : 'non'],
    ['Repas', MEAL_PLAN_LABELS[record.meal]],
    ['Allergies', record.allergies],
    ['Traitement, conduite à tenir', record.treatment],
    ['Médecin traitant', record.doctor],
    ['Autres informations', record.notes],
  ];
  return (
    <div className="health-notes" data-testid="health-notes">
      <dl className="health-fiche">
        {rows
          .filter(([, v]) => v !== '')
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
      {record.recordedAt && (
        <p className="muted">
          Fiche du {formatDateTime(record.recordedAt, timeZone)}
          {record.recordedByName ? `, saisie par ${record.recordedByName}` : ''}
        </p>
      )}
    </div>
  );
}

function TextArea(props: {
  name: string;
  label: string;
  maxLength: number;
  value: string;
  onChange: (v: string) => void;
}) {
  const { id, error, errorId, clearError } = useField(props.name);
  return (
    <div className="field field-l health-field">
      <span className="field-label">
        <label htmlFor={id}>{props.label}</label>
      </span>
      <textarea
        id={id}
        name={props.name}
        rows={3}
        maxLength={props.maxLength}
        value={props.value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => {
          clearError();
          props.onChange(e.target.value);
        }}
      />
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
