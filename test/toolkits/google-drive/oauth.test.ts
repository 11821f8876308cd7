import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../../toolkits/google-drive/index.ts';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google-server.ts';
import { fakeEnv } from './fake-env.ts';

const SCOPE = 'https://www.googleapis.com/auth/drive.readonly';
const REDIRECT = 'http://127.0.0.1:9/oauth/google/callback';
/** A PKCE pair as RFC 7636 defines S256: challenge = BASE64URL(SHA-256(verifier)). */
const VERIFIER = 'dBjftJeZ4CVP-mJ92K9dtrkW7NrKbtvr3G3UNOhBc1M';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

let fake: FakeGoogle;
beforeAll(async () => {
  fake = await startFakeGoogle();
});
afterAll(() => fake.close());

function consentUrl(state = 'signed-state-123'): URL {
  const url = plugin.authorizationUrl?.({ state, redirectUri: REDIRECT, scopes: [SCOPE], env: fakeEnv(fake), config: {}, codeChallenge: CHALLENGE });
  return new URL(url ?? '');
}

describe('google-drive OAuth', () => {
  it('builds a consent URL at the configured base with state, scope and offline access', () => {
    const url = consentUrl();
    expect(url.origin + url.pathname).toBe(`${fake.url}/o/oauth2/v2/auth`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      state: 'signed-state-123',
      scope: SCOPE,
      client_id: fake.clientId,
      redirect_uri: REDIRECT,
      response_type: 'code',
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      code_challenge_method: 'S256',
      code_challenge: CHALLENGE,
    });
  });

  it("points at Google's consent page by default", () => {
    const url = plugin.authorizationUrl?.({
      state: 's', redirectUri: REDIRECT, scopes: [SCOPE], config: {}, codeChallenge: CHALLENGE,
      env: { GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'secret' },
    });
    expect(url).toMatch(/^https:\/\/accounts\.google\.com\/o\/oauth2\/v2\/auth\?/);
  });

  it('says which variables to set when the OAuth client is not configured', () => {
    expect(() => plugin.authorizationUrl?.({ state: 's', redirectUri: REDIRECT, scopes: [SCOPE], config: {}, env: {}, codeChallenge: CHALLENGE }))
      .toThrow(/GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET/);
  });

  it('completes the round trip: consent page redirects back with a code the plugin trades for tokens', async () => {
    const consent = await fetch(consentUrl('round-trip'), { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') ?? '');
    expect(back.origin + back.pathname).toBe('http://127.0.0.1:9/oauth/google/callback');
    expect(back.searchParams.get('state')).toBe('round-trip');

    const credential = await plugin.exchangeCode?.({
      code: back.searchParams.get('code') ?? '', redirectUri: REDIRECT, scopes: [SCOPE], env: fakeEnv(fake), config: {}, codeVerifier: VERIFIER,
    });
    expect(credential).toMatchObject({ scope: SCOPE, token_type: 'Bearer' });
    expect(credential?.access_token).toMatch(/^ya29\./);
    expect(credential?.refresh_token).toMatch(/^1\/\//);
    expect(Number(credential?.expiry_date)).toBeGreaterThan(Date.now());
    expect(fake.requests.find((r) => r.path === '/token')?.form).toMatchObject({ grant_type: 'authorization_code', redirect_uri: REDIRECT, code_verifier: VERIFIER });
  });

  it('accepts a code pasted URL-encoded from the address bar', async () => {
    const code = fake.issueCode();
    const credential = await plugin.exchangeCode?.({
      code: encodeURIComponent(code), redirectUri: REDIRECT, scopes: [SCOPE], env: fakeEnv(fake), config: {}, codeVerifier: VERIFIER,
    });
    expect(credential?.access_token).toMatch(/^ya29\./);
  });

  it('sends the PKCE verifier: a code issued for a challenge is refused with another verifier', async () => {
    const consent = await fetch(consentUrl('pkce'), { redirect: 'manual' });
    const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const other = 'another-verifier-of-43-characters-0123456789';
    await expect(plugin.exchangeCode?.({ code, redirectUri: REDIRECT, scopes: [SCOPE], env: fakeEnv(fake), config: {}, codeVerifier: other }))
      .rejects.toMatchObject({ status: 400, message: expect.stringMatching(/Invalid code verifier/) });
  });

  it("rejects a used or unknown code with Google's reason", async () => {
    const exchange = (code: string) =>
      plugin.exchangeCode?.({ code, redirectUri: REDIRECT, scopes: [SCOPE], env: fakeEnv(fake), config: {}, codeVerifier: VERIFIER });
    const code = fake.issueCode();
    await exchange(code);
    await expect(exchange(code)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/authorization code.*Malformed auth code/) });
  });

  it('validates a credential and names the account', async () => {
    const tokens = fake.issueTokens();
    const credential = { access_token: tokens.access_token, refresh_token: tokens.refresh_token, expiry_date: String(tokens.expiry_date) };
    const check = await plugin.validateCredential({ credential, env: fakeEnv(fake), config: {} });
    expect(check).toEqual({ ok: true, credential, account: 'ada@example.com' });
  });

  it('refuses a revoked credential with a message for the user', async () => {
    const tokens = fake.issueTokens();
    fake.expireAccessTokens();
    fake.revokeRefreshToken(tokens.refresh_token);
    const check = await plugin.validateCredential({
      credential: { access_token: tokens.access_token, refresh_token: tokens.refresh_token, expiry_date: String(tokens.expiry_date) },
      env: fakeEnv(fake),
      config: {},
    });
    expect(check).toEqual({ ok: false, error: expect.stringMatching(/expired or was revoked.*connect Google Drive again/) });
  });

  it('refuses a made-up access token', async () => {
    const check = await plugin.validateCredential({ credential: { access_token: 'ya29.nonsense' }, env: fakeEnv(fake), config: {} });
    expect(check).toEqual({ ok: false, error: expect.stringMatching(/rejected the Drive credential/) });
  });

  it("uses the operator's refresh token from GOOGLE_REFRESH_TOKEN when set", async () => {
    expect(plugin.credentialFromEnv?.({})).toBeUndefined();
    const { refresh_token } = fake.issueTokens();
    const credential = plugin.credentialFromEnv?.({ GOOGLE_REFRESH_TOKEN: refresh_token });
    expect(credential).toEqual({ refresh_token, token_type: 'Bearer' });
    const check = await plugin.validateCredential({ credential: credential ?? {}, env: fakeEnv(fake), config: {} });
    expect(check).toMatchObject({ ok: true, account: 'ada@example.com', credential: { refresh_token, access_token: expect.stringMatching(/^ya29\./) } });
  });
});
