import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeCounter } from '../test-support.tsx';
import { ErrorBoundary } from './error-boundary.tsx';

function Broken(): never {
  throw new Error('Cannot read properties of undefined (reading "amountCents")');
}

describe('a screen that throws while drawing', () => {
  it('leaves a French message and « Recharger » instead of a blank window, and logs the error', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const reload = vi.fn();
    vi.stubGlobal('location', { ...window.location, reload, pathname: '/' });
    const { api, calls } = fakeCounter({
      'system.logClientError': () => ({ ok: true, data: { logged: true } }),
    });
    render(
      <ErrorBoundary api={api}>
        <Broken />
      </ErrorBoundary>,
    );
    expect(screen.getByRole('heading', { name: 'Cet écran a rencontré une erreur' })).toBeTruthy();
    await waitFor(() => expect(calls.map((c) => c.name)).toEqual(['system.logClientError']));
    expect(calls[0]?.input).toMatchObject({
      message: 'Cannot read properties of undefined (reading "amountCents")',
      stack: expect.stringContaining('Broken'),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Recharger' }));
    expect(reload).toHaveBeenCalled();
    vi.unstubAllGlobals();
  });
});
