import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { checker, hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { CheckboxField, SelectField, TextField } from '../forms/fields.tsx';
import { invalidWithCore, refused, saved } from '../forms/save-result.ts';
import { WEEKDAY_NAMES, weekdayName } from '../../../shared/dates.ts';

type Activity = OutputOf<'activities.list'>[number];
type Rule = Activity['settings']['bookingDeadline'];
type Kind = Rule['kind'];

const KINDS: { value: Kind; label: string }[] = [
  { value: 'weekdayOfPreviousWeek', label: 'Un jour fixe de la semaine (ex. le jeudi précédent)' },
  { value: 'hoursBefore', label: 'Un nombre d’heures avant le jour' },
  { value: 'workingDaysBefore', label: 'Un nombre de jours ouvrés avant le jour' },
  { value: 'beforePeriodStart', label: 'Avant le début de la semaine ou du mois' },
  { value: 'none', label: 'Sans date limite' },
];

/** A deadline rule as the form holds it: every field as typed, whatever the kind chosen. */
export interface RuleDraft {
  kind: Kind;
  hours: string;
  workingHoursOnly: boolean;
  days: string;
  time: string;
  period: 'month' | 'week';
  workingDays: string;
  byWeekday: Record<string, { weekday: string; weeksBefore: string }>;
}

export function ruleDraft(rule: Rule, serviceDays: readonly number[]): RuleDraft {
  const byWeekday: RuleDraft['byWeekday'] = {};
  for (const d of serviceDays) {
    const set = rule.kind === 'weekdayOfPreviousWeek' ? rule.byWeekday[String(d) as '1'] : undefined;
    byWeekday[String(d)] = {
      weekday: String(set?.weekday ?? (d === 1 ? 4 : Math.max(d - 2, 1))),
      weeksBefore: String(set?.weeksBefore ?? (d <= 2 ? 1 : 0)),
    };
  }
  return {
    kind: rule.kind,
    hours: rule.kind === 'hoursBefore' ? String(rule.hours) : '48',
    workingHoursOnly: rule.kind === 'hoursBefore' ? (rule.workingHoursOnly ?? false) : false,
    days: rule.kind === 'workingDaysBefore' ? String(rule.days) : '5',
    time: 'time' in rule && rule.time ? rule.time : '',
    period: rule.kind === 'beforePeriodStart' ? rule.period : 'week',
    workingDays: rule.kind === 'beforePeriodStart' ? String(rule.workingDays ?? 0) : '0',
    byWeekday,
  };
}

/** The draft back to the contract's rule; `prefix` names the fields (« settings.bookingDeadline. »). */
export function ruleOf(draft: RuleDraft, check: ReturnType<typeof checker>, prefix: string): Rule {
  const time = draft.time.trim() === '' ? undefined : draft.time.trim();
  if (time !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(time))
    check.errors[`${prefix}time`] ??= 'Heure invalide : saisissez hh:mm (ex. 23:59).';
  switch (draft.kind) {
    case 'hoursBefore':
      return {
        kind: 'hoursBefore',
        hours: check.integer(`${prefix}hours`, draft.hours),
        ...(draft.workingHoursOnly ? { workingHoursOnly: true } : {}),
      };
    case 'workingDaysBefore':
      return {
        kind: 'workingDaysBefore',
        days: check.integer(`${prefix}days`, draft.days),
        ...(time ? { time } : {}),
      };
    case 'beforePeriodStart':
      return {
        kind: 'beforePeriodStart',
        period: draft.period,
        workingDays: check.integer(`${prefix}workingDays`, draft.workingDays),
        ...(time ? { time } : {}),
      };
    case 'weekdayOfPreviousWeek':
      return {
        kind: 'weekdayOfPreviousWeek',
        byWeekday: Object.fromEntries(
          Object.entries(draft.byWeekday).map(([d, t]) => [
            d,
            { weekday: Number(t.weekday) as 1, weeksBefore: Number(t.weeksBefore) },
          ]),
        ),
        ...(time ? { time } : {}),
      };
    case 'none':
      return { kind: 'none' };
  }
}

const weekdayOptions = WEEKDAY_NAMES.map((name, i) => ({ value: String(i + 1), label: name }));
const weeksOptions = [
  { value: '0', label: 'de la même semaine' },
  { value: '1', label: 'de la semaine précédente' },
  { value: '2', label: '2 semaines avant' },
  { value: '3', label: '3 semaines avant' },
];

/** One deadline rule's fields, named after the contract's path (`prefix`), shared with the new activity's form. */
export function RuleFields({
  legend,
  prefix,
  draft,
  onChange,
}: {
  legend: string;
  prefix: string;
  draft: RuleDraft;
  onChange: (patch: Partial<RuleDraft>) => void;
}) {
  const time = (
    <TextField
      name={`${prefix}time`}
      label="Heure limite"
      size="s"
      hint="hh:mm, vide : 23:59"
      value={draft.time}
      onChange={(v) => onChange({ time: v })}
      maxLength={5}
    />
  );
  return (
    <fieldset className="rule">
      <legend>{legend}</legend>
      <div className="field-grid">
        <SelectField
          name={`${prefix}kind`}
          label="Règle"
          size="l"
          value={draft.kind}
          onChange={(v) => onChange({ kind: v })}
          options={KINDS}
        />
        {draft.kind === 'hoursBefore' && (
          <>
            <TextField
              name={`${prefix}hours`}
              label="Heures avant le jour"
              size="s"
              inputMode="numeric"
              value={draft.hours}
              onChange={(v) => onChange({ hours: v })}
            />
            <CheckboxField
              name={`${prefix}workingHoursOnly`}
              label="Heures ouvrées seulement"
              checked={draft.workingHoursOnly}
              onChange={(v) => onChange({ workingHoursOnly: v })}
            />
          </>
        )}
        {draft.kind === 'workingDaysBefore' && (
          <>
            <TextField
              name={`${prefix}days`}
              label="Jours ouvrés avant"
              size="s"
              inputMode="numeric"
              value={draft.days}
              onChange={(v) => onChange({ days: v })}
            />
            {time}
          </>
        )}
        {draft.kind === 'beforePeriodStart' && (
          <>
            <SelectField
              name={`${prefix}period`}
              label="Période"
              value={draft.period}
              onChange={(v) => onChange({ period: v })}
              options={[
                { value: 'week', label: 'la semaine' },
                { value: 'month', label: 'le mois' },
              ]}
            />
            <TextField
              name={`${prefix}workingDays`}
              label="Jours ouvrés avant (0 : la veille)"
              size="s"
              inputMode="numeric"
              value={draft.workingDays}
              onChange={(v) => onChange({ workingDays: v })}
            />
            {time}
          </>
        )}
        {draft.kind === 'weekdayOfPreviousWeek' && time}
      </div>
      {draft.kind === 'weekdayOfPreviousWeek' && (
        <div className="by-weekday">
          {Object.entries(draft.byWeekday).map(([d, t]) => (
            <div key={d} className="field-grid">
              <span className="by-weekday-label">Pour le {weekdayName(Number(d))} : le</span>
              <SelectField
                name={`${prefix}byWeekday.${d}`}
                label={`Jour limite (service du ${weekdayName(Number(d))})`}
                value={t.weekday}
                onChange={(v) => onChange({ byWeekday: { ...draft.byWeekday, [d]: { ...t, weekday: v } } })}
                options={weekdayOptions}
              />
              <SelectField
                name={`${prefix}byWeekday.${d}.weeksBefore`}
                label={`Semaine (service du ${weekdayName(Number(d))})`}
                value={t.weeksBefore}
                onChange={(v) =>
                  onChange({ byWeekday: { ...draft.byWeekday, [d]: { ...t, weeksBefore: v } } })
                }
                options={weeksOptions}
              />
            </div>
          ))}
        </div>
      )}
    </fieldset>
  );
}

/**
 * Edits an activity's booking and cancellation deadlines as rules, not JSON: the kinds the seeds need (a fixed
 * weekday, hours before, working days before, before the week or month starts, none). Saved through
 * admin.saveActivity with everything else of the activity unchanged; the card then shows the new wording.
 */
export function DeadlinesForm({
  activity,
  sort,
  onDone,
}: {
  activity: Activity;
  /** Where the activity stands in the list (activities.list gives the order, not the number itself). */
  sort: number;
  onDone: () => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const serviceDays = [...new Set(activity.units.flatMap((u) => u.weekdays))].sort();
  const [booking, setBooking] = useState(() => ruleDraft(activity.settings.bookingDeadline, serviceDays));
  const [cancel, setCancel] = useState(() => ruleDraft(activity.settings.cancelDeadline, serviceDays));
  const [same, setSame] = useState(
    JSON.stringify(activity.settings.bookingDeadline) === JSON.stringify(activity.settings.cancelDeadline),
  );

  async function save() {
    const check = checker();
    const bookingDeadline = ruleOf(booking, check, 'settings.bookingDeadline.');
    const cancelDeadline = same ? bookingDeadline : ruleOf(cancel, check, 'settings.cancelDeadline.');
    const input = {
      activityId: activity.id,
      code: activity.code,
      name: activity.name,
      kind: activity.kind,
      sort,
      settings: { ...activity.settings, bookingDeadline, cancelDeadline },
      units: activity.units.map((u) => ({
        unitId: u.id,
        code: u.code,
        label: u.label,
        weekdays: u.weekdays,
      })),
      siteIds: activity.sites.map((s) => s.id),
      groups: activity.groups.map((g) => ({ groupId: g.id, name: g.name, places: g.places })),
    };
    if (hasErrors(check.errors)) return invalidWithCore(api, 'admin.saveActivity', input, check.errors);
    const r = await api.invoke('admin.saveActivity', input);
    if (!r.ok) return refused(r.error);
    announce(`Délais de « ${activity.name} » enregistrés.`);
    onDone();
    return saved;
  }

  return (
    <EditForm
      label={`Délais de ${activity.name}`}
      onSave={save}
      onCancel={onDone}
      enterSaves={false}
      className="deadlines-form"
    >
      <RuleFields
        legend="Délai de réservation (familles)"
        prefix="settings.bookingDeadline."
        draft={booking}
        onChange={(patch) => setBooking((d) => ({ ...d, ...patch }))}
      />
      <CheckboxField name="sameRule" label="Même règle pour l’annulation" checked={same} onChange={setSame} />
      {!same && (
        <RuleFields
          legend="Délai d’annulation (familles)"
          prefix="settings.cancelDeadline."
          draft={cancel}
          onChange={(patch) => setCancel((d) => ({ ...d, ...patch }))}
        />
      )}
    </EditForm>
  );
}
