import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import type { TariffData } from '../../../core/pricing/tariff.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { Section } from '../family/section.tsx';
import { useEditing } from '../family/use-editing.ts';
import { checker, hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { DateField, SelectField, TextField } from '../forms/fields.tsx';
import { invalid, refused, saved } from '../forms/save-result.ts';
import { centsToInput, parseEuros } from '../money-input.ts';
import { useQuery } from '../use-query.ts';
import { parseRate, rateText, tariffWords } from './tariff-words.ts';

type Activity = OutputOf<'activities.list'>[number];
type Tariff = OutputOf<'admin.tariffs'>[number];

const STATE_WORDS: Record<Tariff['state'], string> = {
  inForce: 'en vigueur',
  future: 'à venir',
  past: 'remplacé',
};

/**
 * « Tarifs »: an activity's dated tariffs per unit, newest first, and a new tariff from a later date, started from
 * the one in force. A tariff in force is never edited: the days it priced keep their price (RULES.md).
 */
export function TariffsSection({ activities }: { activities: readonly Activity[] }) {
  const [activityId, setActivityId] = useState(activities[0]?.id ?? '');
  const activity = activities.find((a) => a.id === activityId);
  const tariffs = useQuery('admin.tariffs', activity ? { activityId: activity.id } : null);
  const { editing, open, close } = useEditing();
  const unitLabel = (code: string) => activity?.units.find((u) => u.code === code)?.label ?? code;

  return (
    <Section
      title="Tarifs"
      actions={
        activity &&
        !editing && (
          <button type="button" data-focus-key="tariff" onClick={() => open('tariff')}>
            Nouveau tarif… <span className="sr-only">de {activity.name}</span>
          </button>
        )
      }
    >
      <div className="field-grid">
        <div className="field field-l">
          <label htmlFor="tariff-activity">Activité</label>
          <select
            id="tariff-activity"
            value={activityId}
            onChange={(e) => {
              setActivityId(e.target.value);
              close();
            }}
          >
            {activities.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {editing && activity && tariffs.data && (
        <NewTariffForm
          activity={activity}
          tariffs={tariffs.data}
          onDone={() => {
            close();
            tariffs.reload();
          }}
          onCancel={close}
        />
      )}
      {tariffs.data && (
        <table className="grid" data-testid="tariff-history">
          <caption className="sr-only">Tarifs de {activity?.name}, du plus récent au plus ancien</caption>
          <thead>
            <tr>
              <th scope="col">Unité</th>
              <th scope="col">Depuis le</th>
              <th scope="col">État</th>
              <th scope="col">Grille</th>
            </tr>
          </thead>
          <tbody>
            {tariffs.data.map((t) => (
              <tr key={t.id} data-testid="tariff-row" className={t.state === 'past' ? 'muted' : undefined}>
                <th scope="row">{unitLabel(t.unitCode)}</th>
                <td>
                  {formatShortDate(t.validFrom)}
                  {t.validTo ? ` au ${formatShortDate(t.validTo)}` : ''}
                </td>
                <td>{STATE_WORDS[t.state]}</td>
                <td>{tariffWords(t.data)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

interface BracketDraft {
  min: string;
  max: string;
  price: string;
}

interface Draft {
  mode: TariffData['mode'];
  brackets: BracketDraft[];
  noQf: string;
  flat: string;
  rate: string;
  floor: string;
  ceiling: string;
}

function draftOf(data: TariffData | undefined): Draft {
  const empty: Draft = {
    mode: 'brackets',
    brackets: [],
    noQf: '',
    flat: '',
    rate: '',
    floor: '',
    ceiling: '',
  };
  if (!data) return { ...empty, brackets: [{ min: '0', max: '', price: '' }] };
  switch (data.mode) {
    case 'flat':
      return { ...empty, mode: 'flat', flat: centsToInput(data.cents) };
    case 'linear':
      return {
        ...empty,
        mode: 'linear',
        rate: rateText(data.microCentsPerQfPoint),
        floor: centsToInput(data.floor),
        ceiling: centsToInput(data.ceiling),
      };
    case 'brackets':
      return {
        ...empty,
        brackets: data.brackets.map((b) => ({
          min: String(b.min),
          max: b.max === null ? '' : String(b.max),
          price: centsToInput(b.cents),
        })),
        noQf: centsToInput(data.noQf),
      };
  }
}

const AMOUNT = 'Montant en euros attendu, par exemple 3,20.';

function NewTariffForm({
  activity,
  tariffs,
  onDone,
  onCancel,
}: {
  activity: Activity;
  tariffs: readonly Tariff[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const inForce = (code: string) => tariffs.find((t) => t.unitCode === code && t.state === 'inForce');
  const [unitCode, setUnitCode] = useState(activity.units[0]?.code ?? 'day');
  const [from, setFrom] = useState('');
  const [draft, setDraft] = useState<Draft>(() => draftOf(inForce(unitCode)?.data));

  async function save() {
    const check = checker();
    const validFrom = check.date('validFrom', from);
    const errors = check.errors;
    const amount = (name: string, text: string): number => {
      const c = parseEuros(text);
      if (c === null) errors[name] ??= AMOUNT;
      return c ?? 0;
    };
    let data: TariffData;
    if (draft.mode === 'flat') data = { mode: 'flat', cents: amount('data.cents', draft.flat) };
    else if (draft.mode === 'linear') {
      const micro = parseRate(draft.rate);
      if (micro === null) errors['data.microCentsPerQfPoint'] = 'Taux attendu, par exemple 0,36.';
      data = {
        mode: 'linear',
        microCentsPerQfPoint: micro ?? 0,
        floor: amount('data.floor', draft.floor),
        ceiling: amount('data.ceiling', draft.ceiling),
      };
    } else {
      const brackets = draft.brackets.map((b, i) => {
        const min = check.integer(`data.brackets.${i}.min`, b.min);
        const max = b.max.trim() === '' ? null : check.integer(`data.brackets.${i}.max`, b.max);
        if (max !== null && max < min) errors[`data.brackets.${i}.max`] ??= 'Le maximum précède le minimum.';
        const next = draft.brackets[i + 1];
        if (next && max === null)
          errors[`data.brackets.${i}.max`] ??= 'Seule la dernière tranche est ouverte.';
        if (next && max !== null && Number(next.min) !== max + 1)
          errors[`data.brackets.${i + 1}.min`] ??= `La tranche suivante commence à ${max + 1}.`;
        return { min, max, cents: amount(`data.brackets.${i}.cents`, b.price) };
      });
      if (brackets.length === 0) errors['data.brackets'] = 'Au moins une tranche.';
      data = { mode: 'brackets', brackets, noQf: amount('data.noQf', draft.noQf) };
    }
    if (hasErrors(errors)) return invalid(errors);
    const r = await api.invoke('admin.newTariff', { activityId: activity.id, unitCode, validFrom, data });
    if (!r.ok) return refused(r.error);
    const unit = activity.units.find((u) => u.code === unitCode)?.label ?? unitCode;
    announce(`Nouveau tarif de ${activity.name} (${unit}) à partir du ${formatShortDate(validFrom)}.`);
    onDone();
    return saved;
  }

  const setBracket = (i: number, patch: Partial<BracketDraft>) =>
    setDraft({ ...draft, brackets: draft.brackets.map((b, j) => (j === i ? { ...b, ...patch } : b)) });

  return (
    <EditForm
      label="Nouveau tarif"
      onSave={save}
      onCancel={onCancel}
      saveLabel="Enregistrer le nouveau tarif"
    >
      <p className="muted">
        Le tarif en vigueur continue de s’appliquer jusqu’à la veille de la date choisie : un nouveau tarif
        commence demain au plus tôt, et les jours déjà passés gardent leur prix.
      </p>
      <div className="field-grid">
        <SelectField
          name="unitCode"
          label="Unité"
          value={unitCode}
          onChange={(v) => {
            setUnitCode(v);
            setDraft(draftOf(inForce(v)?.data));
          }}
          options={activity.units.map((u) => ({ value: u.code, label: u.label }))}
        />
        <DateField name="validFrom" label="À partir du" required value={from} onChange={setFrom} />
        <SelectField
          name="data.mode"
          label="Calcul"
          value={draft.mode}
          onChange={(v) => setDraft({ ...draftOf(undefined), mode: v })}
          options={[
            { value: 'brackets', label: 'Par tranches de QF' },
            { value: 'linear', label: 'Taux du QF (plancher et plafond)' },
            { value: 'flat', label: 'Tarif unique' },
          ]}
        />
      </div>
      {draft.mode === 'flat' && (
        <div className="field-grid">
          <TextField
            name="data.cents"
            label="Prix (€)"
            size="s"
            inputMode="decimal"
            required
            value={draft.flat}
            onChange={(v) => setDraft({ ...draft, flat: v })}
          />
        </div>
      )}
      {draft.mode === 'linear' && (
        <div className="field-grid">
          <TextField
            name="data.microCentsPerQfPoint"
            label="Taux (% du QF)"
            size="s"
            inputMode="decimal"
            required
            value={draft.rate}
            onChange={(v) => setDraft({ ...draft, rate: v })}
          />
          <TextField
            name="data.floor"
            label="Plancher (€)"
            size="s"
            inputMode="decimal"
            required
            value={draft.floor}
            onChange={(v) => setDraft({ ...draft, floor: v })}
          />
          <TextField
            name="data.ceiling"
            label="Plafond, et prix sans QF (€)"
            size="s"
            inputMode="decimal"
            required
            value={draft.ceiling}
            onChange={(v) => setDraft({ ...draft, ceiling: v })}
          />
        </div>
      )}
      {draft.mode === 'brackets' && (
        <fieldset className="tariff-brackets">
          <legend>Tranches de QF</legend>
          {draft.brackets.map((b, i) => (
            <div className="field-grid" key={i} data-testid="bracket">
              <TextField
                name={`data.brackets.${i}.min`}
                label={`Tranche ${i + 1} : QF de`}
                size="s"
                inputMode="numeric"
                required
                value={b.min}
                onChange={(v) => setBracket(i, { min: v })}
              />
              <TextField
                name={`data.brackets.${i}.max`}
                label={`Tranche ${i + 1} : QF jusqu’à`}
                hint={i === draft.brackets.length - 1 ? 'vide : sans limite' : undefined}
                size="s"
                inputMode="numeric"
                value={b.max}
                onChange={(v) => setBracket(i, { max: v })}
              />
              <TextField
                name={`data.brackets.${i}.cents`}
                label={`Tranche ${i + 1} : prix (€)`}
                size="s"
                inputMode="decimal"
                required
                value={b.price}
                onChange={(v) => setBracket(i, { price: v })}
              />
              {draft.brackets.length > 1 && (
                <button
                  type="button"
                  className="bracket-remove"
                  onClick={() => setDraft({ ...draft, brackets: draft.brackets.filter((_, j) => j !== i) })}
                >
                  Retirer <span className="sr-only">la tranche {i + 1}</span>
                </button>
              )}
            </div>
          ))}
          <div className="form-actions">
            <button
              type="button"
              onClick={() => {
                const last = draft.brackets[draft.brackets.length - 1];
                const next = last && /^\d+$/.test(last.max.trim()) ? String(Number(last.max) + 1) : '';
                setDraft({ ...draft, brackets: [...draft.brackets, { min: next, max: '', price: '' }] });
              }}
            >
              Ajouter une tranche
            </button>
          </div>
          <div className="field-grid">
            <TextField
              name="data.noQf"
              label="Prix sans QF connu (€)"
              size="s"
              inputMode="decimal"
              required
              value={draft.noQf}
              onChange={(v) => setDraft({ ...draft, noQf: v })}
            />
          </div>
        </fieldset>
      )}
    </EditForm>
  );
}
