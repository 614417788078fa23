import { useState } from 'react';
import { formatShortDate } from '../../../shared/dates.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { Section } from '../family/section.tsx';
import { useEditing } from '../family/use-editing.ts';
import { checker, hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { TextField } from '../forms/fields.tsx';
import { invalid, refused, saved } from '../forms/save-result.ts';
import { useQuery } from '../use-query.ts';

/**
 * « Sites »: the town's places of care (name and address, as invoices and attendance sheets print them), added or
 * renamed, and every closure recorded, per site or town-wide.
 */
export function SitesSection({ onChanged }: { onChanged: () => void }) {
  const api = useCounter();
  const announce = useAnnounce();
  const view = useQuery('admin.sites', {});
  const { editing, open, close } = useEditing();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');

  const start = (key: string, site?: { name: string; address: string }) => {
    setName(site?.name ?? '');
    setAddress(site?.address ?? '');
    open(key);
  };

  async function save() {
    const check = checker();
    const text = check.text('name', name, true);
    if (hasErrors(check.errors)) return invalid(check.errors);
    const siteId = editing?.startsWith('site:') ? editing.slice(5) : undefined;
    const r = await api.invoke('admin.saveSite', {
      ...(siteId ? { siteId } : {}),
      name: text,
      address: address.trim(),
    });
    if (!r.ok) return refused(r.error);
    announce(siteId ? `Site ${text} enregistré.` : `Site ${text} ajouté.`);
    close();
    view.reload();
    onChanged();
    return saved;
  }

  const form = (label: string) => (
    <EditForm label={label} onSave={save} onCancel={close} saveLabel="Enregistrer le site">
      <div className="field-grid">
        <TextField
          name="name"
          label="Nom du site"
          size="l"
          required
          maxLength={80}
          value={name}
          onChange={setName}
        />
        <TextField
          name="address"
          label="Adresse"
          size="l"
          maxLength={160}
          value={address}
          onChange={setAddress}
        />
      </div>
    </EditForm>
  );

  const data = view.data;
  return (
    <>
      <Section
        title="Sites"
        actions={
          !editing && (
            <button type="button" data-focus-key="new-site" onClick={() => start('new-site')}>
              Ajouter un site
            </button>
          )
        }
      >
        {editing === 'new-site' && form('Ajouter un site')}
        {data && (
          <ul className="plain" data-testid="sites">
            {data.sites.map((s) => (
              <li key={s.id} data-testid="site">
                <strong>{s.name}</strong>
                {s.address ? ` — ${s.address}` : ''}{' '}
                {!editing && (
                  <button
                    type="button"
                    data-focus-key={`site:${s.id}`}
                    onClick={() => start(`site:${s.id}`, s)}
                  >
                    Modifier <span className="sr-only">{s.name}</span>
                  </button>
                )}
                {editing === `site:${s.id}` && form(`Modifier le site ${s.name}`)}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Fermetures enregistrées">
        {data && data.closures.length === 0 ? (
          <p className="muted">Aucune fermeture.</p>
        ) : (
          <ul className="plain" data-testid="closures">
            {data?.closures.map((c) => (
              <li key={c.id}>
                {c.firstDay === c.lastDay
                  ? `le ${formatShortDate(c.firstDay)}`
                  : `du ${formatShortDate(c.firstDay)} au ${formatShortDate(c.lastDay)}`}
                , {c.siteName} : {c.label}
              </li>
            ))}
          </ul>
        )}
        <p className="muted">Une fermeture s’ajoute dans « Activités » › Fermetures exceptionnelles.</p>
      </Section>
    </>
  );
}
