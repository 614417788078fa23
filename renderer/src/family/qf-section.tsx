import { useState } from 'react';
import type { QfRecord } from '../../../core/family/qf.ts';
import type { QfView } from '../../../core/family/read.ts';
import { formatShortDate, formatShortMonth } from '../../../shared/dates.ts';
import { useCounter } from '../counter-context.ts';
import { useTownClock } from '../town-clock.ts';
import { emptyQf, qfDraft, qfValues, type QfDraft } from '../drafts/qf.ts';
import { QfFields } from '../fieldsets/qf-fields.tsx';
import { hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { CheckboxField } from '../forms/fields.tsx';
import { invalidWithCore } from '../forms/save-result.ts';
import { qfCheckLabel, qfSourceLabel } from '../labels.ts';
import { Section } from './section.tsx';
import type { SectionProps } from './section-props.ts';
import { FormRow, TableHead } from './table-parts.tsx';
import { useEditing } from './use-editing.ts';
import { useFinishSave } from './use-finish-save.ts';

const COLUMNS = ['QF', 'Source', 'Mois d’effet', 'Fin de validité', 'Vérifié'];

/** « CDAP (CAF), 03/12/2026 — Agathe Accueil »: who checked the QF where and when, for the Trésorerie and the CAF. */
export const checkText = (qf: QfRecord): string =>
  qf.checkedVia
    ? `${qfCheckLabel(qf.checkedVia)}, ${qf.checkedOn ? formatShortDate(qf.checkedOn) : '?'}${qf.checkedBy ? ` — ${qf.checkedBy}` : ''}`
    : '—';

export function QfSection({ file, reload }: SectionProps) {
  const api = useCounter();
  const { editing, open, close } = useEditing();
  const finish = useFinishSave(reload, close);
  const { today } = useTownClock();
  const [draft, setDraft] = useState<QfDraft>(() => emptyQf(today));
  // The core asks to confirm a QF taking effect before another (which closes it): the agent ticks the box it says
  // why beside; changing the month withdraws the confirmation.
  const [asked, setAsked] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const inForce = file.currentQf;

  function startEdit(qf: QfView | undefined) {
    setDraft(qf ? qfDraft(qf) : emptyQf(today));
    setAsked(false);
    setConfirmed(false);
    open(qf ? `qf:${qf.id}` : 'qf:new');
  }

  async function save(qf: QfView | undefined) {
    const { values, errors } = qfValues(draft);
    const input = { householdId: file.id, ...values, ...(confirmed ? { confirmEarlier: true } : {}) };
    if (hasErrors(errors))
      return qf
        ? invalidWithCore(api, 'family.updateQf', { ...input, qfId: qf.id }, errors)
        : invalidWithCore(api, 'family.addQf', input, errors);
    const answer = qf
      ? await api.invoke('family.updateQf', { ...input, qfId: qf.id })
      : await api.invoke('family.addQf', input);
    if (!answer.ok && answer.error.field === 'confirmEarlier') setAsked(true);
    return finish(answer, qf ? 'Quotient familial corrigé.' : 'Quotient familial ajouté.');
  }

  function change(patch: Partial<QfDraft>) {
    if (patch.effectiveMonth !== undefined && patch.effectiveMonth !== draft.effectiveMonth) {
      setAsked(false);
      setConfirmed(false);
    }
    setDraft((d) => ({ ...d, ...patch }));
  }

  const form = (qf: QfView | undefined) => (
    <EditForm
      label={qf ? `Corriger le QF de ${formatShortMonth(qf.effectiveMonth)}` : 'Ajouter un quotient familial'}
      onSave={() => save(qf)}
      onCancel={close}
    >
      <QfFields draft={draft} onChange={change} />
      {asked && (
        <CheckboxField
          name="confirmEarlier"
          label="Je confirme ce QF, qui prend effet avant un QF déjà enregistré"
          checked={confirmed}
          onChange={setConfirmed}
        />
      )}
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
                  <td>{validity(qf)}</td>
                  <td>{checkText(qf)}</td>
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

/** The last month a QF prices: its own end, or the month before the next QF, which closed it; else « sans fin ». */
function validity(qf: QfView): string {
  if (qf.validUntil === null) return 'sans fin';
  const until = formatShortMonth(qf.validUntil);
  return qf.validUntil === qf.endMonth ? until : `${until} (QF suivant)`;
}
