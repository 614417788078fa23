import { useState } from 'react';
import { useCounter } from '../counter-context.ts';
import { householdDraft, householdValues, type HouseholdDraft } from '../drafts/household.ts';
import { HouseholdFields } from '../fieldsets/household-fields.tsx';
import { hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { invalidWithCore } from '../forms/save-result.ts';
import { invoiceDeliveryLabel } from '../labels.ts';
import { Facts } from './facts.tsx';
import { Section } from './section.tsx';
import { fullName, payerOptions, type SectionProps } from './section-props.ts';
import { useEditing } from './use-editing.ts';
import { useFinishSave } from './use-finish-save.ts';

export function HouseholdSection({ file, reload }: SectionProps) {
  const api = useCounter();
  const { editing, open, close } = useEditing();
  const finish = useFinishSave(reload, close);
  const [draft, setDraft] = useState<HouseholdDraft>(() => householdDraft(file));
  const payer = file.guardians.find((g) => g.rank === file.payerRank);

  async function save() {
    const { values, errors } = householdValues(draft);
    const input = { householdId: file.id, ...values };
    if (hasErrors(errors)) return invalidWithCore(api, 'family.updateHousehold', input, errors);
    return finish(await api.invoke('family.updateHousehold', input), 'Foyer enregistré.');
  }

  return (
    <Section
      title="Foyer"
      actions={
        editing === null && (
          <button
            type="button"
            data-focus-key="household"
            onClick={() => {
              setDraft(householdDraft(file));
              open('household');
            }}
          >
            Modifier <span className="sr-only">le foyer</span>
          </button>
        )
      }
    >
      {editing === null ? (
        <Facts
          items={[
            ['Nom du foyer', file.name],
            [
              'Adresse',
              (file.addressLine1 || file.addressLine2 || file.postalCode || file.city) && (
                <>
                  {file.addressLine1 && <div>{file.addressLine1}</div>}
                  {file.addressLine2 && <div>{file.addressLine2}</div>}
                  <div>{[file.postalCode, file.city].filter(Boolean).join(' ')}</div>
                </>
              ),
            ],
            ['E-mail', file.email],
            ['Téléphone fixe', file.phoneHome],
            ['Téléphone portable', file.phoneMobile],
            [
              'Payeur',
              payer ? `Responsable ${payer.rank} — ${fullName(payer)}` : `Responsable ${file.payerRank}`,
            ],
            ['Envoi des factures', invoiceDeliveryLabel(file.invoiceDelivery)],
            ['N° allocataire CAF', file.cafNumber],
          ]}
        />
      ) : (
        <EditForm label="Modifier le foyer" onSave={save} onCancel={close}>
          <HouseholdFields
            draft={draft}
            onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))}
            payerOptions={payerOptions(file.guardians)}
          />
        </EditForm>
      )}
    </Section>
  );
}
