import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AgentLLMError } from '../errors.ts';
import type { NonceStore } from '../store/store.ts';

/**
 * The `state` of an OAuth authorization request: `<base64url JSON payload>.<base64url HMAC-SHA256>`.
 * Signed with a key every replica shares, so any replica can verify the callback; a random
 * nonce, consumed once through the NonceStore, stops replays.
 */
export interface OAuthStateInput {
  userId: string;
  toolkit: string;
  agent: string;
  sessionId?: string;
}

export interface OAuthStatePayload extends OAuthStateInput {
  nonce: string;
  /** Expiry, ms since epoch. */
  exp: number;
}

export type OAuthStateFailure = 'malformed' | 'bad_signature' | 'expired' | 'wrong_user' | 'replayed';

export type OAuthStateCheck =
  | { ok: true; payload: OAuthStatePayload }
  | { ok: false; reason: OAuthStateFailure };

export interface VerifyOAuthStateOptions {
  now?: number;
  expectedUserId?: string;
}

export const DEFAULT_STATE_TTL_MS = 10 * 60 * 1000;
const MIN_KEY_BYTES = 16;
const MAX_STATE_CHARS = 4096;

/** Wire form: short keys keep the state small enough for any URL. */
interface WirePayload {
  u: string;
  t: string;
  a: string;
  s?: string;
  n: string;
  e: number;
}

export function createOAuthState(key: Buffer, payload: OAuthStateInput, options: { ttlMs?: number; now?: number } = {}): string {
  checkKey(key);
  const exp = (options.now ?? Date.now()) + (options.ttlMs ?? DEFAULT_STATE_TTL_MS);
  const wire: WirePayload = { u: payload.userId, t: payload.toolkit, a: payload.agent, n: randomBytes(16).toString('base64url'), e: exp };
  if (payload.sessionId !== undefined) wire.s = payload.sessionId;
  const body = Buffer.from(JSON.stringify(wire)).toString('base64url');
  return `${body}.${sign(key, body).toString('base64url')}`;
}

/** Checks signature (constant time), expiry and, when given, the user. Does not consume the nonce. */
export function verifyOAuthState(key: Buffer, state: string, options: VerifyOAuthStateOptions = {}): OAuthStateCheck {
  checkKey(key);
  const parts = typeof state === 'string' && state.length <= MAX_STATE_CHARS ? state.split('.') : [];
  const [body, signature] = parts;
  if (parts.length !== 2 || !body || !signature) return { ok: false, reason: 'malformed' };
  if (!signatureMatches(sign(key, body), signature)) return { ok: false, reason: 'bad_signature' };
  const payload = parsePayload(body);
  if (!payload) return { ok: false, reason: 'malformed' };
  if ((options.now ?? Date.now()) >= payload.exp) return { ok: false, reason: 'expired' };
  if (options.expectedUserId !== undefined && options.expectedUserId !== payload.userId) return { ok: false, reason: 'wrong_user' };
  return { ok: true, payload };
}

/** verifyOAuthState, then marks the nonce used: a second use of the same state is 'replayed'. */
export async function consumeOAuthState(key: Buffer, state: string, nonces: NonceStore, options: VerifyOAuthStateOptions = {}): Promise<OAuthStateCheck> {
  const check = verifyOAuthState(key, state, options);
  if (!check.ok) return check;
  const fresh = await nonces.consume(check.payload.nonce, check.payload.exp);
  return fresh ? check : { ok: false, reason: 'replayed' };
}

function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length < MIN_KEY_BYTES) {
    throw new AgentLLMError(`OAuth state key must be a Buffer of at least ${MIN_KEY_BYTES} bytes`, { status: 500, code: 'oauth_state_key' });
  }
}

function sign(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

function signatureMatches(expected: Buffer, given: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(given)) return false;
  const actual = Buffer.from(given, 'base64url');
  // Re-encoding rejects non-canonical spellings (unused low bits of the last character).
  return actual.length === expected.length && actual.toString('base64url') === given && timingSafeEqual(actual, expected);
}

function parsePayload(body: string): OAuthStatePayload | undefined {
  let wire: Partial<WirePayload>;
  try {
    wire = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<WirePayload>;
  } catch {
    return undefined;
  }
  if (typeof wire !== 'object' || wire === null) return undefined;
  if (!isNonEmpty(wire.u) || !isNonEmpty(wire.t) || !isNonEmpty(wire.a) || !isNonEmpty(wire.n)) return undefined;
  if (typeof wire.e !== 'number' || !Number.isFinite(wire.e)) return undefined;
  if (wire.s !== undefined && typeof wire.s !== 'string') return undefined;
  const payload: OAuthStatePayload = { userId: wire.u, toolkit: wire.t, agent: wire.a, nonce: wire.n, exp: wire.e };
  if (wire.s !== undefined) payload.sessionId = wire.s;
  return payload;
}

function isNonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
