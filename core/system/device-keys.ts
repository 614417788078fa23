/**
 * The counter's code is the device's own (receipts and deposit slips are numbered per counter PC): a local setting
 * on a counter, never synced; on the central server, one per device enrolled, written when the device pushes.
 */
export const counterCodeKey = (deviceId: string): string => `device.counterCode.${deviceId}`;

/**
 * The series prefix the central server gave this device when it was connected (« G01 »): it names the counter's
 * receipts and deposit slips, and suffixes the invoices and credit notes it issues (« GUI-G01-2026-000001 »), so
 * two counters working offline never take the same number. Unset on a counter working alone.
 */
export const seriesPrefixKey = (deviceId: string): string => `device.seriesPrefix.${deviceId}`;
