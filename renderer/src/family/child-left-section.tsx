import { useState } from 'react';
import { formatShortDate } from '../../../shared/dates.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { checker, hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { DateField, SelectField } from '../forms/fields.tsx';
import { invalid, refused, saved } from '../forms/save-result.ts';
import { Section } from './section.tsx';
import type { SectionProps } from './section-props.ts';
import { useEditing } from './use-editing.ts';

/**
 * When a child leaves the town's services: the date starts the retention time, after which the administrator
 * anonymises the child (« Données personnelles »). An empty date: the child is still with us.
 */
export function ChildLeftSection({ file }: Pick<SectionProps, 'file'>) {
  const api = useCounter();
  const announce = useAnnounce();
  const { editing, open, close } = useEditing();
  const [childId, setChildId] = useState(file.children[0]?.id ?? '');
  const [leftOn, setLeftOn] = useState('');
  const [last, setLast] = useState<string | null>(null);
  if (file.children.length === 0) return null;

  async function save() {
    const check = checker();
    const iso = leftOn.trim() === '' ? null : check.date('leftOn', leftOn);
    if (hasErrors(check.errors)) return invalid(check.errors);
    const r = await api.invoke('family.setChildLeft', { householdId: file.id, childId, leftOn: iso });
    if (!r.ok) return refused(r.error);
    const child = file.children.find((c) => c.id === childId);
    const summary = `${child?.firstName ?? ''} ${child?.lastName ?? ''} : ${
      iso ? `départ le ${formatShortDate(iso)}` : 'toujours inscrit(e)'
    }`;
    setLast(summary);
    announce(`${summary}.`);
    setLeftOn('');
    close();
    return saved;
  }

  return (
    <Section
      title="Départ d’un enfant"
      actions={
        editing === null && (
          <button type="button" data-focus-key="child-left" onClick={() => open('child-left')}>
            Date de départ
          </button>
        )
      }
    >
      {editing === null ? (
        <p className="muted">
          La date à laquelle un enfant quitte les services : ses données sont anonymisées quelques années
          après (les factures restent conservées).
          {last && (
            <>
              {' '}
              Dernière modification : <strong>{last}</strong>.
            </>
          )}
        </p>
      ) : (
        <EditForm label="Date de départ d’un enfant" onSave={save} onCancel={close}>
          <div className="field-grid">
            <SelectField
              name="childId"
              label="Enfant"
              value={childId}
              onChange={setChildId}
              options={file.children.map((c) => ({ value: c.id, label: `${c.firstName} ${c.lastName}` }))}
            />
            <DateField
              name="leftOn"
              label="Date de départ"
              hint="vide : toujours inscrit"
              value={leftOn}
              onChange={setLeftOn}
            />
          </div>
        </EditForm>
      )}
    </Section>
  );
}
