import { useState } from 'react';
import type { InputOf } from '../../../core/contract.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { Facts } from '../family/facts.tsx';
import { Section } from '../family/section.tsx';
import { useEditing } from '../family/use-editing.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { SelectField } from '../forms/fields.tsx';
import { refused, saved } from '../forms/save-result.ts';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';

/**
 * « Commune »: the town's time zone. Every date and hour of the town (booking deadlines, the date of a payment and
 * of its receipt, the « today » of the screens) is on this clock, whatever the PC's own setting.
 */
export function TimeZoneSection() {
  const api = useCounter();
  const announce = useAnnounce();
  const clock = useTownClock();
  const zone = useQuery('admin.townTimeZone', {});
  const { editing, open, close } = useEditing();
  const [choice, setChoice] = useState<InputOf<'admin.setTimeZone'>['timeZone']>('Europe/Paris');

  async function save() {
    const r = await api.invoke('admin.setTimeZone', { timeZone: choice });
    if (!r.ok) return refused(r.error);
    announce(`Fuseau horaire de la commune : ${r.data.label}.`);
    close();
    zone.reload();
    // « Today » may have changed with the zone: the screens follow at once, not at the next minute.
    clock.refresh();
    return saved;
  }

  if (zone.error && !zone.data) return <p className="page-error">{zone.error}</p>;
  const data = zone.data;
  return (
    <Section
      title="Fuseau horaire de la commune"
      actions={
        data &&
        !editing && (
          <button
            type="button"
            data-focus-key="time-zone"
            onClick={() => {
              setChoice(data.timeZone);
              open('time-zone');
            }}
          >
            Modifier le fuseau horaire
          </button>
        )
      }
    >
      {!data ? (
        <p className="muted">Chargement…</p>
      ) : (
        <>
          <Facts items={[['Fuseau horaire', <span data-testid="town-time-zone">{data.label}</span>]]} />
          <p className="muted">
            Les dates limites de réservation, la date et l’heure des paiements et des reçus, et le jour «
            aujourd’hui » des écrans sont ceux de ce fuseau, quel que soit le réglage de l’horloge de ce
            poste. Le serveur central transmet ce réglage aux autres postes ; ce qui est déjà enregistré garde
            sa date.
          </p>
          {editing && (
            <EditForm
              label="Fuseau horaire de la commune"
              onSave={save}
              onCancel={close}
              saveLabel="Enregistrer le fuseau horaire"
            >
              <div className="field-grid">
                <SelectField
                  name="timeZone"
                  label="Fuseau horaire"
                  size="l"
                  required
                  value={choice}
                  onChange={setChoice}
                  options={data.choices}
                />
              </div>
            </EditForm>
          )}
        </>
      )}
    </Section>
  );
}
