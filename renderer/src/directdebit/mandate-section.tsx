import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { useAuth } from '../auth/auth-context.ts';
import { useCounter } from '../counter-context.ts';
import { frDateToIso } from '../date-input.ts';
import { Section } from '../family/section.tsx';
import { TableHead } from '../family/table-parts.tsx';
import { useEditing } from '../family/use-editing.ts';
import { useFinishSave } from '../family/use-finish-save.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { DateField, SelectField, TextField } from '../forms/fields.tsx';
import { invalid } from '../forms/save-result.ts';
import { useTownClock } from '../town-clock.ts';
import { useQuery } from '../use-query.ts';

type Mandate = OutputOf<'directDebit.mandates'>[number];

const SEQUENCE_WORDS = { FRST: 'premier prélèvement', RCUR: 'récurrent' } as const;
const COLUMNS = ['Référence (RUM)', 'Titulaire', 'Compte', 'Signé le', 'Prochain prélèvement', 'État'];

const isoToFr = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/**
 * The family's SEPA mandate, as the agent enters it from the signed form and the RIB: the one in force first, then
 * the revoked ones. A new account is a new mandate: the one in force is revoked first.
 */
export function MandateSection({
  householdId,
  defaultDebtor,
}: {
  householdId: string;
  defaultDebtor: string;
}) {
  const api = useCounter();
  const auth = useAuth();
  const { today } = useTownClock();
  const mandates = useQuery('directDebit.mandates', { householdId });
  const { editing, open, close } = useEditing();
  const reload = async () => mandates.reload();
  const finish = useFinishSave(reload, close);
  const [draft, setDraft] = useState({
    debtorName: '',
    iban: '',
    bic: '',
    signedOn: '',
    rum: '',
    firstSequence: 'FRST' as 'FRST' | 'RCUR',
  });
  const [revocation, setRevocation] = useState({ revokedOn: '', reason: '' });
  const list = mandates.data ?? [];
  const inForce = list.find((m) => m.revokedOn === null);
  const write = auth.can('family.write');

  async function create() {
    const signedOn = frDateToIso(draft.signedOn);
    if (!signedOn) return invalid({ signedOn: 'Saisissez la date de signature au format jj/mm/aaaa.' });
    return finish(
      await api.invoke('directDebit.createMandate', { householdId, ...draft, signedOn }),
      'Mandat de prélèvement enregistré.',
    );
  }

  async function revoke(m: Mandate) {
    const revokedOn = frDateToIso(revocation.revokedOn);
    if (!revokedOn) return invalid({ revokedOn: 'Saisissez la date de révocation au format jj/mm/aaaa.' });
    return finish(
      await api.invoke('directDebit.revokeMandate', {
        mandateId: m.id,
        revokedOn,
        reason: revocation.reason,
      }),
      `Mandat ${m.rum} révoqué.`,
    );
  }

  return (
    <Section
      title="Prélèvement automatique"
      actions={
        write &&
        !editing &&
        (inForce ? (
          <button
            type="button"
            data-focus-key="mandate:revoke"
            onClick={() => {
              setRevocation({ revokedOn: isoToFr(today), reason: '' });
              open('mandate:revoke');
            }}
          >
            Révoquer le mandat
          </button>
        ) : (
          <button
            type="button"
            data-focus-key="mandate:new"
            onClick={() => {
              setDraft({
                debtorName: defaultDebtor,
                iban: '',
                bic: '',
                signedOn: isoToFr(today),
                rum: '',
                firstSequence: 'FRST',
              });
              open('mandate:new');
            }}
          >
            Enregistrer un mandat
          </button>
        ))
      }
    >
      {mandates.error && !mandates.data && <p className="page-error">{mandates.error}</p>}
      {mandates.data && list.length === 0 && (
        <p className="muted" data-testid="no-mandate">
          Aucun mandat : la famille paie ses factures au guichet ou en ligne.
        </p>
      )}
      {list.length > 0 && (
        <table className="grid" data-testid="mandates">
          <caption className="sr-only">Mandats de prélèvement SEPA, celui en vigueur en premier</caption>
          <TableHead columns={COLUMNS} />
          <tbody>
            {list.map((m) => (
              <tr key={m.id}>
                <td>{m.rum}</td>
                <td>{m.debtorName}</td>
                <td>
                  {m.ibanMasked}
                  {m.bic ? ` (${m.bic})` : ''}
                </td>
                <td>{formatShortDate(m.signedOn)}</td>
                <td>{m.revokedOn ? '—' : SEQUENCE_WORDS[m.nextSequence]}</td>
                <td>
                  {m.revokedOn
                    ? `Révoqué le ${formatShortDate(m.revokedOn)} (${m.revokedReason ?? ''})`
                    : 'En vigueur'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing === 'mandate:new' && (
        <EditForm label="Enregistrer un mandat de prélèvement" onSave={create} onCancel={close}>
          <div className="field-grid">
            <TextField
              name="debtorName"
              label="Titulaire du compte"
              size="l"
              required
              value={draft.debtorName}
              onChange={(debtorName) => setDraft((d) => ({ ...d, debtorName }))}
            />
            <TextField
              name="iban"
              label="IBAN"
              size="l"
              required
              hint="tel qu’il figure sur le RIB"
              value={draft.iban}
              onChange={(iban) => setDraft((d) => ({ ...d, iban }))}
            />
            <TextField
              name="bic"
              label="BIC"
              size="s"
              hint="facultatif"
              value={draft.bic}
              onChange={(bic) => setDraft((d) => ({ ...d, bic }))}
            />
            <DateField
              name="signedOn"
              label="Date de signature"
              required
              value={draft.signedOn}
              onChange={(signedOn) => setDraft((d) => ({ ...d, signedOn }))}
            />
            <TextField
              name="rum"
              label="Référence du mandat (RUM)"
              hint="celle du formulaire signé ; vide : attribuée par le logiciel"
              value={draft.rum}
              onChange={(rum) => setDraft((d) => ({ ...d, rum }))}
            />
            <SelectField
              name="firstSequence"
              label="Premier prélèvement ou récurrent"
              size="l"
              value={draft.firstSequence}
              onChange={(firstSequence) => setDraft((d) => ({ ...d, firstSequence }))}
              options={[
                { value: 'FRST', label: 'Nouveau mandat : premier prélèvement' },
                { value: 'RCUR', label: 'Mandat déjà utilisé : prélèvement récurrent' },
              ]}
            />
          </div>
        </EditForm>
      )}
      {editing === 'mandate:revoke' && inForce && (
        <EditForm label={`Révoquer le mandat ${inForce.rum}`} onSave={() => revoke(inForce)} onCancel={close}>
          <div className="field-grid">
            <DateField
              name="revokedOn"
              label="Date de révocation"
              required
              value={revocation.revokedOn}
              onChange={(revokedOn) => setRevocation((r) => ({ ...r, revokedOn }))}
            />
            <TextField
              name="reason"
              label="Motif"
              size="l"
              required
              value={revocation.reason}
              onChange={(reason) => setRevocation((r) => ({ ...r, reason }))}
            />
          </div>
        </EditForm>
      )}
    </Section>
  );
}
