import { useState } from 'react';
import type { QfRecord } from '../../../core/family/qf.ts';
import { formatShortMonth } from '../../../shared/dates.ts';
import { useCounter } from '../counter-context.ts';
import { useTownClock } from '../town-clock.ts';
import { emptyQf, qfDraft, qfValues, type QfDraft } from '../drafts/qf.ts';
import { QfFields } from '../fieldsets/qf-fields.tsx';
import { hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { invalidWithCore } from '../forms/save-result.ts';
import { qfSourceLabel } from '../labels.ts';
import { Section } from './section.tsx';
import type { SectionProps } from './section-props.ts';
import { FormRow, TableHead } from './table-parts.tsx';
import { useEditing } from './use-editing.ts';
import { useFinishSave } from './use-finish-save.ts';

const COLUMNS = ['QF', 'Source', 'Mois d’effet', 'Fin de validité'];

export function QfSection({ file, reload }: SectionProps) {
  const api = useCounter();
  const { editing, open, close } = useEditing();
  const finish = useFinishSave(reload, close);
  const { today } = useTownClock();
  const [draft, setDraft] = useState<QfDraft>(() => emptyQf(today));
  const inForce = file.currentQf;

  function startEdit(qf: QfRecord | undefined) {
    setDraft(qf ? qfDraft(qf) : emptyQf(today));
    open(qf ? `qf:${qf.id}` : 'qf:new');
  }

  async function save(qf: QfRecord | undefined) {
    const { values, errors } = qfValues(draft);
    if (hasErrors(errors))
      return qf
        ? invalidWithCore(api, 'family.updateQf', { householdId: file.id, qfId: qf.id, ...values }, errors)
        : invalidWithCore(api, 'family.addQf', { householdId: file.id, ...values }, errors);
    return qf
      ? finish(
          await api.invoke('family.updateQf', { householdId: file.id, qfId: qf.id, ...values }),
          'Quotient familial corrigé.',
        )
      : finish(
          await api.invoke('family.addQf', { householdId: file.id, ...values }),
          'Quotient familial ajouté.',
        );
  }

  const form = (qf: QfRecord | undefined) => (
    <EditForm
      label={qf ? `Corriger le QF de ${formatShortMonth(qf.effectiveMonth)}` : 'Ajouter un quotient familial'}
      onSave={() => save(qf)}
      onCancel={close}
    >
      <QfFields draft={draft} onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))} />
    </EditForm>
  );

  return (
    <Section
      title="Quotient familial"
      actions={
        editing !== 'qf:new' && (
          <button type="button" data-focus-key="qf:new" onClick={() => startEdit(undefined)}>
            Ajouter un QF
          </button>
        )
      }
    >
      {inForce === null && (
        <p className="notice" data-testid="no-qf">
          Aucun QF en vigueur ce mois-ci : le tarif le plus élevé s’applique.
        </p>
      )}
      {file.qfHistory.length > 0 && (
        <table className="grid">
          <caption className="sr-only">Historique des quotients familiaux, le plus récent en premier</caption>
          <TableHead columns={COLUMNS} />
          <tbody>
            {file.qfHistory.map((qf) =>
              editing === `qf:${qf.id}` ? (
                <FormRow key={qf.id} columns={COLUMNS}>
                  {form(qf)}
                </FormRow>
              ) : (
                <tr
                  key={qf.id}
                  className={qf.id === inForce?.id ? 'in-force' : undefined}
                  data-testid="qf-row"
                >
                  <th scope="row" className="num">
                    {qf.value}
                    {qf.id === inForce?.id && <span className="badge">En vigueur</span>}
                  </th>
                  <td>{qfSourceLabel(qf.source)}</td>
                  <td>{formatShortMonth(qf.effectiveMonth)}</td>
                  <td>{qf.endMonth === null ? 'sans fin' : formatShortMonth(qf.endMonth)}</td>
                  <td className="row-actions">
                    <button type="button" data-focus-key={`qf:${qf.id}`} onClick={() => startEdit(qf)}>
                      Corriger <span className="sr-only">le QF de {formatShortMonth(qf.effectiveMonth)}</span>
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      {editing === 'qf:new' && <div className="new-item">{form(undefined)}</div>}
    </Section>
  );
}
