import type { HouseholdDraft } from '../drafts/household.ts';
import { binder } from '../forms/bind.ts';
import { SelectField, TextField } from '../forms/fields.tsx';
import { invoiceDeliveryOptions } from '../labels.ts';

interface Props {
  draft: HouseholdDraft;
  onChange: (patch: Partial<HouseholdDraft>) => void;
  /** Who can pay: the guardians present, named so the agent picks a person, not a number. */
  payerOptions: readonly { value: '1' | '2'; label: string }[];
  prefix?: string;
}

export function HouseholdFields({ draft, onChange, payerOptions, prefix = '' }: Props) {
  const { field } = binder(draft, onChange, prefix);
  return (
    <div className="field-grid">
      <TextField {...field('name')} label="Nom du foyer" required maxLength={80} />
      <TextField {...field('addressLine1')} label="Adresse" size="l" maxLength={120} />
      <TextField {...field('addressLine2')} label="Complément d’adresse" size="l" maxLength={120} />
      <TextField {...field('postalCode')} label="Code postal" size="s" inputMode="numeric" maxLength={5} />
      <TextField {...field('city')} label="Commune" maxLength={80} />
      <TextField {...field('email')} label="E-mail du foyer" type="email" size="l" />
      <TextField {...field('phoneHome')} label="Téléphone fixe" type="tel" />
      <TextField {...field('phoneMobile')} label="Téléphone portable" type="tel" />
      <SelectField {...field('payerRank')} label="Payeur" size="l" options={payerOptions} />
      <SelectField
        {...field('invoiceDelivery')}
        label="Envoi des factures"
        options={invoiceDeliveryOptions}
      />
      <TextField
        {...field('cafNumber')}
        label="N° allocataire CAF"
        inputMode="numeric"
        maxLength={12}
        hint="Sur les courriers de la CAF ; sert à consulter le QF (CDAP)."
      />
    </div>
  );
}
