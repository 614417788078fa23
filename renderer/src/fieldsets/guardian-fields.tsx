import type { GuardianDraft } from '../drafts/guardian.ts';
import { binder } from '../forms/bind.ts';
import { CheckboxField, SelectField, TextField } from '../forms/fields.tsx';
import { civilityOptions } from '../labels.ts';

interface Props {
  draft: GuardianDraft;
  onChange: (patch: Partial<GuardianDraft>) => void;
  prefix?: string;
}

const civilityChoices = [{ value: '' as const, label: '— choisir —' }, ...civilityOptions];

export function GuardianFields({ draft, onChange, prefix = '' }: Props) {
  const { field, check } = binder(draft, onChange, prefix);
  return (
    <div className="field-grid">
      <SelectField {...field('civility')} label="Civilité" required size="s" options={civilityChoices} />
      <TextField {...field('lastName')} label="Nom" required maxLength={60} />
      <TextField {...field('firstName')} label="Prénom" required maxLength={60} />
      <TextField
        {...field('relationship')}
        label="Lien avec l’enfant"
        hint="mère, père, tuteur…"
        maxLength={40}
      />
      <TextField {...field('phoneMobile')} label="Téléphone portable" type="tel" />
      <TextField {...field('phoneWork')} label="Téléphone professionnel" type="tel" />
      <TextField {...field('email')} label="E-mail" type="email" size="l" />
      <CheckboxField {...check('mayPickUp')} label="Peut récupérer les enfants" />
    </div>
  );
}
