import { stringify } from 'node:querystring';
import type { Env } from 'agentllm/toolkit';
import { readClientSettings, readGoogleEndpoints } from './google-endpoints.ts';

export interface ConsentUrlInput {
  redirectUri: string;
  scopes: string[];
  state: string;
  /** PKCE S256 challenge (Google supports PKCE for web clients too). */
  codeChallenge: string;
}

/**
 * Google's consent page URL for this server's OAuth client, built exactly as google-auth-library's
 * OAuth2Client.generateAuthUrl builds it (same parameters, same order, querystring encoding), so
 * that asking a user to connect does not have to load google-auth-library.
 */
export function buildConsentUrl(env: Env, input: ConsentUrlInput): string {
  const { clientId } = readClientSettings(env);
  const params = {
    access_type: 'offline',
    prompt: 'consent',
    include_granted_scopes: true,
    scope: input.scopes.join(' '),
    state: input.state,
    code_challenge_method: 'S256',
    code_challenge: input.codeChallenge,
    response_type: 'code',
    client_id: clientId,
    redirect_uri: input.redirectUri,
  };
  return `${readGoogleEndpoints(env).authorizationUrl}?${stringify(params)}`;
}
