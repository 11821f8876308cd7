import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NonceStore } from '../../src/store/store.ts';
import { consumeOAuthState, createOAuthState, verifyOAuthState } from '../../src/toolkit/oauth-state.ts';

const key = randomBytes(32);
const input = {
  userId: '6f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b',
  toolkit: 'google-drive',
  agent: 'project-assistant',
  sessionId: '0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
};
const NOW = 1_750_000_000_000;

/** What the store's NonceStore promises: true the first time, false after. */
function createMemoryNonces(): NonceStore & { seen: Map<string, number> } {
  const seen = new Map<string, number>();
  return {
    seen,
    async consume(nonce, expiresAt) {
      if (seen.has(nonce)) return false;
      seen.set(nonce, expiresAt);
      return true;
    },
  };
}

describe('OAuth state', () => {
  it('round-trips the payload, with an expiry ten minutes ahead by default', () => {
    const state = createOAuthState(key, input, { now: NOW });
    const check = verifyOAuthState(key, state, { now: NOW + 1000, expectedUserId: input.userId });
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.payload).toMatchObject({ ...input, exp: NOW + 10 * 60 * 1000 });
    expect(check.payload.nonce).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  });

  it('keeps the session id optional', () => {
    const { sessionId: _, ...withoutSession } = input;
    const check = verifyOAuthState(key, createOAuthState(key, withoutSession, { now: NOW }), { now: NOW });
    expect(check.ok && check.payload.sessionId).toBe(undefined);
  });

  it('fits in a URL: under 300 URL-safe characters', () => {
    const state = createOAuthState(key, input);
    expect(state.length).toBeLessThan(300);
    expect(state).toMatch(/^[A-Za-z0-9_.-]+$/);
  });

  it('gives a new nonce to every state', () => {
    expect(createOAuthState(key, input, { now: NOW })).not.toBe(createOAuthState(key, input, { now: NOW }));
  });

  it('rejects a tampered payload, a forged signature and another key', () => {
    const state = createOAuthState(key, input, { now: NOW });
    const [body, signature] = state.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), u: 'mallory' })).toString('base64url');
    expect(verifyOAuthState(key, `${forged}.${signature}`, { now: NOW })).toEqual({ ok: false, reason: 'bad_signature' });
    const flip = (char: string): string => (char === 'A' ? 'B' : 'A');
    const firstFlipped = `${flip(signature[0]!)}${signature.slice(1)}`;
    const lastFlipped = `${signature.slice(0, -1)}${flip(signature.at(-1)!)}`;
    expect(verifyOAuthState(key, `${body}.${firstFlipped}`, { now: NOW })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyOAuthState(key, `${body}.${lastFlipped}`, { now: NOW })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyOAuthState(randomBytes(32), state, { now: NOW })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects malformed states', () => {
    for (const state of ['', 'abc', 'a.b.c', '.sig', 'x'.repeat(5000)]) {
      expect(verifyOAuthState(key, state).ok, state.slice(0, 10)).toBe(false);
      expect(verifyOAuthState(key, state)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('rejects an expired state', () => {
    const state = createOAuthState(key, input, { now: NOW, ttlMs: 60_000 });
    expect(verifyOAuthState(key, state, { now: NOW + 60_000 })).toEqual({ ok: false, reason: 'expired' });
  });

  it("rejects another user's state", () => {
    const state = createOAuthState(key, input, { now: NOW });
    expect(verifyOAuthState(key, state, { now: NOW, expectedUserId: 'someone-else' })).toEqual({ ok: false, reason: 'wrong_user' });
  });

  it('accepts a state once and reports the second use as replayed', async () => {
    const nonces = createMemoryNonces();
    const state = createOAuthState(key, input, { now: NOW });
    const first = await consumeOAuthState(key, state, nonces, { now: NOW });
    expect(first.ok).toBe(true);
    expect(await consumeOAuthState(key, state, nonces, { now: NOW })).toEqual({ ok: false, reason: 'replayed' });
    expect([...nonces.seen.values()]).toEqual([NOW + 10 * 60 * 1000]);
  });

  it('does not consume the nonce of a state that fails verification', async () => {
    const nonces = createMemoryNonces();
    const state = createOAuthState(key, input, { now: NOW });
    expect(await consumeOAuthState(key, state, nonces, { now: NOW, expectedUserId: 'other' })).toEqual({ ok: false, reason: 'wrong_user' });
    expect(nonces.seen.size).toBe(0);
  });

  it('refuses a key too short to be safe', () => {
    expect(() => createOAuthState(Buffer.from('short'), input)).toThrow(/at least 16 bytes/);
  });
});
