import { StrictMode } from 'react';
// First: every screen's own stylesheet comes after the tokens, base and forms it builds on.
import './styles.css';
import { createRoot } from 'react-dom/client';
import { AnnouncerProvider } from './announcer.tsx';
import { App } from './app.tsx';
import { AuthGate } from './auth/auth-gate.tsx';
import { CounterContext } from './counter-context.ts';
import { ErrorBoundary } from './diagnostics/error-boundary.tsx';
import { installCounter } from './transport.ts';

const root = document.getElementById('root');
if (!root) throw new Error('#root manquant dans index.html');

const counter = installCounter();
createRoot(root).render(
  <StrictMode>
    <CounterContext value={counter}>
      <ErrorBoundary api={counter}>
        <AnnouncerProvider>
          <AuthGate>
            <App />
          </AuthGate>
        </AnnouncerProvider>
      </ErrorBoundary>
    </CounterContext>
  </StrictMode>,
);
