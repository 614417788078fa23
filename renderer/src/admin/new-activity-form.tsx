import { useEffect, useRef, useState } from 'react';
import type { InputOf } from '../../../core/contract.ts';
import { WEEKDAY_NAMES } from '../../../shared/dates.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { checker, hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { CheckboxField, SelectField, TextField } from '../forms/fields.tsx';
import { useField } from '../forms/form-context.ts';
import { invalidWithCore, refused, saved } from '../forms/save-result.ts';
import {
  activityKindOptions,
  granularityOptions,
  paymentOptions,
  surchargeLabel,
  unitCodeOptions,
} from '../labels.ts';
import { useQuery } from '../use-query.ts';
import { ruleDraft, RuleFields, ruleOf, type RuleDraft } from './deadlines-form.tsx';
import {
  codeFromName,
  KIND_DEFAULTS,
  type ActivityKind,
  type Settings,
  type UnitCode,
} from './new-activity-defaults.ts';

type Input = InputOf<'admin.saveActivity'>;
type UnitDraft = { key: number; code: UnitCode; label: string; weekdays: number[] };
type GroupDraft = { key: number; name: string; places: string };

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const CODE = /^[a-z0-9_-]{2,30}$/;
const CALENDARS: { value: Settings['calendar']; label: string }[] = [
  { value: 'school', label: 'Jours d’école (hors vacances)' },
  { value: 'holidays', label: 'Vacances scolaires' },
  { value: 'none', label: 'Dates fixées par les groupes' },
];

let nextKey = 0;
const keyed = <T,>(x: T) => ({ ...x, key: ++nextKey });

/** The draft of a kind's defaults: the administrator starts from how the town runs that kind. */
function draftOf(kind: ActivityKind) {
  const d = KIND_DEFAULTS[kind];
  const days = [...new Set(d.units.flatMap((u) => u.weekdays))].sort();
  return {
    settings: d.settings,
    units: d.units.map((u) => keyed({ ...u, weekdays: [...u.weekdays] })),
    groups: d.groups.map((g) => keyed({ name: g.name, places: g.places === null ? '' : String(g.places) })),
    booking: ruleDraft(d.settings.bookingDeadline, days),
    cancel: ruleDraft(d.settings.cancelDeadline, days),
  };
}

/** The weekday rule needs a line per service day: days added to a unit get one, days removed lose theirs. */
function withServiceDays(draft: RuleDraft, units: readonly UnitDraft[]): RuleDraft {
  const days = [...new Set(units.flatMap((u) => u.weekdays))].sort();
  const fresh = ruleDraft({ kind: 'none' }, days).byWeekday;
  return {
    ...draft,
    byWeekday: Object.fromEntries(
      days.map((d) => [String(d), draft.byWeekday[String(d)] ?? fresh[String(d)]!]),
    ),
  };
}

/**
 * « Nouvelle activité »: a town opens a stage multisport or a new accueil du soir from the settings. The kind
 * chosen fills in units, deadlines, payment and billing as the town runs that kind; the code is proposed from the
 * name until the administrator types one. Saved through admin.saveActivity without an id, which creates it.
 */
export function NewActivityForm({
  sort,
  onDone,
  onCancel,
}: {
  /** Where the new activity goes in the list: after the others. */
  sort: number;
  onDone: (activityId: string) => void;
  onCancel: () => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const sites = useQuery('admin.sites', {});
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [codeTyped, setCodeTyped] = useState(false);
  const [kind, setKind] = useState<ActivityKind>('wednesday');
  const [draft, setDraft] = useState(() => draftOf('wednesday'));
  const [same, setSame] = useState(true);
  const [siteIds, setSiteIds] = useState<string[]>([]);
  // A new form is not wrong before it is sent: the missing days and sites are pointed out from the first try on.
  const [tried, setTried] = useState(false);
  const s = draft.settings;
  const setSettings = (patch: Partial<Settings>) =>
    setDraft((d) => ({ ...d, settings: { ...d.settings, ...patch } }));
  const setUnits = (units: UnitDraft[]) =>
    setDraft((d) => ({
      ...d,
      units,
      booking: withServiceDays(d.booking, units),
      cancel: withServiceDays(d.cancel, units),
    }));
  const setGroups = (groups: GroupDraft[]) => setDraft((d) => ({ ...d, groups }));
  const byEnrolment = s.granularity === 'enrolment';

  async function save() {
    setTried(true);
    const check = checker();
    const theName = check.text('name', name, true);
    const theCode = code.trim();
    if (theCode === '') check.errors.code = 'Obligatoire.';
    else if (!CODE.test(theCode))
      check.errors.code =
        'Code invalide : lettres minuscules sans accent, chiffres et tirets, 2 à 30 caractères.';
    const bookingDeadline = byEnrolment
      ? ({ kind: 'none' } as const)
      : ruleOf(draft.booking, check, 'settings.bookingDeadline.');
    const cancelDeadline =
      byEnrolment || same ? bookingDeadline : ruleOf(draft.cancel, check, 'settings.cancelDeadline.');
    const codes = draft.units.map((u) => u.code);
    const { mealUnits, ...rest } = s;
    const meals = mealUnits?.filter((m) => codes.includes(m));
    const input: Input = {
      code: theCode,
      name: theName,
      kind,
      sort,
      settings: {
        ...rest,
        bookingDeadline,
        cancelDeadline,
        wholeWeekOneSite: s.granularity === 'week' && (s.wholeWeekOneSite ?? false),
        ...(meals?.length ? { mealUnits: meals } : {}),
      },
      units: draft.units.map((u, i) => ({
        code: u.code,
        label: check.text(`units.${i}.label`, u.label, true),
        weekdays: [...u.weekdays].sort(),
      })),
      siteIds,
      groups: draft.groups.map((g, i) => ({
        name: check.text(`groups.${i}.name`, g.name, true),
        places: g.places.trim() === '' ? null : check.integer(`groups.${i}.places`, g.places),
      })),
    };
    draft.units.forEach((u, i) => {
      if (codes.indexOf(u.code) !== i) check.errors[`units.${i}.code`] = 'Une autre unité a déjà ce type.';
    });
    if (hasErrors(check.errors)) return invalidWithCore(api, 'admin.saveActivity', input, check.errors);
    const r = await api.invoke('admin.saveActivity', input);
    if (!r.ok) return refused(r.error);
    announce(`Activité « ${theName} » créée. Donnez-lui un tarif dans « Tarifs ».`);
    onDone(r.data.activityId);
    return saved;
  }

  return (
    <EditForm
      label="Nouvelle activité"
      onSave={save}
      onCancel={onCancel}
      saveLabel="Créer l’activité"
      enterSaves={false}
      escapeCancels={false}
      className="new-activity-form"
    >
      <div className="field-grid">
        <TextField
          name="name"
          label="Nom"
          size="l"
          required
          maxLength={80}
          value={name}
          onChange={(v) => {
            setName(v);
            if (!codeTyped) setCode(codeFromName(v));
          }}
        />
        <CodeField
          value={code}
          onChange={(v) => {
            setCode(v);
            setCodeTyped(v !== '');
          }}
        />
        <SelectField
          name="kind"
          label="Type d’activité"
          size="l"
          value={kind}
          onChange={(k) => {
            setKind(k);
            setDraft(draftOf(k));
            setSame(true);
          }}
          options={activityKindOptions}
        />
      </div>

      <fieldset className="rule">
        <legend>Réservation et facturation</legend>
        <div className="field-grid">
          <SelectField
            name="settings.calendar"
            label="Jours de fonctionnement"
            size="l"
            value={s.calendar}
            onChange={(v) => setSettings({ calendar: v })}
            options={CALENDARS}
          />
          <SelectField
            name="settings.granularity"
            label="Réservation"
            size="l"
            value={s.granularity}
            onChange={(v) => setSettings({ granularity: v })}
            options={granularityOptions}
          />
          <SelectField
            name="settings.payment"
            label="Paiement"
            value={s.payment}
            onChange={(v) => setSettings({ payment: v })}
            options={paymentOptions}
          />
          {s.granularity === 'week' && (
            <CheckboxField
              name="settings.wholeWeekOneSite"
              label="Semaine entière, repas compris, sur un seul site"
              size="l"
              checked={s.wholeWeekOneSite ?? false}
              onChange={(v) => setSettings({ wholeWeekOneSite: v })}
            />
          )}
          <CheckboxField
            name="settings.flatFee"
            label="Forfait : facturé que l’enfant vienne ou non"
            size="l"
            checked={s.flatFee ?? false}
            onChange={(v) => setSettings({ flatFee: v })}
          />
          <CheckboxField
            name="settings.lateCancellationBilled"
            label="Annulation tardive facturée"
            checked={s.lateCancellationBilled}
            onChange={(v) => setSettings({ lateCancellationBilled: v })}
          />
          <CheckboxField
            name="settings.unjustifiedAbsenceBilled"
            label="Absence non justifiée facturée"
            checked={s.unjustifiedAbsenceBilled}
            onChange={(v) => setSettings({ unjustifiedAbsenceBilled: v })}
          />
        </div>
        <p className="field-hint" data-testid="new-activity-surcharges">
          Ajout hors délai : {surchargeLabel(s.lateAdd, draft.units)} · présence sans réservation :{' '}
          {surchargeLabel(s.unbookedPresence, draft.units)} (comme les activités de ce type de la commune).
        </p>
      </fieldset>

      {draft.units.map((u, i) => (
        <fieldset key={u.key} className="field-grid" data-testid="new-unit">
          <legend>Unité {i + 1}</legend>
          <SelectField
            name={`units.${i}.code`}
            label={`Type de l’unité ${i + 1}`}
            value={u.code}
            onChange={(v) => setUnits(draft.units.map((x, j) => (j === i ? { ...x, code: v } : x)))}
            options={unitCodeOptions}
          />
          <TextField
            name={`units.${i}.label`}
            label={`Nom de l’unité ${i + 1}`}
            required
            maxLength={40}
            value={u.label}
            onChange={(v) => setUnits(draft.units.map((x, j) => (j === i ? { ...x, label: v } : x)))}
          />
          {WEEKDAYS.map((d) => (
            <CheckboxField
              key={d}
              name={`units.${i}.weekdays.${d}`}
              size="s"
              label={`${WEEKDAY_NAMES[d - 1]} (unité ${i + 1})`}
              checked={u.weekdays.includes(d)}
              onChange={(on) =>
                setUnits(
                  draft.units.map((x, j) =>
                    j === i
                      ? { ...x, weekdays: on ? [...x.weekdays, d] : x.weekdays.filter((w) => w !== d) }
                      : x,
                  ),
                )
              }
            />
          ))}
          {tried && u.weekdays.length === 0 && <span className="field-error">Cochez au moins un jour.</span>}
          {draft.units.length > 1 && (
            <button type="button" onClick={() => setUnits(draft.units.filter((_, j) => j !== i))}>
              Retirer l’unité {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      <p>
        <button
          type="button"
          onClick={() =>
            setUnits([
              ...draft.units,
              keyed({
                code:
                  unitCodeOptions.find((o) => !draft.units.some((u) => u.code === o.value))?.value ?? 'day',
                label: '',
                weekdays: [],
              }),
            ])
          }
        >
          Ajouter une unité
        </button>
      </p>

      <fieldset className="field-grid">
        <legend>Sites</legend>
        {(sites.data?.sites ?? []).map((x) => (
          <CheckboxField
            key={x.id}
            name={`siteIds.${x.id}`}
            size="l"
            label={x.name}
            checked={siteIds.includes(x.id)}
            onChange={(on) => setSiteIds(on ? [...siteIds, x.id] : siteIds.filter((y) => y !== x.id))}
          />
        ))}
        {tried && siteIds.length === 0 && <span className="field-error">Cochez au moins un site.</span>}
      </fieldset>

      <fieldset className="field-grid">
        <legend>Groupes{byEnrolment ? ' (les familles inscrivent l’enfant à un groupe)' : ''}</legend>
        {draft.groups.map((g, i) => (
          <div key={g.key} className="field-grid" data-testid="new-group">
            <TextField
              name={`groups.${i}.name`}
              label={`Nom du groupe ${i + 1}`}
              size="l"
              required
              maxLength={80}
              value={g.name}
              onChange={(v) => setGroups(draft.groups.map((x, j) => (j === i ? { ...x, name: v } : x)))}
            />
            <TextField
              name={`groups.${i}.places`}
              label={`Places du groupe ${i + 1}`}
              hint="vide : sans limite"
              size="s"
              inputMode="numeric"
              value={g.places}
              onChange={(v) => setGroups(draft.groups.map((x, j) => (j === i ? { ...x, places: v } : x)))}
            />
            <button type="button" onClick={() => setGroups(draft.groups.filter((_, j) => j !== i))}>
              Retirer le groupe {i + 1}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setGroups([...draft.groups, keyed({ name: '', places: '' })])}>
          Ajouter un groupe
        </button>
      </fieldset>

      {!byEnrolment && (
        <>
          <RuleFields
            legend="Délai de réservation (familles)"
            prefix="settings.bookingDeadline."
            draft={draft.booking}
            onChange={(patch) => setDraft((d) => ({ ...d, booking: { ...d.booking, ...patch } }))}
          />
          <CheckboxField
            name="sameRule"
            label="Même règle pour l’annulation"
            checked={same}
            onChange={setSame}
          />
          {!same && (
            <RuleFields
              legend="Délai d’annulation (familles)"
              prefix="settings.cancelDeadline."
              draft={draft.cancel}
              onChange={(patch) => setDraft((d) => ({ ...d, cancel: { ...d.cancel, ...patch } }))}
            />
          )}
        </>
      )}
    </EditForm>
  );
}

/**
 * The code, also rewritten as the name is typed: a mistake shown beside it goes as soon as its value changes,
 * whoever changed it, as it would had the administrator typed it.
 */
function CodeField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { clearError } = useField('code');
  const shown = useRef(value);
  useEffect(() => {
    if (shown.current === value) return;
    shown.current = value;
    clearError();
  }, [value, clearError]);
  return (
    <TextField
      name="code"
      label="Code"
      required
      hint="proposé d’après le nom"
      maxLength={30}
      value={value}
      onChange={onChange}
    />
  );
}
