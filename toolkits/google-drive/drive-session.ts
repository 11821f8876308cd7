import type { drive_v3 } from '@googleapis/drive';
import type { OAuth2Client } from 'google-auth-library';
import type { BuildToolsInput, Credential, Env } from 'agentllm/toolkit';
import { readGoogleEndpoints } from './google-endpoints.ts';
import { loadGoogleClients, type GoogleClients } from './load-google-clients.ts';
import { createAuthorizedClient, toCredential } from './oauth-client.ts';
import { isServiceAccountCredential, openServiceAccountClient } from './service-account.ts';

/** A Drive client for one user's credential, saving refreshed tokens as they arrive. */
export interface DriveSession {
  drive: drive_v3.Drive;
  /** Resolves once every refreshed credential has been handed to saveCredential. */
  flush(): Promise<void>;
  /** The credential as it is now (refreshed tokens included). */
  credential(): Credential;
}

type SessionInput = Pick<BuildToolsInput, 'credential' | 'env'> & {
  saveCredential?: BuildToolsInput['saveCredential'];
};

export async function openDriveSession(input: SessionInput): Promise<DriveSession> {
  if (isServiceAccountCredential(input.credential)) return openServiceAccountSession(input);
  const { credential, env, saveCredential } = input;
  const auth = await createAuthorizedClient(env, credential);
  let current = credential;
  let saving = Promise.resolve();
  auth.on('tokens', (tokens) => {
    current = toCredential(tokens, current);
    const snapshot = current;
    // A failed save must not fail the tool call: the next turn simply refreshes again.
    if (saveCredential) saving = saving.then(() => saveCredential(snapshot)).catch(() => undefined);
  });
  return {
    drive: createDrive(await loadGoogleClients(), auth, env),
    flush: () => saving,
    credential: () => current,
  };
}

/** The operator's service account: its access tokens live in the cached JWT client, nothing is saved. */
async function openServiceAccountSession({ credential, env }: SessionInput): Promise<DriveSession> {
  const auth = await openServiceAccountClient(env);
  return { drive: createDrive(await loadGoogleClients(), auth, env), flush: () => Promise.resolve(), credential: () => credential };
}

/** The real @googleapis/drive v3 client, pointed at GOOGLE_API_BASE_URL. */
function createDrive(clients: GoogleClients, auth: OAuth2Client, env: Env): drive_v3.Drive {
  return clients.drive({ version: 'v3', auth, rootUrl: readGoogleEndpoints(env).apiRootUrl });
}
