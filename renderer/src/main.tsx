import { StrictMode } from 'react';
// First: every screen's own stylesheet comes after the tokens, base and forms it builds on.
import './styles.css';
import { createRoot } from 'react-dom/client';
import { AnnouncerProvider } from './announcer.tsx';
import { App } from './app.tsx';
import { AuthGate } from './auth/auth-gate.tsx';
import { CounterContext } from './counter-context.ts';
import { installCounter } from './transport.ts';

const root = document.getElementById('root');
if (!root) throw new Error('#root manquant dans index.html');

createRoot(root).render(
  <StrictMode>
    <CounterContext value={installCounter()}>
      <AnnouncerProvider>
        <AuthGate>
          <App />
        </AuthGate>
      </AnnouncerProvider>
    </CounterContext>
  </StrictMode>,
);
