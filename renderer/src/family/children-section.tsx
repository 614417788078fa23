import { useState } from 'react';
import type { Child } from '../../../core/family/read.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { useCounter } from '../counter-context.ts';
import { childDraft, childValues, emptyChild, type ChildDraft } from '../drafts/child.ts';
import { ChildFields } from '../fieldsets/child-fields.tsx';
import { hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { invalidWithCore } from '../forms/save-result.ts';
import { classLevelLabel, yesNo } from '../labels.ts';
import { NotGiven } from './facts.tsx';
import { Section } from './section.tsx';
import type { SectionProps } from './section-props.ts';
import { FormRow, TableHead } from './table-parts.tsx';
import { useEditing } from './use-editing.ts';
import { useFinishSave } from './use-finish-save.ts';
import { useTownClock } from '../town-clock.ts';

const COLUMNS = ['Enfant', 'Né(e) le', 'École', 'Classe', 'Droit à l’image'];

export function ChildrenSection({ file, reload }: SectionProps) {
  const api = useCounter();
  const { today } = useTownClock();
  const { editing, open, close } = useEditing();
  const finish = useFinishSave(reload, close);
  const [draft, setDraft] = useState<ChildDraft>(() => emptyChild());

  function startEdit(child: Child | undefined) {
    setDraft(child ? childDraft(child) : emptyChild(file.guardians[0]?.lastName ?? file.name));
    open(child ? `child:${child.id}` : 'child:new');
  }

  async function save(child: Child | undefined) {
    const { values, errors } = childValues(draft, today);
    const input = { householdId: file.id, childId: child?.id, ...values };
    if (hasErrors(errors)) return invalidWithCore(api, 'family.saveChild', input, errors);
    return finish(
      await api.invoke('family.saveChild', input),
      `${values.firstName} ${values.lastName} : enfant enregistré.`,
    );
  }

  const form = (child: Child | undefined) => (
    <EditForm
      label={child ? `Modifier ${child.firstName} ${child.lastName}` : 'Ajouter un enfant'}
      onSave={() => save(child)}
      onCancel={close}
    >
      <ChildFields draft={draft} onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))} />
    </EditForm>
  );

  return (
    <Section
      title={`Enfants (${file.children.length})`}
      actions={
        editing !== 'child:new' && (
          <button type="button" data-focus-key="child:new" onClick={() => startEdit(undefined)}>
            Ajouter un enfant
          </button>
        )
      }
    >
      {file.children.length === 0 ? (
        <p className="muted">Aucun enfant enregistré.</p>
      ) : (
        <table className="grid">
          <TableHead columns={COLUMNS} />
          <tbody>
            {file.children.map((child) =>
              editing === `child:${child.id}` ? (
                <FormRow key={child.id} columns={COLUMNS}>
                  {form(child)}
                </FormRow>
              ) : (
                <tr key={child.id}>
                  <th scope="row">
                    {child.firstName} {child.lastName}
                  </th>
                  <td className="nowrap">{formatShortDate(child.birthDate)}</td>
                  <td>{child.school || <NotGiven />}</td>
                  <td>{classLevelLabel(child.classLevel)}</td>
                  <td>{yesNo(child.imageConsent)}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      data-focus-key={`child:${child.id}`}
                      onClick={() => startEdit(child)}
                    >
                      Modifier <span className="sr-only">{child.firstName}</span>
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      {editing === 'child:new' && <div className="new-item">{form(undefined)}</div>}
    </Section>
  );
}
