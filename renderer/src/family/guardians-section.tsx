import { useState } from 'react';
import type { Guardian } from '../../../core/family/read.ts';
import { useCounter } from '../counter-context.ts';
import { emptyGuardian, guardianDraft, guardianValues, type GuardianDraft } from '../drafts/guardian.ts';
import { GuardianFields } from '../fieldsets/guardian-fields.tsx';
import { hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { invalidWithCore } from '../forms/save-result.ts';
import { yesNo } from '../labels.ts';
import { ConfirmRemove } from './confirm-remove.tsx';
import { Facts } from './facts.tsx';
import { Section } from './section.tsx';
import { fullName, type SectionProps } from './section-props.ts';
import { useEditing } from './use-editing.ts';
import { useRemoval } from './use-removal.ts';
import { useFinishSave } from './use-finish-save.ts';

export function GuardiansSection({ file, reload }: SectionProps) {
  const api = useCounter();
  const { editing, open, close } = useEditing();
  const finish = useFinishSave(reload, close);
  const [draft, setDraft] = useState<GuardianDraft>(() => emptyGuardian());
  const removal = useRemoval<1 | 2>(reload);

  function startEdit(rank: 1 | 2, guardian: Guardian | undefined) {
    setDraft(guardian ? guardianDraft(guardian) : emptyGuardian(file.guardians[0]?.lastName ?? file.name));
    removal.cancel();
    open(`guardian:${rank}`);
  }

  async function save(rank: 1 | 2, guardian: Guardian | undefined) {
    const { values, errors } = guardianValues(draft, rank);
    const input = { householdId: file.id, guardianId: guardian?.id, ...values };
    if (hasErrors(errors)) return invalidWithCore(api, 'family.saveGuardian', input, errors);
    return finish(await api.invoke('family.saveGuardian', input), `Responsable ${rank} enregistré.`);
  }

  return (
    <Section title="Responsables">
      <div className="guardians">
        {([1, 2] as const).map((rank) => {
          const guardian = file.guardians.find((g) => g.rank === rank);
          const key = `guardian:${rank}`;
          return (
            <div className="guardian" key={rank}>
              <div className="sub-head">
                <h3>Responsable {rank}</h3>
                {guardian && editing !== key && (
                  <button type="button" data-focus-key={key} onClick={() => startEdit(rank, guardian)}>
                    Modifier <span className="sr-only">le responsable {rank}</span>
                  </button>
                )}
                {guardian && editing !== key && file.guardians.length > 1 && (
                  <button
                    type="button"
                    className="quiet"
                    data-focus-key={`guardian-remove:${rank}`}
                    aria-expanded={removal.pending === rank}
                    onClick={() => removal.ask(rank)}
                  >
                    Retirer <span className="sr-only">le responsable {rank}</span>
                  </button>
                )}
              </div>
              {editing === key ? (
                <EditForm
                  label={`${guardian ? 'Modifier' : 'Ajouter'} le responsable ${rank}`}
                  onSave={() => save(rank, guardian)}
                  onCancel={close}
                >
                  <GuardianFields draft={draft} onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))} />
                </EditForm>
              ) : guardian ? (
                <>
                  <Facts
                    items={[
                      ['Nom', fullName(guardian)],
                      ['Lien', guardian.relationship],
                      ['Portable', guardian.phoneMobile],
                      ['Professionnel', guardian.phoneWork],
                      ['E-mail', guardian.email],
                      ['Peut récupérer', yesNo(guardian.mayPickUp)],
                    ]}
                  />
                  {removal.pending === rank && (
                    <ConfirmRemove
                      question={`Retirer ${fullName(guardian)} des responsables du foyer ?`}
                      error={removal.error}
                      onConfirm={async () =>
                        removal.finish(
                          await api.invoke('family.removeGuardian', {
                            householdId: file.id,
                            guardianId: guardian.id,
                          }),
                          `${fullName(guardian)} n’est plus responsable du foyer.`,
                          `guardian:${rank}`,
                        )
                      }
                      onCancel={() => removal.cancel(`guardian-remove:${rank}`)}
                    />
                  )}
                </>
              ) : (
                <>
                  <p className="muted">Aucun responsable {rank} enregistré.</p>
                  <button type="button" data-focus-key={key} onClick={() => startEdit(rank, undefined)}>
                    Ajouter le responsable {rank}
                  </button>
                </>
              )}
            </div>
          );
        })}
      </div>
    </Section>
  );
}
