/**
 * PayFiP, the DGFiP's online payment for the town's invoices (REGIE.md §2): the family gives the town's identifier
 * (6 digits, given by the DGFiP with the contract), the invoice's reference and the amount. The reference is the
 * invoice number as printed (« FAC-2026-000123 »); compared without spaces, dashes or case, so that a reference a
 * family typed « fac2026000123 » finds its invoice.
 */
export const PAYFIP_CLIENT_PATTERN = /^\d{6}$/;

export const payfipReference = (invoiceNumber: string): string => invoiceNumber.toUpperCase();

export const comparableReference = (text: string): string => text.toUpperCase().replace(/[^A-Z0-9]/g, '');
