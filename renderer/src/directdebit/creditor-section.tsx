import { useState } from 'react';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { Facts } from '../family/facts.tsx';
import { Section } from '../family/section.tsx';
import { useEditing } from '../family/use-editing.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { SelectField, TextField } from '../forms/fields.tsx';
import { invalid, refused, saved } from '../forms/save-result.ts';
import { useQuery } from '../use-query.ts';

interface Draft {
  name: string;
  ics: string;
  iban: string;
  bic: string;
  collectionDay: string;
  channel: Channel;
}

type Channel = 'bank' | 'ormc';
const CHANNELS: readonly { value: Channel; label: string }[] = [
  { value: 'bank', label: 'la banque de la régie (fichier pain.008)' },
  { value: 'ormc', label: 'la Trésorerie (ORMC, dans la transmission PES)' },
];
const channelLabel = (c: Channel) => CHANNELS.find((o) => o.value === c)?.label ?? '';

/**
 * « Prélèvement »: the town as SEPA creditor. Its identifier (ICS, given by the Banque de France), the régie's
 * account the debits are paid into, and the day of the month debits are collected on unless a file says otherwise.
 */
export function CreditorSection() {
  const api = useCounter();
  const announce = useAnnounce();
  const settings = useQuery('directDebit.settings', {});
  const { editing, open, close } = useEditing();
  const [draft, setDraft] = useState<Draft>({
    name: '',
    ics: '',
    iban: '',
    bic: '',
    collectionDay: '',
    channel: 'bank',
  });
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  async function save() {
    const day = Number(draft.collectionDay);
    if (!/^\d{1,2}$/.test(draft.collectionDay.trim()))
      return invalid({ collectionDay: 'Saisissez un jour du mois, de 1 à 28.' });
    const r = await api.invoke('directDebit.saveSettings', {
      name: draft.name,
      ics: draft.ics,
      iban: draft.iban,
      bic: draft.bic,
      collectionDay: day,
      channel: draft.channel,
    });
    if (!r.ok) return refused(r.error);
    announce('Réglages du prélèvement enregistrés.');
    close();
    settings.reload();
    return saved;
  }

  if (settings.error && !settings.data) return <p className="page-error">{settings.error}</p>;
  const data = settings.data;
  return (
    <Section
      title="Prélèvement SEPA"
      actions={
        data &&
        !editing && (
          <button
            type="button"
            data-focus-key="sepa-creditor"
            onClick={() => {
              setDraft({
                name: data.name,
                ics: data.ics ?? '',
                iban: data.iban ?? '',
                bic: data.bic ?? '',
                collectionDay: String(data.collectionDay),
                channel: data.channel,
              });
              open('sepa-creditor');
            }}
          >
            Modifier les réglages du prélèvement
          </button>
        )
      }
    >
      {!data ? (
        <p className="muted">Chargement…</p>
      ) : (
        <>
          <Facts
            items={[
              ['Créancier', data.name],
              ['Identifiant créancier SEPA (ICS)', <span data-testid="sepa-ics">{data.ics ?? ''}</span>],
              ['Compte de la régie (IBAN)', data.iban ?? ''],
              ['BIC', data.bic ?? ''],
              ['Jour de prélèvement', `le ${data.collectionDay} du mois`],
              [
                'Prélèvements envoyés par',
                <span data-testid="sepa-channel">{channelLabel(data.channel)}</span>,
              ],
            ]}
          />
          {!data.ics && (
            <p className="notice">
              Sans ICS ni IBAN de la régie, aucun fichier de prélèvement ne peut être produit.
            </p>
          )}
          {editing && (
            <EditForm label="Réglages du prélèvement" onSave={save} onCancel={close}>
              <div className="field-grid">
                <TextField
                  name="name"
                  label="Nom du créancier"
                  size="l"
                  required
                  value={draft.name}
                  onChange={(name) => set({ name })}
                />
                <TextField
                  name="ics"
                  label="Identifiant créancier SEPA (ICS)"
                  hint="13 caractères, ex. FR72ZZZ123456"
                  required
                  value={draft.ics}
                  onChange={(ics) => set({ ics })}
                />
                <TextField
                  name="iban"
                  label="IBAN du compte de la régie"
                  size="l"
                  required
                  value={draft.iban}
                  onChange={(iban) => set({ iban })}
                />
                <TextField
                  name="bic"
                  label="BIC du compte de la régie"
                  size="s"
                  value={draft.bic}
                  onChange={(bic) => set({ bic })}
                />
                <TextField
                  name="collectionDay"
                  label="Jour de prélèvement"
                  hint="de 1 à 28"
                  size="s"
                  inputMode="numeric"
                  required
                  value={draft.collectionDay}
                  onChange={(collectionDay) => set({ collectionDay })}
                />
                <SelectField
                  name="channel"
                  label="Prélèvements envoyés par"
                  size="l"
                  value={draft.channel}
                  options={CHANNELS}
                  onChange={(channel) => set({ channel })}
                />
              </div>
            </EditForm>
          )}
        </>
      )}
    </Section>
  );
}
