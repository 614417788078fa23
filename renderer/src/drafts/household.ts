import type { InputOf } from '../../../core/contract.ts';
import type { HouseholdFile } from '../../../core/family/read.ts';
import { checker } from '../forms/checks.ts';
import type { InvoiceDelivery } from '../labels.ts';

export type HouseholdValues = Omit<InputOf<'family.updateHousehold'>, 'householdId'>;

export interface HouseholdDraft {
  name: string;
  addressLine1: string;
  addressLine2: string;
  postalCode: string;
  city: string;
  email: string;
  phoneHome: string;
  phoneMobile: string;
  payerRank: '1' | '2';
  invoiceDelivery: InvoiceDelivery;
}

export const emptyHousehold = (): HouseholdDraft => ({
  name: '',
  addressLine1: '',
  addressLine2: '',
  postalCode: '',
  city: '',
  email: '',
  phoneHome: '',
  phoneMobile: '',
  payerRank: '1',
  invoiceDelivery: 'papier',
});

export const householdDraft = (f: HouseholdFile): HouseholdDraft => ({
  name: f.name,
  addressLine1: f.addressLine1,
  addressLine2: f.addressLine2,
  postalCode: f.postalCode,
  city: f.city,
  email: f.email,
  phoneHome: f.phoneHome,
  phoneMobile: f.phoneMobile,
  payerRank: f.payerRank === 2 ? '2' : '1',
  invoiceDelivery: f.invoiceDelivery,
});

export function householdValues(d: HouseholdDraft, prefix = '') {
  const c = checker(prefix);
  const values: HouseholdValues = {
    name: c.text('name', d.name, true),
    addressLine1: d.addressLine1.trim(),
    addressLine2: d.addressLine2.trim(),
    postalCode: d.postalCode.trim(),
    city: d.city.trim(),
    email: d.email.trim(),
    phoneHome: d.phoneHome.trim(),
    phoneMobile: d.phoneMobile.trim(),
    payerRank: d.payerRank === '2' ? 2 : 1,
    invoiceDelivery: d.invoiceDelivery,
  };
  return { values, errors: c.errors };
}
