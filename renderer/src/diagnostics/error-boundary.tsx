import { Component, type ErrorInfo, type ReactNode } from 'react';
import type { CounterApi } from '../../../core/contract.ts';

interface Props {
  api: CounterApi;
  children: ReactNode;
}

/**
 * A screen that throws while drawing leaves a French message and « Recharger » instead of a blank window, and the
 * error goes to renderer.log (through the core: the window writes no file) for the support.
 */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    const e = error instanceof Error ? error : new Error(String(error));
    void this.props.api
      .invoke('system.logClientError', {
        message: e.message.slice(0, 2000),
        stack: `${e.stack ?? ''}${info.componentStack ?? ''}`.slice(0, 8000),
        where: window.location.pathname.slice(0, 500),
      })
      .catch(() => {});
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <main className="crash" role="alert">
        <h1>Cet écran a rencontré une erreur</h1>
        <p>
          Les opérations déjà validées sont enregistrées. Rechargez l’écran pour reprendre ; si cela se
          reproduit, prévenez l’administrateur (Aide › « Copier le rapport de diagnostic »).
        </p>
        <p className="muted">Détail : {this.state.error.message}</p>
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          Recharger
        </button>
      </main>
    );
  }
}
