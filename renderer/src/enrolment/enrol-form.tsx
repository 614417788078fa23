import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import type { HouseholdFile } from '../../../core/family/read.ts';
import { useAnnounce } from '../announcer.tsx';
import { issuedSentence, type IssuedInvoiceData } from '../billing/issued-invoice.tsx';
import { useCounter } from '../counter-context.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { SelectField } from '../forms/fields.tsx';
import { invalid, refused, saved } from '../forms/save-result.ts';
import { granularityLabel } from '../labels.ts';

type Activity = OutputOf<'activities.list'>[number];

const nextYear = (year: string) => {
  const start = Number(year.slice(0, 4)) + 1;
  return `${start}-${start + 1}`;
};

/** Enrols one child in one activity for a school year, at a site and in a group when the activity has them. */
export function EnrolForm({
  file,
  activities,
  currentSchoolYear,
  onDone,
  onCancel,
}: {
  file: HouseholdFile;
  activities: readonly Activity[];
  currentSchoolYear: string;
  /** With the invoice issued at enrolment for an activity paid then (sports school), to be paid at once. */
  onDone: (invoice: IssuedInvoiceData | null) => void;
  onCancel: () => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const [childId, setChildId] = useState(file.children[0]?.id ?? '');
  const [schoolYear, setSchoolYear] = useState(currentSchoolYear);
  const [activityId, setActivityId] = useState(activities[0]?.id ?? '');
  const [siteId, setSiteId] = useState('');
  const [groupId, setGroupId] = useState('');
  const activity = activities.find((a) => a.id === activityId);
  const needsGroup = activity?.settings.granularity === 'enrolment' && activity.groups.length > 0;

  if (file.children.length === 0) {
    return <p className="muted">Ce foyer n’a pas d’enfant : ajoutez-en un dans l’onglet Dossier.</p>;
  }

  async function save() {
    if (needsGroup && groupId === '') return invalid({ groupId: 'Obligatoire : choisissez un groupe.' });
    const r = await api.invoke('enrolment.enrol', {
      childId,
      activityId,
      schoolYear,
      siteId: siteId === '' ? null : siteId,
      groupId: groupId === '' ? null : groupId,
    });
    if (!r.ok) return refused(r.error);
    const child = file.children.find((c) => c.id === childId);
    const who = child ? child.firstName : 'L’enfant';
    announce(
      (r.data.status === 'validated'
        ? `${who} : inscription à « ${activity?.name ?? ''} » ${schoolYear} validée.`
        : `${who} : inscription à « ${activity?.name ?? ''} » ${schoolYear} en attente, dossier incomplet (manque : ${r.data.missing.map((m) => m.label.toLowerCase()).join(', ')}).`) +
        (r.data.invoice ? ` ${issuedSentence(r.data.invoice)}` : ''),
    );
    onDone(r.data.invoice);
    return saved;
  }

  return (
    <EditForm label="Inscrire un enfant" onSave={save} onCancel={onCancel} saveLabel="Inscrire">
      <div className="field-grid">
        <SelectField
          name="childId"
          label="Enfant"
          required
          value={childId}
          onChange={setChildId}
          options={file.children.map((c) => ({ value: c.id, label: `${c.firstName} ${c.lastName}` }))}
        />
        <SelectField
          name="schoolYear"
          label="Année scolaire"
          required
          value={schoolYear}
          onChange={setSchoolYear}
          options={[currentSchoolYear, nextYear(currentSchoolYear)].map((y) => ({ value: y, label: y }))}
        />
        <SelectField
          name="activityId"
          label="Activité"
          size="l"
          required
          value={activityId}
          onChange={(v) => {
            setActivityId(v);
            setSiteId('');
            setGroupId('');
          }}
          options={activities.map((a) => ({ value: a.id, label: a.name }))}
        />
        <SelectField
          name="siteId"
          label="Site"
          size="l"
          value={siteId}
          onChange={setSiteId}
          options={[
            { value: '', label: 'Tous les sites de l’activité' },
            ...(activity?.sites ?? []).map((s) => ({ value: s.id, label: s.name })),
          ]}
        />
        {activity && activity.groups.length > 0 && (
          <SelectField
            name="groupId"
            label="Groupe"
            size="l"
            required={needsGroup}
            value={groupId}
            onChange={setGroupId}
            options={[
              { value: '', label: needsGroup ? '— choisir un groupe —' : 'Aucun groupe' },
              ...activity.groups.map((g) => ({
                value: g.id,
                label: g.places === null ? g.name : `${g.name} (${g.places} places)`,
              })),
            ]}
          />
        )}
      </div>
      {activity && (
        <p className="field-hint">
          {granularityLabel(activity.settings.granularity)} · réservation des familles :{' '}
          {activity.deadlines.booking}
        </p>
      )}
    </EditForm>
  );
}
