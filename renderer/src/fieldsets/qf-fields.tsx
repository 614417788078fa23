import type { QfDraft } from '../drafts/qf.ts';
import { binder } from '../forms/bind.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { DateField, MonthField, SelectField, TextField } from '../forms/fields.tsx';
import { qfCheckOptions, qfSourceOptions } from '../labels.ts';
import { useTownClock } from '../town-clock.ts';

interface Props {
  draft: QfDraft;
  onChange: (patch: Partial<QfDraft>) => void;
  prefix?: string;
  required?: boolean;
}

export function QfFields({ draft, onChange, prefix = '', required = true }: Props) {
  const { today } = useTownClock();
  // Choosing where it was checked dates the check today, unless the agent typed a day already.
  const { field } = binder(
    draft,
    (patch) =>
      onChange(
        patch.checkedVia && draft.checkedOn.trim() === ''
          ? { ...patch, checkedOn: formatShortDate(today) }
          : patch,
      ),
    prefix,
  );
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
      <SelectField {...field('checkedVia')} label="QF consulté sur" options={qfCheckOptions} />
      <DateField
        {...field('checkedOn')}
        label="Date de consultation"
        required={draft.checkedVia !== ''}
        hint="votre nom est enregistré avec"
      />
    </div>
  );
}
