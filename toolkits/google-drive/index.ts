import type { BuildToolsInput, Credential, CredentialCheck, Env, ToolkitPlugin } from 'agentllm/toolkit';
import { AgentLLMError } from 'agentllm/toolkit';
import { describeDriveError, describeOAuthError } from './drive-errors.ts';
import { openDriveSession } from './drive-session.ts';
import { buildConsentUrl } from './consent-url.ts';
import { createInstructionsLoader } from './instructions-doc.ts';
import { DEFAULT_SCOPES } from './google-endpoints.ts';
import { createOAuthClient, toCredential } from './oauth-client.ts';
import { hasServiceAccount, SERVICE_ACCOUNT_CREDENTIAL } from './service-account.ts';
import { readSettings } from './settings.ts';
import { createDriveTools } from './tools.ts';

/**
 * Google Drive toolkit: read-only Drive tools with the user's own Google account (OAuth 2.0),
 * through the real @googleapis/drive and google-auth-library clients. Env: GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET,
 * operator-level fallbacks GOOGLE_REFRESH_TOKEN, else a service account (GOOGLE_SERVICE_ACCOUNT_KEY or
 * GOOGLE_APPLICATION_CREDENTIALS, GOOGLE_SERVICE_ACCOUNT_SUBJECT), and endpoint overrides
 * GOOGLE_OAUTH_BASE_URL, GOOGLE_TOKEN_BASE_URL, GOOGLE_API_BASE_URL.
 */
export { DEFAULT_SCOPES };

export interface GoogleDrivePlugin extends ToolkitPlugin {
  /** The text of the agent's `instructions_doc`, read with the user's credential (cached 10 minutes). */
  loadInstructions(input: BuildToolsInput): Promise<string | undefined>;
}

const plugin: GoogleDrivePlugin = {
  authorizationUrl({ env, redirectUri, scopes, state, codeChallenge }) {
    return buildConsentUrl(env, { redirectUri, scopes: scopes.length > 0 ? scopes : DEFAULT_SCOPES, state, codeChallenge });
  },

  async exchangeCode({ env, redirectUri, code, codeVerifier }) {
    const client = await createOAuthClient(env, redirectUri);
    try {
      const { tokens } = await client.getToken({ code: decodeCode(code), redirect_uri: redirectUri, codeVerifier });
      return toCredential(tokens);
    } catch (error) {
      throw new AgentLLMError(`Google did not accept the authorization code: ${describeOAuthError(error)}`, {
        status: 400,
        code: 'invalid_authorization_code',
        cause: error,
      });
    }
  },

  async validateCredential({ credential, env, signal }) {
    return checkCredential(credential, env, signal);
  },

  credentialFromEnv(env) {
    const refreshToken = env.GOOGLE_REFRESH_TOKEN?.trim();
    if (refreshToken) return { refresh_token: refreshToken, token_type: 'Bearer' };
    return hasServiceAccount(env) ? { ...SERVICE_ACCOUNT_CREDENTIAL } : undefined;
  },

  async buildTools(input) {
    return createDriveTools(await openDriveSession(input), readSettings(input.config));
  },

  loadInstructions: createInstructionsLoader(),
};

export default plugin;

/** about.get(fields=user) with the credential; refreshes it first when the access token expired. */
async function checkCredential(credential: Credential, env: Env, signal?: AbortSignal): Promise<CredentialCheck> {
  try {
    const session = await openDriveSession({ credential, env });
    const res = await session.drive.about.get({ fields: 'user(displayName,emailAddress)' }, { signal });
    const user = res.data.user;
    const account = user?.emailAddress ?? user?.displayName ?? undefined;
    return { ok: true, credential: session.credential(), ...(account ? { account } : {}) };
  } catch (error) {
    const message = error instanceof AgentLLMError ? error.message : describeDriveError(error, 'your Google account').message;
    return { ok: false, error: message };
  }
}

/** Codes pasted from a redirect URL arrive URL-encoded (4%2F0A...). */
function decodeCode(code: string): string {
  const trimmed = code.trim();
  if (!trimmed.includes('%')) return trimmed;
  try {
    return decodeURIComponent(trimmed);
  } catch {
    return trimmed;
  }
}
