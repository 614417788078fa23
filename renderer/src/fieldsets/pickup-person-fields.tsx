import type { PickupPersonDraft } from '../drafts/pickup-person.ts';
import { binder } from '../forms/bind.ts';
import { TextField } from '../forms/fields.tsx';

interface Props {
  draft: PickupPersonDraft;
  onChange: (patch: Partial<PickupPersonDraft>) => void;
}

export function PickupPersonFields({ draft, onChange }: Props) {
  const { field } = binder(draft, onChange);
  return (
    <div className="field-grid">
      <TextField {...field('lastName')} label="Nom" required maxLength={60} />
      <TextField {...field('firstName')} label="Prénom" required maxLength={60} />
      <TextField
        {...field('relationship')}
        label="Lien avec l’enfant"
        hint="grand-mère, voisin…"
        maxLength={40}
      />
      <TextField {...field('phone')} label="Téléphone" type="tel" />
    </div>
  );
}
