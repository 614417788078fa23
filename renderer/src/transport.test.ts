import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONNECTION_LOST, httpCounter, takeSessionToken } from './transport.ts';

afterEach(() => {
  sessionStorage.clear();
  history.replaceState(null, '', '/');
});

describe('session token', () => {
  it('is taken from the fragment, kept for the tab and removed from the address', () => {
    history.replaceState(null, '', '/?x=1#token=abc-123');
    expect(takeSessionToken()).toBe('abc-123');
    expect(location.href).toBe(`${location.origin}/?x=1`);
    // A reload (no fragment any more) keeps working.
    expect(takeSessionToken()).toBe('abc-123');
  });

  it('is absent when the page was opened without one', () => {
    expect(takeSessionToken()).toBeNull();
  });
});

describe('HTTP transport', () => {
  it('posts the operation with the bearer token and returns the envelope', async () => {
    const fetchImpl = vi.fn(async () => Response.json({ ok: true, data: [] }));
    const api = httpCounter('tok', fetchImpl);
    expect(await api.invoke('family.search', { text: 'zoe' })).toEqual({ ok: true, data: [] });
    expect(fetchImpl).toHaveBeenCalledWith('/api/invoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer tok' },
      body: JSON.stringify({ name: 'family.search', input: { text: 'zoe' } }),
    });
  });

  it('passes the host’s refusal through, in French', async () => {
    const refusal = { ok: false, error: { code: 'UNAUTHORIZED', message: 'Jeton de session invalide.' } };
    const api = httpCounter('faux', async () => Response.json(refusal, { status: 401 }));
    expect(await api.invoke('system.info', {})).toEqual(refusal);
  });

  it('turns a network failure into an envelope instead of throwing', async () => {
    const api = httpCounter('tok', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await api.invoke('system.info', {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: CONNECTION_LOST },
    });
  });

  it('turns a page that is not an envelope into one', async () => {
    const api = httpCounter('tok', async () => new Response('<html>Bad gateway</html>', { status: 502 }));
    const r = await api.invoke('system.info', {});
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('INTERNAL');
  });
});
