import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { useAnnounce } from '../announcer.tsx';
import { FormContext, type FieldErrors } from './form-context.ts';
import type { SaveResult } from './save-result.ts';

interface EditFormProps {
  /** Accessible name of the form, e.g. « Modifier le foyer ». */
  label: string;
  onSave: () => Promise<SaveResult>;
  onCancel?: () => void;
  saveLabel?: string;
  /** Enter in a field saves. Off for long forms, where Enter would send half a file; Ctrl+Entrée always saves. */
  enterSaves?: boolean;
  /** Escape cancels. Off where one stray key would throw away a long entry. */
  escapeCancels?: boolean;
  className?: string;
  children: ReactNode;
}

const fieldsOf = (form: HTMLFormElement): HTMLElement[] =>
  Array.from(form.elements).filter(
    (e): e is HTMLElement => e instanceof HTMLElement && e.hasAttribute('name'),
  );

/**
 * One form with the counter's editing keys (Escape cancels, Ctrl+Entrée saves), errors beside their field and
 * read out politely. What was typed is never cleared by a refusal.
 */
export function EditForm({
  label,
  onSave,
  onCancel,
  saveLabel = 'Enregistrer',
  enterSaves = true,
  escapeCancels = true,
  className,
  children,
}: EditFormProps) {
  const idPrefix = useId();
  const announce = useAnnounce();
  const formRef = useRef<HTMLFormElement>(null);
  const busyRef = useRef(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);

  const clearError = useCallback(
    (name: string) =>
      setErrors((current) => {
        if (!(name in current)) return current;
        const { [name]: _gone, ...rest } = current;
        return rest;
      }),
    [],
  );
  useEffect(() => {
    // An opened form is for typing into: the first field takes the keyboard.
    if (formRef.current) fieldsOf(formRef.current)[0]?.focus();
  }, []);

  const context = useMemo(() => ({ idPrefix, errors, clearError }), [idPrefix, errors, clearError]);

  async function submit() {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    let result: SaveResult;
    try {
      result = await onSave();
    } catch {
      result = { ok: false, fields: {}, message: 'Erreur inattendue : rien n’a été enregistré. Réessayez.' };
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
    if (result.ok) {
      setErrors({});
      setGeneral(null);
      return;
    }
    // Only fields this form shows get a message beside them; any other refusal is said below the form.
    const visible: FieldErrors = {};
    const spoken: string[] = [];
    let first: HTMLElement | undefined;
    for (const field of formRef.current ? fieldsOf(formRef.current) : []) {
      const name = field.getAttribute('name') ?? '';
      const fieldMessage = result.fields[name];
      if (fieldMessage === undefined) continue;
      visible[name] = fieldMessage;
      spoken.push(`${labelOf(field)} : ${lowerFirst(fieldMessage.replace(/\.$/, ''))}`);
      first ??= field;
    }
    setErrors(visible);
    const count = Object.keys(visible).length;
    const toFix =
      count > 1
        ? `Saisie à compléter : ${count} champs à corriger.`
        : 'Saisie à compléter : un champ à corriger.';
    const message = result.message ?? toFix;
    // What no field of this form shows is said below it; so is how many fields are left to fix, when several are
    // (some may be out of sight); a single refusal of the core beside its field needs no repeat.
    const unseen = Object.keys(result.fields).some((name) => !(name in visible));
    let below: string | null = null;
    if (count === 0 || unseen) below = message;
    else if (count > 1 || result.message === undefined) below = toFix;
    setGeneral(below);
    // A screen reader hears each mistake with its field, as a sighted agent reads them beside the fields.
    announce(
      result.message === undefined && spoken.length
        ? `${toFix.replace(/\.$/, '')} — ${spoken.join(' ; ')}.`
        : message,
    );
    first?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLFormElement>) {
    if (e.key === 'Escape' && onCancel && escapeCancels) {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
      return;
    }
    if (e.key !== 'Enter' || e.altKey || e.shiftKey) return;
    const target = e.target as HTMLElement;
    const inField = target instanceof HTMLInputElement || target instanceof HTMLSelectElement;
    if (e.ctrlKey || e.metaKey || (inField && enterSaves)) {
      e.preventDefault();
      void submit();
    } else if (inField) {
      // No implicit submission: on a long form Enter would otherwise send it unfinished.
      e.preventDefault();
    }
  }

  return (
    <form
      ref={formRef}
      className={className ? `edit-form ${className}` : 'edit-form'}
      aria-label={label}
      aria-busy={busy}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={onKeyDown}
    >
      <FormContext value={context}>{children}</FormContext>
      {general && <p className="form-error">{general}</p>}
      <div className="form-actions">
        <button type="submit" className="primary" aria-disabled={busy}>
          {busy ? 'Enregistrement…' : saveLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Annuler
          </button>
        )}
        <span className="key-hint">
          {enterSaves ? 'Entrée' : 'Ctrl+Entrée'} : {saveLabel.toLowerCase()}
          {onCancel && escapeCancels ? ' · Échap : annuler' : ''}
        </span>
      </div>
    </form>
  );
}

/** The field's visible label, without the mark of a required field. */
function labelOf(field: HTMLElement): string {
  const label =
    (field as HTMLInputElement).labels?.[0]?.textContent ?? field.getAttribute('aria-label') ?? '';
  return label.replace(/\s*\*\s*$/, '').trim();
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
