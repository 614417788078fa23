import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { Section } from '../family/section.tsx';
import { SelectField } from '../forms/fields.tsx';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';
import { formatDateTimeCompact } from '../../../shared/wall-clock.ts';

type Read = OutputOf<'health.readLog'>[number];

const childName = (r: Read) => `${r.childFirstName} ${r.childLastName}`;

/** « Journal des consultations santé »: who read which child's health notes, and when (the 500 latest). */
export function HealthLogSection() {
  const { timeZone } = useTownClock();
  const [childId, setChildId] = useState('');
  const all = useQuery('health.readLog', {});
  const filtered = useQuery('health.readLog', childId === '' ? null : { childId });
  const rows = childId === '' ? all.data : filtered.data;
  const children = [...new Map((all.data ?? []).map((r) => [r.childId, childName(r)] as const))].sort(
    (a, b) => a[1].localeCompare(b[1], 'fr'),
  );

  return (
    <Section title="Journal des consultations santé">
      <p className="muted">
        Chaque affichage des informations de santé d’un enfant est enregistré : qui, quand, quel enfant.
      </p>
      {all.error && !all.data && <p className="page-error">{all.error}</p>}
      {children.length > 0 && (
        <div className="field-grid">
          <SelectField
            name="childFilter"
            label="Enfant"
            size="l"
            value={childId}
            onChange={setChildId}
            options={[
              { value: '', label: 'Tous les enfants' },
              ...children.map(([value, label]) => ({ value, label })),
            ]}
          />
        </div>
      )}
      {!rows ? (
        <p className="muted">Chargement du journal…</p>
      ) : rows.length === 0 ? (
        <p className="muted">Aucune consultation enregistrée.</p>
      ) : (
        <table className="grid health-log">
          <thead>
            <tr>
              <th scope="col">Date et heure</th>
              <th scope="col">Agent</th>
              <th scope="col">Enfant</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={`${r.at}|${r.childId}|${i}`}>
                <td className="nowrap">{formatDateTimeCompact(r.at, timeZone)}</td>
                <td>{r.agentName ?? 'Compte supprimé'}</td>
                <th scope="row">{childName(r)}</th>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
