type KeysOf<D, V> = { [K in keyof D]: D[K] extends V ? K : never }[keyof D] & string;

/**
 * Wires a field to one key of a draft: its contract path (prefix + key), its value and its change handler, so
 * a field group lists only labels, sizes and options.
 */
export function binder<D>(draft: D, onChange: (patch: Partial<D>) => void, prefix = '') {
  const patch = <K extends keyof D>(key: K, value: D[K]) =>
    onChange({ [key]: value } as unknown as Partial<D>);
  return {
    field: <K extends KeysOf<D, string>>(key: K) => ({
      name: prefix + key,
      value: draft[key],
      onChange: (value: D[K]) => patch(key, value),
    }),
    check: <K extends KeysOf<D, boolean>>(key: K) => ({
      name: prefix + key,
      checked: draft[key] as boolean,
      onChange: (checked: boolean) => patch(key, checked as D[K]),
    }),
  };
}
