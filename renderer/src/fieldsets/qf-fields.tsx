import type { QfDraft } from '../drafts/qf.ts';
import { binder } from '../forms/bind.ts';
import { MonthField, SelectField, TextField } from '../forms/fields.tsx';
import { qfSourceOptions } from '../labels.ts';

interface Props {
  draft: QfDraft;
  onChange: (patch: Partial<QfDraft>) => void;
  prefix?: string;
  required?: boolean;
}

export function QfFields({ draft, onChange, prefix = '', required = true }: Props) {
  const { field } = binder(draft, onChange, prefix);
  return (
    <div className="field-grid">
      <TextField
        {...field('value')}
        label="Quotient familial"
        required={required}
        size="s"
        inputMode="numeric"
        maxLength={6}
      />
      <SelectField {...field('source')} label="Source" options={qfSourceOptions} />
      <MonthField {...field('effectiveMonth')} label="Mois d’effet" required={required} />
      <MonthField {...field('endMonth')} label="Fin de validité" hint="vide : sans fin" />
    </div>
  );
}
