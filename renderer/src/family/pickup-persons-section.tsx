import { Fragment, useState } from 'react';
import type { PickupPerson } from '../../../core/family/read.ts';
import { useCounter } from '../counter-context.ts';
import {
  emptyPickupPerson,
  pickupPersonDraft,
  pickupPersonValues,
  type PickupPersonDraft,
} from '../drafts/pickup-person.ts';
import { PickupPersonFields } from '../fieldsets/pickup-person-fields.tsx';
import { hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { invalidWithCore } from '../forms/save-result.ts';
import { ConfirmRemove } from './confirm-remove.tsx';
import { NotGiven } from './facts.tsx';
import { Section } from './section.tsx';
import type { SectionProps } from './section-props.ts';
import { FormRow, TableHead } from './table-parts.tsx';
import { useEditing } from './use-editing.ts';
import { useRemoval } from './use-removal.ts';
import { useFinishSave } from './use-finish-save.ts';

const COLUMNS = ['Nom', 'Lien', 'Téléphone'];

export function PickupPersonsSection({ file, reload }: SectionProps) {
  const api = useCounter();
  const { editing, open, close } = useEditing();
  const finish = useFinishSave(reload, close);
  const [draft, setDraft] = useState<PickupPersonDraft>(emptyPickupPerson);
  const removal = useRemoval<string>(reload);

  function startEdit(person: PickupPerson | undefined) {
    setDraft(person ? pickupPersonDraft(person) : emptyPickupPerson());
    removal.cancel();
    open(person ? `pickup:${person.id}` : 'pickup:new');
  }

  async function save(person: PickupPerson | undefined) {
    const { values, errors } = pickupPersonValues(draft);
    const input = { householdId: file.id, pickupPersonId: person?.id, ...values };
    if (hasErrors(errors)) return invalidWithCore(api, 'family.savePickupPerson', input, errors);
    return finish(
      await api.invoke('family.savePickupPerson', input),
      `${values.firstName} ${values.lastName} : personne autorisée enregistrée.`,
    );
  }

  const form = (person: PickupPerson | undefined) => (
    <EditForm
      label={person ? `Modifier ${person.firstName} ${person.lastName}` : 'Ajouter une personne autorisée'}
      onSave={() => save(person)}
      onCancel={close}
    >
      <PickupPersonFields draft={draft} onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))} />
    </EditForm>
  );

  return (
    <Section
      title="Autres personnes autorisées à récupérer les enfants"
      actions={
        editing !== 'pickup:new' && (
          <button type="button" data-focus-key="pickup:new" onClick={() => startEdit(undefined)}>
            Ajouter une personne
          </button>
        )
      }
    >
      {file.pickupPersons.length === 0 ? (
        <p className="muted">Aucune autre personne autorisée.</p>
      ) : (
        <table className="grid">
          <TableHead columns={COLUMNS} />
          <tbody>
            {file.pickupPersons.map((person) =>
              editing === `pickup:${person.id}` ? (
                <FormRow key={person.id} columns={COLUMNS}>
                  {form(person)}
                </FormRow>
              ) : (
                <Fragment key={person.id}>
                  <tr>
                    <th scope="row">
                      {person.firstName} {person.lastName}
                    </th>
                    <td>{person.relationship || <NotGiven />}</td>
                    <td className="nowrap">{person.phone || <NotGiven />}</td>
                    <td className="row-actions">
                      <button
                        type="button"
                        data-focus-key={`pickup:${person.id}`}
                        onClick={() => startEdit(person)}
                      >
                        Modifier <span className="sr-only">{person.firstName}</span>
                      </button>
                      <button
                        type="button"
                        className="quiet"
                        data-focus-key={`pickup-remove:${person.id}`}
                        aria-expanded={removal.pending === person.id}
                        onClick={() => removal.ask(person.id)}
                      >
                        Retirer <span className="sr-only">{person.firstName}</span>
                      </button>
                    </td>
                  </tr>
                  {removal.pending === person.id && (
                    <FormRow columns={COLUMNS}>
                      <ConfirmRemove
                        question={`Retirer ${person.firstName} ${person.lastName} des personnes autorisées ?`}
                        error={removal.error}
                        onConfirm={async () =>
                          removal.finish(
                            await api.invoke('family.removePickupPerson', {
                              householdId: file.id,
                              pickupPersonId: person.id,
                            }),
                            `${person.firstName} ${person.lastName} n’est plus autorisé(e) à récupérer les enfants.`,
                            'pickup:new',
                          )
                        }
                        onCancel={() => removal.cancel(`pickup-remove:${person.id}`)}
                      />
                    </FormRow>
                  )}
                </Fragment>
              ),
            )}
          </tbody>
        </table>
      )}
      {editing === 'pickup:new' && <div className="new-item">{form(undefined)}</div>}
    </Section>
  );
}
