import type { Credentials, OAuth2Client } from 'google-auth-library';
import type { Credential, Env } from 'agentllm/toolkit';
import { readClientSettings, readGoogleEndpoints } from './google-endpoints.ts';
import { loadGoogleClients } from './load-google-clients.ts';

const TOKEN_FIELDS = ['access_token', 'refresh_token', 'expiry_date', 'scope', 'token_type'] as const;

/** The real google-auth-library OAuth2 client, pointed at the configured endpoints (loads google-auth-library on first use). */
export async function createOAuthClient(env: Env, redirectUri?: string): Promise<OAuth2Client> {
  const { clientId, clientSecret } = readClientSettings(env);
  const endpoints = readGoogleEndpoints(env);
  const { auth } = await loadGoogleClients();
  return new auth.OAuth2Client({
    clientId,
    clientSecret,
    redirectUri,
    // Refresh on a 401/403 even when our expiry_date says the token is still good (revoked early, clock skew).
    forceRefreshOnFailure: true,
    endpoints: {
      oauth2AuthBaseUrl: endpoints.authorizationUrl,
      oauth2TokenUrl: endpoints.tokenUrl,
    },
  });
}

/** An OAuth2 client holding a stored credential; it refreshes the access token when needed. */
export async function createAuthorizedClient(env: Env, credential: Credential): Promise<OAuth2Client> {
  const client = await createOAuthClient(env);
  client.setCredentials(toTokens(credential));
  return client;
}

/** google-auth-library tokens -> a stored Credential (all values strings, nothing empty). */
export function toCredential(tokens: Credentials, previous: Credential = {}): Credential {
  const credential: Credential = { ...previous };
  for (const field of TOKEN_FIELDS) {
    const value = tokens[field];
    if (value !== undefined && value !== null && value !== '') credential[field] = String(value);
  }
  return credential;
}

/** A stored Credential -> google-auth-library tokens. */
export function toTokens(credential: Credential): Credentials {
  const expiry = Number(credential.expiry_date);
  return {
    access_token: credential.access_token || undefined,
    refresh_token: credential.refresh_token || undefined,
    expiry_date: Number.isFinite(expiry) && expiry > 0 ? expiry : undefined,
    scope: credential.scope || undefined,
    token_type: credential.token_type || undefined,
  };
}
