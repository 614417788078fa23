import { useEffect, useRef, useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { Section } from '../family/section.tsx';
import { checker, hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { TextField } from '../forms/fields.tsx';
import { invalid, refused, saved } from '../forms/save-result.ts';
import { formatShortDate } from '../../../shared/dates.ts';

type Retention = OutputOf<'privacy.retention'>;

/**
 * « Données personnelles »: children who left more than N years ago (3 by default, CNIL), shown first (dry
 * run), then anonymised after a confirmation. Invoices and receipts stay: they are kept 10 years.
 */
export function PrivacySection() {
  const api = useCounter();
  const announce = useAnnounce();
  const [years, setYears] = useState('3');
  const [preview, setPreview] = useState<Retention | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function dryRun() {
    const check = checker();
    const n = check.integer('years', years);
    if (hasErrors(check.errors)) return invalid(check.errors);
    const r = await api.invoke('privacy.retention', { dryRun: true, years: n });
    if (!r.ok) return refused(r.error);
    setPreview(r.data);
    setConfirming(false);
    setDone(null);
    announce(
      r.data.children.length === 0
        ? 'Aucun enfant à anonymiser.'
        : `${r.data.children.length} enfant${r.data.children.length > 1 ? 's' : ''} à anonymiser.`,
    );
    return saved;
  }

  async function anonymise() {
    if (!preview) return;
    const r = await api.invoke('privacy.retention', { dryRun: false, years: preview.years });
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    const message = `${r.data.anonymised} enfant${r.data.anonymised > 1 ? 's' : ''} anonymisé${r.data.anonymised > 1 ? 's' : ''}.`;
    setDone(message);
    setError(null);
    setPreview(null);
    setConfirming(false);
    announce(message);
  }

  return (
    <Section title="Données personnelles">
      <p className="muted">
        Les enfants partis depuis plus longtemps que la durée choisie sont anonymisés : nom, prénom, date de
        naissance, école et informations de santé sont effacés ; les factures et encaissements restent
        conservés 10 ans. La date de départ d’un enfant se saisit dans son dossier (« Date de départ »).
        L’export des données d’un foyer (droit d’accès) est dans son dossier.
      </p>
      <EditForm label="Enfants à anonymiser" onSave={dryRun} saveLabel="Voir les enfants concernés">
        <div className="field-grid">
          <TextField
            name="years"
            label="Années depuis le départ"
            size="m"
            inputMode="numeric"
            value={years}
            onChange={setYears}
          />
        </div>
      </EditForm>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {preview && (
        <div className="retention-preview" data-testid="retention-preview">
          <h3 className="sub-title">
            Partis le {formatShortDate(preview.leftBefore)} ou avant : {preview.children.length} enfant
            {preview.children.length > 1 ? 's' : ''}
          </h3>
          {preview.children.length === 0 ? (
            <p className="muted">Aucun enfant à anonymiser.</p>
          ) : (
            <>
              <table className="grid">
                <thead>
                  <tr>
                    <th scope="col">Enfant</th>
                    <th scope="col">Parti le</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.children.map((c) => (
                    <tr key={c.childId}>
                      <th scope="row">{c.name}</th>
                      <td className="nowrap">{formatShortDate(c.leftOn)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {!confirming ? (
                <p>
                  <button type="button" className="danger" onClick={() => setConfirming(true)}>
                    Anonymiser
                  </button>
                </p>
              ) : (
                <ConfirmAnonymise
                  count={preview.children.length}
                  onConfirm={() => void anonymise()}
                  onCancel={() => setConfirming(false)}
                />
              )}
            </>
          )}
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Section>
  );
}

/** The second, deliberate press: it takes the focus; Échap or « Annuler » backs out. */
function ConfirmAnonymise({
  count,
  onConfirm,
  onCancel,
}: {
  count: number;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <div
      className="confirm"
      role="group"
      aria-label="Confirmation"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <p>
        Anonymiser {count} enfant{count > 1 ? 's' : ''} ? Cela ne peut pas être annulé.
      </p>
      <div className="form-actions">
        <button type="button" className="danger" ref={confirmRef} onClick={onConfirm}>
          Confirmer l’anonymisation
        </button>
        <button type="button" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </div>
  );
}
