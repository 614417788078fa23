import { Fragment, type Ref } from 'react';
import { SHORTCUTS } from './shortcuts.ts';
import './help-dialog.css';

export function ShortcutList() {
  return (
    <dl className="shortcuts">
      {SHORTCUTS.map(([keys, action]) => (
        <div key={action}>
          <dt>
            {keys.map((k, i) => (
              <Fragment key={k}>
                {i > 0 && ' '}
                {k === 'ou' ? 'ou' : <kbd>{k}</kbd>}
              </Fragment>
            ))}
          </dt>
          <dd>{action}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The shortcut help, as a native modal dialog: it traps the focus, closes on Escape and gives the focus back.
 * Whether it is open lives in the dialog itself, not in React state that its asynchronous close event would lag.
 */
export function HelpDialog({ ref }: { ref: Ref<HTMLDialogElement> }) {
  return (
    <dialog ref={ref} className="help" aria-labelledby="help-title">
      <h2 id="help-title">Raccourcis clavier</h2>
      <ShortcutList />
      <button type="button" className="primary" onClick={(e) => e.currentTarget.closest('dialog')?.close()}>
        Fermer
      </button>
    </dialog>
  );
}

export function openDialog(dialog: HTMLDialogElement | null): void {
  if (dialog && !dialog.open) dialog.showModal();
}
