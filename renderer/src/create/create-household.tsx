import { useEffect, useRef, useState } from 'react';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { useTownClock } from '../town-clock.ts';
import { childValues, emptyChild, type ChildDraft } from '../drafts/child.ts';
import { emptyGuardian, guardianValues, type GuardianDraft } from '../drafts/guardian.ts';
import { emptyHousehold, householdValues, type HouseholdDraft } from '../drafts/household.ts';
import { emptyQf, isBlankQf, qfValues, type QfDraft } from '../drafts/qf.ts';
import { ChildFields } from '../fieldsets/child-fields.tsx';
import { GuardianFields } from '../fieldsets/guardian-fields.tsx';
import { HouseholdFields } from '../fieldsets/household-fields.tsx';
import { QfFields } from '../fieldsets/qf-fields.tsx';
import { hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import type { FieldErrors } from '../forms/form-context.ts';
import { invalidWithCore, refused, saved } from '../forms/save-result.ts';
import { payerOptions } from '../family/section-props.ts';
import './create.css';

interface Props {
  onCreated: (householdId: string) => void;
  onCancel: () => void;
}

interface ChildRow {
  key: number;
  draft: ChildDraft;
}

/** A new family file in one go: household, one or two guardians, the children, and the QF if brought along. */
export function CreateHousehold({ onCreated, onCancel }: Props) {
  const api = useCounter();
  const announce = useAnnounce();
  const [household, setHousehold] = useState<HouseholdDraft>(emptyHousehold);
  const [guardian1, setGuardian1] = useState<GuardianDraft>(() => emptyGuardian());
  const [guardian2, setGuardian2] = useState<GuardianDraft | null>(null);
  const [children, setChildren] = useState<ChildRow[]>(() => [{ key: 0, draft: emptyChild() }]);
  const { today } = useTownClock();
  const [qf, setQf] = useState<QfDraft>(() => emptyQf(today));
  const nextKey = useRef(1);
  const focusAfterRender = useRef<string | null>(null);

  useEffect(() => {
    if (focusAfterRender.current === null) return;
    const key = focusAfterRender.current;
    document.querySelector<HTMLElement>(`[name="${key}"], [data-focus-key="${key}"]`)?.focus();
    focusAfterRender.current = null;
  });

  /** A family name typed once fills the next person's name, which the agent overwrites when it differs. */
  const familyName = () => guardian1.lastName.trim() || household.name.trim();

  function changeHousehold(patch: Partial<HouseholdDraft>) {
    const before = household.name;
    setHousehold((d) => ({ ...d, ...patch }));
    const name = patch.name;
    if (name === undefined) return;
    // Names still equal to the household name follow it as it is typed; one the agent changed is left alone.
    const follow = <T extends { lastName: string }>(p: T): T =>
      p.lastName === before ? { ...p, lastName: name } : p;
    setGuardian1(follow);
    setGuardian2((g) => g && follow(g));
    setChildren((rows) => rows.map((r) => ({ ...r, draft: follow(r.draft) })));
  }

  function addGuardian2() {
    setGuardian2(emptyGuardian(familyName()));
    focusAfterRender.current = 'guardians.1.civility';
  }

  function removeGuardian2() {
    setGuardian2(null);
    setHousehold((h) => ({ ...h, payerRank: '1' }));
    focusAfterRender.current = 'add-guardian-2';
  }

  function addChild() {
    const key = nextKey.current++;
    setChildren((rows) => [...rows, { key, draft: emptyChild(familyName()) }]);
    focusAfterRender.current = `children.${children.length}.firstName`;
  }

  function removeChild(key: number) {
    setChildren((rows) => rows.filter((r) => r.key !== key));
    focusAfterRender.current = 'add-child';
  }

  async function save() {
    const errors: FieldErrors = {};
    const h = householdValues(household);
    const guardians = [guardianValues(guardian1, 1, 'guardians.0.')];
    if (guardian2) guardians.push(guardianValues(guardian2, 2, 'guardians.1.'));
    const kids = children.map((row, i) => childValues(row.draft, today, `children.${i}.`));
    const q = isBlankQf(qf) ? null : qfValues(qf, 'qf.');
    for (const part of [h, ...guardians, ...kids, ...(q ? [q] : [])]) Object.assign(errors, part.errors);
    const input = {
      ...h.values,
      guardians: guardians.map((g) => g.values),
      children: kids.map((k) => k.values),
      qf: q ? q.values : null,
    };
    if (hasErrors(errors)) return invalidWithCore(api, 'family.createHousehold', input, errors);

    const r = await api.invoke('family.createHousehold', input);
    if (!r.ok) return refused(r.error);
    announce(`Foyer ${h.values.name} créé.`);
    onCreated(r.data.householdId);
    return saved;
  }

  const payers = payerOptions([
    { rank: 1, ...guardian1 },
    ...(guardian2 ? [{ rank: 2 as const, ...guardian2 }] : []),
  ]);

  return (
    <div className="create">
      <h1>Nouveau foyer</h1>
      <EditForm
        label="Nouveau foyer"
        onSave={save}
        onCancel={onCancel}
        saveLabel="Créer le foyer"
        enterSaves={false}
        escapeCancels={false}
        className="create-form"
      >
        <fieldset>
          <legend>Foyer</legend>
          <HouseholdFields draft={household} payerOptions={payers} onChange={changeHousehold} />
        </fieldset>

        <fieldset>
          <legend>Responsable 1</legend>
          <GuardianFields
            prefix="guardians.0."
            draft={guardian1}
            onChange={(patch) => setGuardian1((d) => ({ ...d, ...patch }))}
          />
        </fieldset>

        {guardian2 ? (
          <fieldset>
            <legend>Responsable 2</legend>
            <GuardianFields
              prefix="guardians.1."
              draft={guardian2}
              onChange={(patch) => setGuardian2((d) => d && { ...d, ...patch })}
            />
            <button type="button" className="quiet" onClick={removeGuardian2}>
              Retirer le responsable 2
            </button>
          </fieldset>
        ) : (
          <p>
            <button type="button" data-focus-key="add-guardian-2" onClick={addGuardian2}>
              Ajouter un responsable 2
            </button>
          </p>
        )}

        <fieldset>
          <legend>Enfants ({children.length})</legend>
          {children.map((row, i) => (
            <fieldset key={row.key} className="child-row">
              <legend>Enfant {i + 1}</legend>
              <ChildFields
                prefix={`children.${i}.`}
                draft={row.draft}
                onChange={(patch) =>
                  setChildren((rows) =>
                    rows.map((r) => (r.key === row.key ? { ...r, draft: { ...r.draft, ...patch } } : r)),
                  )
                }
              />
              <button type="button" className="quiet" onClick={() => removeChild(row.key)}>
                Retirer l’enfant {i + 1}
              </button>
            </fieldset>
          ))}
          <button type="button" data-focus-key="add-child" onClick={addChild}>
            Ajouter un enfant
          </button>
        </fieldset>

        <fieldset>
          <legend>Quotient familial (facultatif)</legend>
          <QfFields
            prefix="qf."
            required={false}
            draft={qf}
            onChange={(patch) => setQf((d) => ({ ...d, ...patch }))}
          />
        </fieldset>
      </EditForm>
    </div>
  );
}
