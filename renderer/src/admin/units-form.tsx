import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import type { Weekday } from '../../../shared/calendar.ts';
import { WEEKDAY_NAMES } from '../../../shared/dates.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { checker, hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { CheckboxField, TextField } from '../forms/fields.tsx';
import { invalidWithCore, refused, saved } from '../forms/save-result.ts';
import { useQuery } from '../use-query.ts';

type Activity = OutputOf<'activities.list'>[number];

const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

/**
 * An activity's units (their name and the weekdays they run) and the sites it takes place at, saved through
 * admin.saveActivity with the rest of the activity unchanged. The opening calendar then follows.
 */
export function UnitsForm({
  activity,
  sort,
  onDone,
}: {
  activity: Activity;
  sort: number;
  onDone: () => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const all = useQuery('admin.sites', {});
  const [units, setUnits] = useState(() => activity.units.map((u) => ({ ...u, weekdays: [...u.weekdays] })));
  const [siteIds, setSiteIds] = useState<string[]>(() => activity.sites.map((s) => s.id));

  async function save() {
    const check = checker();
    const input = {
      activityId: activity.id,
      code: activity.code,
      name: activity.name,
      kind: activity.kind,
      sort,
      settings: activity.settings,
      units: units.map((u, i) => ({
        unitId: u.id,
        code: u.code,
        label: check.text(`units.${i}.label`, u.label, true),
        weekdays: [...u.weekdays].sort(),
      })),
      siteIds,
      groups: activity.groups.map((g) => ({ groupId: g.id, name: g.name, places: g.places })),
    };
    units.forEach((u, i) => {
      if (u.weekdays.length === 0) check.errors[`units.${i}.weekdays`] = 'Cochez au moins un jour.';
    });
    if (siteIds.length === 0) check.errors.siteIds = 'Cochez au moins un site.';
    if (hasErrors(check.errors)) return invalidWithCore(api, 'admin.saveActivity', input, check.errors);
    const r = await api.invoke('admin.saveActivity', input);
    if (!r.ok) return refused(r.error);
    announce(`Unités et sites de « ${activity.name} » enregistrés.`);
    onDone();
    return saved;
  }

  return (
    <EditForm
      label={`Unités et sites de ${activity.name}`}
      onSave={save}
      onCancel={onDone}
      enterSaves={false}
    >
      {units.map((u, i) => (
        <fieldset key={u.id} className="field-grid" data-testid="unit-fields">
          <legend>Unité {i + 1}</legend>
          <TextField
            name={`units.${i}.label`}
            label={`Nom de l’unité ${i + 1}`}
            required
            maxLength={40}
            value={u.label}
            onChange={(v) => setUnits(units.map((x, j) => (j === i ? { ...x, label: v } : x)))}
          />
          {WEEKDAYS.map((d) => (
            <CheckboxField
              key={d}
              name={`units.${i}.weekdays.${d}`}
              size="s"
              label={`${WEEKDAY_NAMES[d - 1]} (${u.label})`}
              checked={u.weekdays.includes(d)}
              onChange={(on) =>
                setUnits(
                  units.map((x, j) =>
                    j === i
                      ? { ...x, weekdays: on ? [...x.weekdays, d] : x.weekdays.filter((w) => w !== d) }
                      : x,
                  ),
                )
              }
            />
          ))}
          {u.weekdays.length === 0 && <span className="field-error">Cochez au moins un jour.</span>}
        </fieldset>
      ))}
      <fieldset className="field-grid">
        <legend>Sites</legend>
        {(all.data?.sites ?? activity.sites).map((s) => (
          <CheckboxField
            key={s.id}
            name={`siteIds.${s.id}`}
            size="l"
            label={s.name}
            checked={siteIds.includes(s.id)}
            onChange={(on) => setSiteIds(on ? [...siteIds, s.id] : siteIds.filter((x) => x !== s.id))}
          />
        ))}
        {siteIds.length === 0 && <span className="field-error">Cochez au moins un site.</span>}
      </fieldset>
    </EditForm>
  );
}
