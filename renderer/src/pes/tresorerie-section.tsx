import { useState } from 'react';
import { formatEuros } from '../../../shared/money.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { Facts } from '../family/facts.tsx';
import { Section } from '../family/section.tsx';
import { useEditing } from '../family/use-editing.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { TextField } from '../forms/fields.tsx';
import { invalid, refused, saved } from '../forms/save-result.ts';
import { centsToInput, parseEuros } from '../money-input.ts';
import { useQuery } from '../use-query.ts';

const FIELDS = [
  ['postId', 'Code du poste comptable', 'IdPost, 7 chiffres'],
  ['siret', 'SIRET de la commune', '14 chiffres'],
  ['collectivityCode', 'Code collectivité', 'CodCol'],
  ['budgetCode', 'Code budget', 'CodBud'],
  ['productCode', 'Code produit local', 'CodProdLoc, 4 caractères'],
  ['nature', 'Compte de nature', 'ex. 7067'],
] as const;
type Key = (typeof FIELDS)[number][0];

/**
 * « Trésorerie »: what the public accountant gives the town for its PES V2 exports of titres de recettes, and the
 * recovery minimum (REGIE.md §2: a debtor's debts are grouped and recovered only from that amount).
 */
export function TresorerieSection() {
  const api = useCounter();
  const announce = useAnnounce();
  const settings = useQuery('pes.settings', {});
  const { editing, open, close } = useEditing();
  const [draft, setDraft] = useState<Record<Key | 'minimum', string>>({
    postId: '',
    siret: '',
    collectivityCode: '',
    budgetCode: '',
    productCode: '',
    nature: '',
    minimum: '',
  });

  async function save() {
    const minimumCents = parseEuros(draft.minimum);
    if (minimumCents === null) return invalid({ minimumCents: 'Saisissez un montant en euros, ex. 15,00.' });
    const r = await api.invoke('pes.saveSettings', {
      postId: draft.postId,
      siret: draft.siret,
      collectivityCode: draft.collectivityCode,
      budgetCode: draft.budgetCode,
      productCode: draft.productCode,
      nature: draft.nature,
      minimumCents,
    });
    if (!r.ok) return refused(r.error);
    announce('Réglages de la Trésorerie enregistrés.');
    close();
    settings.reload();
    return saved;
  }

  if (settings.error && !settings.data) return <p className="page-error">{settings.error}</p>;
  const data = settings.data;
  return (
    <Section
      title="Transmission des titres à la Trésorerie (PES V2)"
      actions={
        data &&
        !editing && (
          <button
            type="button"
            data-focus-key="pes-settings"
            onClick={() => {
              setDraft({ ...data, minimum: centsToInput(data.minimumCents) });
              open('pes-settings');
            }}
          >
            Modifier les réglages de la Trésorerie
          </button>
        )
      }
    >
      {!data ? (
        <p className="muted">Chargement…</p>
      ) : (
        <>
          <Facts
            items={[
              ...FIELDS.map(([key, label]) => [label, data[key]] as const),
              [
                'Seuil de recouvrement',
                <span data-testid="pes-minimum">{formatEuros(data.minimumCents)}</span>,
              ],
            ]}
          />
          {editing && (
            <EditForm label="Réglages de la Trésorerie" onSave={save} onCancel={close}>
              <div className="field-grid">
                {FIELDS.map(([key, label, hint]) => (
                  <TextField
                    key={key}
                    name={key}
                    label={label}
                    hint={hint}
                    required
                    value={draft[key]}
                    onChange={(value) => setDraft((d) => ({ ...d, [key]: value }))}
                  />
                ))}
                <TextField
                  name="minimumCents"
                  label="Seuil de recouvrement (€)"
                  hint="15,00 € (article D1611-1 du CGCT)"
                  size="s"
                  inputMode="decimal"
                  required
                  value={draft.minimum}
                  onChange={(minimum) => setDraft((d) => ({ ...d, minimum }))}
                />
              </div>
            </EditForm>
          )}
        </>
      )}
    </Section>
  );
}
