import { createContext, useContext } from 'react';

/** Messages to show beside fields, keyed by the contract's dotted field path (e.g. 'children.1.birthDate'). */
export type FieldErrors = Record<string, string>;

export interface FormContextValue {
  idPrefix: string;
  errors: FieldErrors;
  clearError: (name: string) => void;
}

export const FormContext = createContext<FormContextValue>({
  idPrefix: 'f',
  errors: {},
  clearError: () => {},
});

/** Ids and error wiring of one field, so its label, input and message stay linked for assistive tech. */
export function useField(name: string) {
  const { idPrefix, errors, clearError } = useContext(FormContext);
  const id = `${idPrefix}-${name.replaceAll('.', '-')}`;
  const error = errors[name];
  return { id, error, errorId: `${id}-error`, clearError: () => clearError(name) };
}
