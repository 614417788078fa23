import { useEffect, useRef } from 'react';

interface Props {
  question: string;
  error: string | null;
  onConfirm: () => void | Promise<void>;
  onCancel: () => void;
}

/** An inline « are you sure » that takes the focus, so a removal is always two deliberate key presses. */
export function ConfirmRemove({ question, error, onConfirm, onCancel }: Props) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <div
      className="confirm"
      role="group"
      aria-label="Confirmation"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <p>{question}</p>
      {error && <p className="form-error">{error}</p>}
      <div className="form-actions">
        <button type="button" className="danger" ref={confirmRef} onClick={() => void onConfirm()}>
          Confirmer le retrait
        </button>
        <button type="button" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </div>
  );
}
