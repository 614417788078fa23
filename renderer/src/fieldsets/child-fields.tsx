import type { ChildDraft } from '../drafts/child.ts';
import { binder } from '../forms/bind.ts';
import { CheckboxField, DateField, SelectField, TextField } from '../forms/fields.tsx';
import { classLevelOptions } from '../labels.ts';

interface Props {
  draft: ChildDraft;
  onChange: (patch: Partial<ChildDraft>) => void;
  prefix?: string;
}

export function ChildFields({ draft, onChange, prefix = '' }: Props) {
  const { field, check } = binder(draft, onChange, prefix);
  return (
    <div className="field-grid">
      <TextField {...field('firstName')} label="Prénom" required maxLength={60} />
      <TextField {...field('lastName')} label="Nom" required maxLength={60} />
      <DateField {...field('birthDate')} label="Date de naissance" required />
      <TextField {...field('school')} label="École" maxLength={80} />
      <SelectField {...field('classLevel')} label="Classe" size="s" options={classLevelOptions} />
      <CheckboxField {...check('imageConsent')} label="Droit à l’image accordé" />
    </div>
  );
}
