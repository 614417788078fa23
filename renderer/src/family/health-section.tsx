import { useEffect, useRef, useState } from 'react';
import type { Child, HouseholdFile } from '../../../core/family/read.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { useField } from '../forms/form-context.ts';
import { refused, saved } from '../forms/save-result.ts';
import { Section } from './section.tsx';

/**
 * « Santé / PAI »: each child's health notes stay hidden until the agent asks for them, and asking is a
 * `health.read` command, which the core logs (who, when, which child). Only for roles with `health`: the page
 * does not even mount this section otherwise, so nothing is fetched.
 */
export function HealthSection({ file }: { file: HouseholdFile }) {
  return (
    <Section title="Santé / PAI">
      <p className="muted health-intro">
        Allergies, traitements, PAI : affichés seulement à la demande. Cette consultation est enregistrée.
      </p>
      {file.children.length === 0 ? (
        <p className="muted">Aucun enfant enregistré.</p>
      ) : (
        <ul className="plain health-list">
          {file.children.map((child) => (
            <ChildHealth key={child.id} child={child} />
          ))}
        </ul>
      )}
    </Section>
  );
}

function ChildHealth({ child }: { child: Child }) {
  const api = useCounter();
  const announce = useAnnounce();
  const [notes, setNotes] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const name = `${child.firstName} ${child.lastName}`;
  // The button pressed goes away: the keyboard moves to what replaces it, never back to the top of the page.
  const editRef = useRef<HTMLButtonElement>(null);
  const [focusEdit, setFocusEdit] = useState(0);
  useEffect(() => {
    if (focusEdit > 0) editRef.current?.focus();
  }, [focusEdit]);

  async function show() {
    setBusy(true);
    const r = await api.invoke('health.read', { childId: child.id });
    setBusy(false);
    if (r.ok) {
      setNotes(r.data.notes);
      setError(null);
      setFocusEdit((n) => n + 1);
    } else {
      setError(r.error.message);
      announce(r.error.message);
    }
  }

  async function save() {
    const text = draft.trim();
    const r = await api.invoke('health.save', { childId: child.id, notes: text });
    if (!r.ok) return refused(r.error);
    setNotes(text);
    setEditing(false);
    setFocusEdit((n) => n + 1);
    announce(`${name} : informations de santé enregistrées.`);
    return saved;
  }

  return (
    <li className="health-child" data-testid={`health-${child.id}`}>
      <div className="health-head">
        <strong>{name}</strong>
        {notes === null ? (
          <button type="button" onClick={() => void show()} aria-disabled={busy}>
            Afficher les informations de santé <span className="sr-only">de {child.firstName}</span>
          </button>
        ) : (
          !editing && (
            <span className="health-buttons">
              <button
                type="button"
                ref={editRef}
                onClick={() => {
                  setDraft(notes);
                  setEditing(true);
                }}
              >
                Modifier <span className="sr-only">les informations de santé de {child.firstName}</span>
              </button>
              <button type="button" onClick={() => setNotes(null)}>
                Masquer <span className="sr-only">les informations de santé de {child.firstName}</span>
              </button>
            </span>
          )
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {notes !== null && !editing && (
        <p className="health-notes" data-testid="health-notes">
          {notes === '' ? <span className="muted">Aucune information de santé.</span> : notes}
        </p>
      )}
      {editing && (
        <EditForm
          label={`Informations de santé de ${name}`}
          onSave={save}
          onCancel={() => {
            setEditing(false);
            setFocusEdit((n) => n + 1);
          }}
          enterSaves={false}
          saveLabel="Enregistrer"
        >
          <NotesField value={draft} onChange={setDraft} />
        </EditForm>
      )}
    </li>
  );
}

function NotesField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { id, error, errorId, clearError } = useField('notes');
  return (
    <div className="field field-l health-field">
      <span className="field-label">
        <label htmlFor={id}>Allergies, traitements, PAI</label>
      </span>
      <textarea
        id={id}
        name="notes"
        rows={4}
        maxLength={2000}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => {
          clearError();
          onChange(e.target.value);
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
