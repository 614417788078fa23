import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { Section } from '../family/section.tsx';
import { useEditing } from '../family/use-editing.ts';
import { hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { SelectField, TextField } from '../forms/fields.tsx';
import { invalidWithCore, refused, saved } from '../forms/save-result.ts';
import { useQuery } from '../use-query.ts';
import { emptyStaff, MIN_PASSWORD, staffErrors, type StaffDraft } from './staff-form.ts';
import { ROLE_LABELS, ROLES } from '../../../shared/roles.ts';

type Account = OutputOf<'staff.list'>[number];

const roleOptions = ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }));

/** « Comptes »: who may sign in at the counter, with which role; an account is deactivated, never deleted. */
export function StaffSection() {
  const api = useCounter();
  const announce = useAnnounce();
  const accounts = useQuery('staff.list', {});
  const { editing, open, close } = useEditing();
  const [error, setError] = useState<string | null>(null);

  async function setActive(a: Account, active: boolean) {
    const r = await api.invoke('staff.save', {
      staffId: a.id,
      username: a.username,
      displayName: a.displayName,
      role: a.role,
      active,
    });
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    setError(null);
    announce(`${a.displayName} : compte ${active ? 'réactivé' : 'désactivé'}.`);
    accounts.reload();
  }

  const done = () => {
    close();
    accounts.reload();
  };

  return (
    <Section
      title="Comptes"
      actions={
        editing !== 'staff:new' && (
          <button type="button" data-focus-key="staff:new" onClick={() => open('staff:new')}>
            Créer un compte
          </button>
        )
      }
    >
      {editing === 'staff:new' && <StaffForm onDone={done} onCancel={close} />}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {accounts.error && !accounts.data && <p className="page-error">{accounts.error}</p>}
      {!accounts.data ? (
        <p className="muted">Chargement des comptes…</p>
      ) : (
        <table className="grid staff-list">
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Identifiant</th>
              <th scope="col">Rôle</th>
              <th scope="col">État</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {accounts.data.map((a) =>
              editing === `staff:${a.id}` || editing === `password:${a.id}` ? (
                <tr key={a.id}>
                  <td colSpan={5}>
                    <StaffForm
                      account={a}
                      passwordOnly={editing === `password:${a.id}`}
                      onDone={done}
                      onCancel={close}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={a.id} className={a.active ? undefined : 'inactive-row'}>
                  <th scope="row">{a.displayName}</th>
                  <td>{a.username}</td>
                  <td>{ROLE_LABELS[a.role]}</td>
                  <td>{a.active ? 'Actif' : 'Désactivé'}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      data-focus-key={`staff:${a.id}`}
                      onClick={() => open(`staff:${a.id}`)}
                    >
                      Modifier <span className="sr-only">{a.displayName}</span>
                    </button>
                    <button
                      type="button"
                      data-focus-key={`password:${a.id}`}
                      onClick={() => open(`password:${a.id}`)}
                    >
                      Réinitialiser le mot de passe <span className="sr-only">de {a.displayName}</span>
                    </button>
                    <button type="button" className="quiet" onClick={() => void setActive(a, !a.active)}>
                      {a.active ? 'Désactiver' : 'Réactiver'} <span className="sr-only">{a.displayName}</span>
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
    </Section>
  );
}

/** Creates an account, changes its name and role, or sets a new password (`passwordOnly`). */
export function StaffForm({
  account,
  passwordOnly = false,
  onDone,
  onCancel,
}: {
  account?: Account;
  passwordOnly?: boolean;
  onDone: () => void;
  onCancel: () => void;
}) {
  const api = useCounter();
  const announce = useAnnounce();
  const [draft, setDraft] = useState<StaffDraft>(() =>
    account
      ? { username: account.username, displayName: account.displayName, role: account.role, password: '' }
      : emptyStaff(),
  );
  const patch = (p: Partial<StaffDraft>) => setDraft((d) => ({ ...d, ...p }));
  const label = !account
    ? 'Créer un compte'
    : passwordOnly
      ? `Nouveau mot de passe de ${account.displayName}`
      : `Modifier le compte de ${account.displayName}`;

  async function save() {
    const errors = staffErrors(draft, { passwordRequired: !account || passwordOnly });
    const input = {
      ...(account ? { staffId: account.id, active: account.active } : {}),
      username: draft.username.trim().toLowerCase(),
      displayName: draft.displayName.trim(),
      role: draft.role,
      ...(draft.password ? { password: draft.password } : {}),
    };
    if (hasErrors(errors)) return invalidWithCore(api, 'staff.save', input, errors);
    const r = await api.invoke('staff.save', input);
    if (!r.ok) return refused(r.error);
    announce(
      !account
        ? `Compte créé : ${draft.displayName.trim()} (${ROLE_LABELS[draft.role]}).`
        : passwordOnly
          ? `${account.displayName} : mot de passe réinitialisé.`
          : `${draft.displayName.trim()} : compte enregistré.`,
    );
    onDone();
    return saved;
  }

  return (
    <EditForm
      label={label}
      onSave={save}
      onCancel={onCancel}
      saveLabel={!account ? 'Créer le compte' : 'Enregistrer'}
    >
      <div className="field-grid">
        {!passwordOnly && (
          <>
            <TextField
              name="username"
              label="Identifiant"
              required
              hint="lettres sans accent, chiffres, point ou tiret"
              value={draft.username}
              onChange={(username) => patch({ username })}
              maxLength={40}
            />
            <TextField
              name="displayName"
              label="Nom affiché"
              size="l"
              required
              value={draft.displayName}
              onChange={(displayName) => patch({ displayName })}
              maxLength={80}
            />
            <SelectField
              name="role"
              label="Rôle"
              required
              value={draft.role}
              onChange={(role) => patch({ role })}
              options={roleOptions}
            />
          </>
        )}
        {(!account || passwordOnly) && (
          <TextField
            name="password"
            type="password"
            label={account ? 'Nouveau mot de passe' : 'Mot de passe'}
            required
            hint={`${MIN_PASSWORD} caractères au moins`}
            autoComplete="new-password"
            value={draft.password}
            onChange={(password) => patch({ password })}
            maxLength={200}
          />
        )}
      </div>
    </EditForm>
  );
}
