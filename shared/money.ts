const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

/**
 * Integer cents → « 1 234,56 € », the way French writes an amount: a narrow no-break space (U+202F) between the
 * thousands, a comma, a no-break space before the sign. The contract never carries floating euros; the formatter is
 * built once because an invoice or a PDF formats amounts by the hundred.
 */
export const formatEuros = (cents: number): string => euros.format(cents / 100);
