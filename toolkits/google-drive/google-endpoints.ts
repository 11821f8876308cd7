import { AgentLLMError } from 'agentllm/toolkit';
import type { Env } from 'agentllm/toolkit';

/** What the toolkit asks Google for: read-only access to Drive. */
export const DEFAULT_SCOPES = ['https://www.googleapis.com/auth/drive.readonly'];

/**
 * Where the plugin talks to Google. Defaults are Google's public endpoints; the overrides point
 * the real client at a Google-compatible proxy or at the test fake.
 */
export interface GoogleEndpoints {
  /** Consent page, e.g. https://accounts.google.com/o/oauth2/v2/auth */
  authorizationUrl: string;
  /** Token endpoint, e.g. https://oauth2.googleapis.com/token */
  tokenUrl: string;
  /** Root of the REST APIs, with a trailing slash, e.g. https://www.googleapis.com/ */
  apiRootUrl: string;
}

export interface GoogleClientSettings {
  clientId: string;
  clientSecret: string;
}

export function readGoogleEndpoints(env: Env): GoogleEndpoints {
  const oauthBase = trimSlash(env.GOOGLE_OAUTH_BASE_URL || 'https://accounts.google.com');
  const tokenBase = trimSlash(env.GOOGLE_TOKEN_BASE_URL || 'https://oauth2.googleapis.com');
  const apiBase = trimSlash(env.GOOGLE_API_BASE_URL || 'https://www.googleapis.com');
  return {
    authorizationUrl: `${oauthBase}/o/oauth2/v2/auth`,
    tokenUrl: `${tokenBase}/token`,
    apiRootUrl: `${apiBase}/`,
  };
}

/** The OAuth client registered in Google Cloud console; without it no consent URL can be made. */
export function readClientSettings(env: Env): GoogleClientSettings {
  const clientId = env.GOOGLE_CLIENT_ID;
  const clientSecret = env.GOOGLE_CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    throw new AgentLLMError(
      'Google Drive is not set up on this server: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET ' +
        '(an OAuth client of type "Web application" from Google Cloud console).',
      { status: 503, code: 'google_oauth_not_configured' },
    );
  }
  return { clientId, clientSecret };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
