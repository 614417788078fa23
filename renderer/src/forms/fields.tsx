import type { HTMLAttributes } from 'react';
import { useField } from './form-context.ts';

interface BaseProps {
  /** The contract's dotted path for this value: the core names it back when it refuses. */
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
  /** Width in the form grid: s = code or date, m = default, l = address or e-mail. */
  size?: 's' | 'm' | 'l';
}

function describedBy(ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(' ');
  return list === '' ? undefined : list;
}

/** The star stays outside the label, so the field's name is just its label; aria-required says the rest. */
function Label({ id, label, required }: { id: string; label: string; required?: boolean }) {
  return (
    <span className="field-label">
      <label htmlFor={id}>{label}</label>
      {required && (
        <span className="required" aria-hidden="true">
          *
        </span>
      )}
    </span>
  );
}

interface TextFieldProps extends BaseProps {
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'tel' | 'password';
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  autoComplete?: string;
  placeholder?: string;
  maxLength?: number;
}

export function TextField(props: TextFieldProps) {
  const { id, error, errorId, clearError } = useField(props.name);
  const hintId = `${id}-hint`;
  return (
    <div className={`field field-${props.size ?? 'm'}`}>
      <Label id={id} label={props.label} required={props.required} />
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        inputMode={props.inputMode}
        autoComplete={props.autoComplete ?? 'off'}
        placeholder={props.placeholder}
        maxLength={props.maxLength}
        spellCheck={false}
        aria-required={props.required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy([props.hint && hintId, error && errorId])}
        onChange={(e) => {
          clearError();
          props.onChange(e.target.value);
        }}
      />
      {props.hint && (
        <span id={hintId} className="field-hint">
          {props.hint}
        </span>
      )}
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** A date typed jj/mm/aaaa; converted to ISO on save. */
export const DateField = (props: Omit<TextFieldProps, 'inputMode' | 'placeholder' | 'maxLength'>) => (
  <TextField size="s" {...props} inputMode="numeric" placeholder="jj/mm/aaaa" maxLength={10} />
);

/** A month typed mm/aaaa; converted to YYYY-MM on save. */
export const MonthField = (props: Omit<TextFieldProps, 'inputMode' | 'placeholder' | 'maxLength'>) => (
  <TextField size="s" {...props} inputMode="numeric" placeholder="mm/aaaa" maxLength={7} />
);

interface SelectFieldProps<V extends string> extends BaseProps {
  value: V;
  onChange: (value: V) => void;
  options: readonly { value: V; label: string }[];
}

export function SelectField<V extends string>(props: SelectFieldProps<V>) {
  const { id, error, errorId, clearError } = useField(props.name);
  return (
    <div className={`field field-${props.size ?? 'm'}`}>
      <Label id={id} label={props.label} required={props.required} />
      <select
        id={id}
        name={props.name}
        value={props.value}
        aria-required={props.required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => {
          clearError();
          // The options are exactly the values of V.
          props.onChange(e.target.value as V);
        }}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

interface CheckboxFieldProps extends Omit<BaseProps, 'required'> {
  checked: boolean;
  onChange: (checked: boolean) => void;
}

export function CheckboxField(props: CheckboxFieldProps) {
  const { id, error, errorId, clearError } = useField(props.name);
  return (
    <div className={`field field-check field-${props.size ?? 'm'}`}>
      <input
        id={id}
        name={props.name}
        type="checkbox"
        checked={props.checked}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => {
          clearError();
          props.onChange(e.target.checked);
        }}
      />
      <label htmlFor={id}>{props.label}</label>
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
