import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { JWT } from 'google-auth-library';
import { AgentLLMError } from 'agentllm/toolkit';
import type { Credential, Env } from 'agentllm/toolkit';
import { describeOAuthError } from './drive-errors.ts';
import { DEFAULT_SCOPES, readGoogleEndpoints } from './google-endpoints.ts';
import { loadGoogleClients } from './load-google-clients.ts';

/**
 * The operator-level service account: GOOGLE_SERVICE_ACCOUNT_KEY (the key JSON itself) or
 * GOOGLE_APPLICATION_CREDENTIALS (the path of the key file), optionally impersonating
 * GOOGLE_SERVICE_ACCOUNT_SUBJECT through domain-wide delegation. The credential handed around is
 * only a marker: the private key is read from the environment when a Drive session opens, and
 * never reaches the store, a log or the model.
 */
export const SERVICE_ACCOUNT_CREDENTIAL: Credential = { type: 'service_account' };
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const MAX_CLIENTS = 4;

interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

/** JWT clients by key + subject + token endpoint: each keeps its access token until it expires. */
const clients = new Map<string, JWT>();

export function hasServiceAccount(env: Env): boolean {
  return Boolean(env.GOOGLE_SERVICE_ACCOUNT_KEY?.trim() || env.GOOGLE_APPLICATION_CREDENTIALS?.trim());
}

export function isServiceAccountCredential(credential: Credential): boolean {
  return credential.type === SERVICE_ACCOUNT_CREDENTIAL.type;
}

/**
 * google-auth-library's JWT client for the configured service account (Drive read-only scope),
 * holding an access token: Google's refusal (a revoked key, a subject without domain-wide
 * delegation) is the operator's to fix, so it is said here rather than as the user's expired access.
 */
export async function openServiceAccountClient(env: Env): Promise<JWT> {
  const client = await createServiceAccountClient(env);
  try {
    await client.getAccessToken();
  } catch (error) {
    throw misconfigured(`Google refused its token request: ${describeOAuthError(error)}`);
  }
  return client;
}

async function createServiceAccountClient(env: Env, scopes = DEFAULT_SCOPES): Promise<JWT> {
  const key = parseKey(await readKeyText(env));
  const subject = env.GOOGLE_SERVICE_ACCOUNT_SUBJECT?.trim() || undefined;
  const tokenUrl = readGoogleEndpoints(env).tokenUrl;
  const id = createHash('sha256').update(JSON.stringify([key.private_key, key.client_email, subject, tokenUrl, scopes])).digest('hex');
  const cached = clients.get(id);
  if (cached) return cached;
  const { auth } = await loadGoogleClients();
  const client = new auth.JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes, subject });
  if (tokenUrl !== GOOGLE_TOKEN_URL) redirectTokenRequests(client, tokenUrl);
  if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
  clients.set(id, client);
  return client;
}

async function readKeyText(env: Env): Promise<{ text: string; from: string }> {
  const inline = env.GOOGLE_SERVICE_ACCOUNT_KEY?.trim();
  if (inline) return { text: inline, from: 'GOOGLE_SERVICE_ACCOUNT_KEY' };
  const path = env.GOOGLE_APPLICATION_CREDENTIALS?.trim() ?? '';
  try {
    return { text: await readFile(path, 'utf8'), from: `GOOGLE_APPLICATION_CREDENTIALS (${path})` };
  } catch (error) {
    throw misconfigured(`cannot read the key file GOOGLE_APPLICATION_CREDENTIALS names (${path}): ${(error as Error).message}`);
  }
}

function parseKey({ text, from }: { text: string; from: string }): ServiceAccountKey {
  let key: Record<string, unknown>;
  try {
    key = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw misconfigured(`${from} is not JSON; it must hold a service account key file's content`);
  }
  if (key?.type !== 'service_account' || typeof key.client_email !== 'string' || typeof key.private_key !== 'string') {
    throw misconfigured(`${from} is not a service account key (a JSON key with "type": "service_account", client_email and private_key)`);
  }
  const keyId = typeof key.private_key_id === 'string' ? key.private_key_id : undefined;
  return { client_email: key.client_email, private_key: key.private_key, ...(keyId ? { private_key_id: keyId } : {}) };
}

/**
 * google-auth-library signs service-account assertions for Google's fixed token endpoint (the
 * assertion's audience stays https://oauth2.googleapis.com/token, as Google requires); the request
 * itself goes to GOOGLE_TOKEN_BASE_URL when that is set, like every other token request here.
 */
function redirectTokenRequests(client: JWT, tokenUrl: string): void {
  client.transporter.interceptors.request.add({
    resolved: async (options) => {
      if (String(options.url) === GOOGLE_TOKEN_URL) options.url = new URL(tokenUrl);
      return options;
    },
  });
}

function misconfigured(detail: string): AgentLLMError {
  return new AgentLLMError(`The Google service account is not set up correctly on this server: ${detail}.`, {
    status: 503,
    code: 'google_service_account_invalid',
  });
}
