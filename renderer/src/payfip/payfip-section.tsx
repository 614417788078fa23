import { useState } from 'react';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { Facts } from '../family/facts.tsx';
import { Section } from '../family/section.tsx';
import { useEditing } from '../family/use-editing.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { TextField } from '../forms/fields.tsx';
import { refused, saved } from '../forms/save-result.ts';
import { useQuery } from '../use-query.ts';

/** The town's PayFiP identifier, printed on every invoice with the invoice's reference (REGIE.md §2). */
export function PayfipSection() {
  const api = useCounter();
  const announce = useAnnounce();
  const settings = useQuery('payfip.settings', {});
  const { editing, open, close } = useEditing();
  const [clientId, setClientId] = useState('');

  async function save() {
    const r = await api.invoke('payfip.saveSettings', { clientId });
    if (!r.ok) return refused(r.error);
    announce('Identifiant PayFiP enregistré.');
    close();
    settings.reload();
    return saved;
  }

  const data = settings.data;
  return (
    <Section
      title="Paiement en ligne PayFiP"
      actions={
        data &&
        !editing && (
          <button
            type="button"
            data-focus-key="payfip"
            onClick={() => {
              setClientId(data.clientId ?? '');
              open('payfip');
            }}
          >
            Modifier l’identifiant PayFiP
          </button>
        )
      }
    >
      {data && (
        <Facts
          items={[
            ['Identifiant collectivité', <span data-testid="payfip-client">{data.clientId ?? ''}</span>],
          ]}
        />
      )}
      <p className="muted">
        Imprimé sur chaque facture avec sa référence : la famille les saisit sur www.payfip.gouv.fr.
      </p>
      {editing && (
        <EditForm label="Identifiant PayFiP" onSave={save} onCancel={close}>
          <div className="field-grid">
            <TextField
              name="clientId"
              label="Identifiant collectivité PayFiP"
              hint="6 chiffres, donnés par la DGFiP ; vide : pas de PayFiP"
              size="s"
              inputMode="numeric"
              value={clientId}
              onChange={setClientId}
            />
          </div>
        </EditForm>
      )}
    </Section>
  );
}
