import { useState } from 'react';
import { formatShortDate, weekdayName } from '../../../shared/dates.ts';
import { useAnnounce } from '../announcer.tsx';
import { checker, hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { CheckboxField, DateField } from '../forms/fields.tsx';
import { invalid, saved } from '../forms/save-result.ts';
import type { Activity, BasketEntry, UnitCode } from './basket.ts';

/**
 * The portals' « vue période »: from one date to another, on the weekdays ticked, for the units ticked (« every
 * Tuesday evening from 1 September to 2 July »). It adds one entry to the basket, whose preview lists each day.
 */
export function PeriodForm({
  activity,
  today,
  onAdd,
}: {
  activity: Activity;
  today: string;
  onAdd: (entry: BasketEntry) => void;
}) {
  const announce = useAnnounce();
  const weekdays = [...new Set(activity.units.flatMap((u) => u.weekdays))].filter((d) => d <= 5).sort();
  const [from, setFrom] = useState(formatShortDate(today));
  const [to, setTo] = useState('');
  const [days, setDays] = useState<number[]>(weekdays);
  const [units, setUnits] = useState<UnitCode[]>(
    activity.units.length === 1 ? [activity.units[0]!.code] : [],
  );

  async function save() {
    const check = checker();
    const isoFrom = check.date('from', from);
    const isoTo = check.date('to', to);
    if (!hasErrors(check.errors) && isoTo < isoFrom) check.errors.to = 'La fin précède le début.';
    if (days.length === 0) check.errors[`weekday-${weekdays[0]}`] = 'Cochez au moins un jour.';
    if (units.length === 0) check.errors[`unit-${activity.units[0]?.code}`] = 'Cochez au moins une unité.';
    if (hasErrors(check.errors)) return invalid(check.errors);
    onAdd({
      kind: 'period',
      action: 'book',
      from: isoFrom,
      to: isoTo,
      weekdays: [...days].sort(),
      unitCodes: activity.units.map((u) => u.code).filter((c) => units.includes(c)),
    });
    announce(`Période du ${formatShortDate(isoFrom)} au ${formatShortDate(isoTo)} ajoutée au panier.`);
    return saved;
  }

  const toggle = <T,>(list: T[], value: T, on: boolean) =>
    on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value);

  return (
    <EditForm
      label="Réserver une période"
      onSave={save}
      saveLabel="Ajouter au panier"
      className="period-form"
    >
      <div className="field-grid">
        <DateField name="from" label="Du" required value={from} onChange={setFrom} />
        <DateField name="to" label="Au" required value={to} onChange={setTo} />
      </div>
      <fieldset className="inline-checks">
        <legend>Jours de la semaine</legend>
        {weekdays.map((d) => (
          <CheckboxField
            key={d}
            name={`weekday-${d}`}
            label={weekdayName(d)}
            checked={days.includes(d)}
            onChange={(on) => setDays((list) => toggle(list, d, on))}
          />
        ))}
      </fieldset>
      {activity.units.length > 1 && (
        <fieldset className="inline-checks">
          <legend>Unités</legend>
          {activity.units.map((u) => (
            <CheckboxField
              key={u.code}
              name={`unit-${u.code}`}
              label={u.label}
              checked={units.includes(u.code)}
              onChange={(on) => setUnits((list) => toggle(list, u.code, on))}
            />
          ))}
        </fieldset>
      )}
      <p className="field-hint">
        Chaque jour de la période est listé dans le panier : réservé, hors délai (majoré, avec motif) ou
        refusé avec sa raison (vacances, jour férié, complet…).
      </p>
    </EditForm>
  );
}
