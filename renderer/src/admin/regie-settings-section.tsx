import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatEuros } from '../../../shared/money.ts';
import type { PaymentMode } from '../../../shared/payment-modes.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { Facts } from '../family/facts.tsx';
import { Section } from '../family/section.tsx';
import { useEditing } from '../family/use-editing.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { CheckboxField, TextField } from '../forms/fields.tsx';
import { invalid, refused, saved } from '../forms/save-result.ts';
import { centsToInput, parseEuros } from '../money-input.ts';
import { useQuery } from '../use-query.ts';

type Settings = OutputOf<'regie.settings'>;

const AMOUNT = 'Montant en euros attendu, par exemple 300,00.';

/**
 * « Régie »: what the acte constitutif of the régie sets — the payment modes it accepts, the cash limit per
 * payment (300 € by law) and whether the régisseur may override it, the maximum encaisse above which the till
 * warns, and the float a till opens with.
 */
export function RegieSettingsSection() {
  const api = useCounter();
  const announce = useAnnounce();
  const settings = useQuery('regie.settings', {});
  const { editing, open, close } = useEditing();
  const [draft, setDraft] = useState<Draft | null>(null);

  async function save() {
    if (!draft) return invalid({});
    const errors: Record<string, string> = {};
    const cashLimitCents = parseEuros(draft.cashLimit);
    const cashCeilingCents = parseEuros(draft.ceiling);
    const floatCents = draft.float.trim() === '' ? null : parseEuros(draft.float);
    if (cashLimitCents === null) errors.cashLimitCents = AMOUNT;
    if (cashCeilingCents === null) errors.cashCeilingCents = AMOUNT;
    if (draft.float.trim() !== '' && floatCents === null) errors.floatCents = AMOUNT;
    if (draft.modes.length === 0) errors.modes = 'Cochez au moins un mode de paiement.';
    if (Object.keys(errors).length || cashLimitCents === null || cashCeilingCents === null)
      return invalid(errors);
    const r = await api.invoke('regie.saveSettings', {
      modes: draft.modes,
      cashLimitCents,
      cashLimitOverridable: draft.overridable,
      cashCeilingCents,
      floatCents,
    });
    if (!r.ok) return refused(r.error);
    announce('Réglages de la régie enregistrés.');
    close();
    settings.reload();
    return saved;
  }

  if (settings.error && !settings.data) return <p className="page-error">{settings.error}</p>;
  const data = settings.data;
  return (
    <Section
      title="Régie de recettes"
      actions={
        data &&
        !editing && (
          <button
            type="button"
            data-focus-key="regie"
            onClick={() => {
              setDraft(toDraft(data));
              open('regie');
            }}
          >
            Modifier les réglages de la régie
          </button>
        )
      }
    >
      {!data ? (
        <p className="muted">Chargement…</p>
      ) : (
        <>
          <div data-testid="regie-settings">
            <Facts
              items={[
                [
                  'Modes de paiement acceptés',
                  data.allModes
                    .filter((m) => data.modes.includes(m.mode))
                    .map((m) => m.label)
                    .join(' · '),
                ],
                ['Plafond d’un paiement en espèces', formatEuros(data.cashLimitCents)],
                [
                  'Dépassement du plafond',
                  data.cashLimitOverridable ? 'autorisé par le régisseur' : 'refusé',
                ],
                ['Encaisse maximale', formatEuros(data.cashCeilingCents)],
                [
                  'Fonds de caisse',
                  data.floatCents === null
                    ? 'non fixé (la caisse propose les espèces comptées à la dernière clôture)'
                    : formatEuros(data.floatCents),
                ],
              ]}
            />
          </div>
          {editing && draft && (
            <EditForm
              label="Réglages de la régie"
              onSave={save}
              onCancel={close}
              saveLabel="Enregistrer les réglages"
            >
              <fieldset className="field-grid">
                <legend>Modes de paiement acceptés</legend>
                {data.allModes.map((m) => (
                  <CheckboxField
                    key={m.mode}
                    name={`modes.${m.mode}`}
                    label={m.label}
                    checked={draft.modes.includes(m.mode)}
                    onChange={(on) =>
                      setDraft({
                        ...draft,
                        modes: on ? [...draft.modes, m.mode] : draft.modes.filter((x) => x !== m.mode),
                      })
                    }
                  />
                ))}
              </fieldset>
              <div className="field-grid">
                <TextField
                  name="cashLimitCents"
                  label="Plafond d’un paiement en espèces (€)"
                  inputMode="decimal"
                  required
                  value={draft.cashLimit}
                  onChange={(v) => setDraft({ ...draft, cashLimit: v })}
                />
                <CheckboxField
                  name="cashLimitOverridable"
                  label="Le régisseur peut autoriser un dépassement"
                  size="l"
                  checked={draft.overridable}
                  onChange={(v) => setDraft({ ...draft, overridable: v })}
                />
                <TextField
                  name="cashCeilingCents"
                  label="Encaisse maximale (€)"
                  inputMode="decimal"
                  required
                  value={draft.ceiling}
                  onChange={(v) => setDraft({ ...draft, ceiling: v })}
                />
                <TextField
                  name="floatCents"
                  label="Fonds de caisse (€)"
                  hint="vide : non fixé"
                  inputMode="decimal"
                  value={draft.float}
                  onChange={(v) => setDraft({ ...draft, float: v })}
                />
              </div>
              {draft.modes.length === 0 && (
                <p className="field-error" data-testid="modes-error">
                  Cochez au moins un mode de paiement.
                </p>
              )}
            </EditForm>
          )}
        </>
      )}
    </Section>
  );
}

interface Draft {
  modes: PaymentMode[];
  cashLimit: string;
  overridable: boolean;
  ceiling: string;
  float: string;
}

const toDraft = (s: Settings): Draft => ({
  modes: [...s.modes],
  cashLimit: centsToInput(s.cashLimitCents),
  overridable: s.cashLimitOverridable,
  ceiling: centsToInput(s.cashCeilingCents),
  float: s.floatCents === null ? '' : centsToInput(s.floatCents),
});
