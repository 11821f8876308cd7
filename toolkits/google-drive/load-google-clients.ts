import type * as DriveModule from '@googleapis/drive';
import type * as AuthModule from 'google-auth-library';

/** The two Google client libraries the toolkit uses: Drive v3 and google-auth-library (OAuth2, JWT). */
export interface GoogleClients {
  drive: typeof DriveModule.drive;
  auth: Pick<typeof AuthModule, 'OAuth2Client' | 'JWT'>;
}

let loading: Promise<GoogleClients> | undefined;

/**
 * The Google client libraries are imported on first use (a consent-code exchange, a credential
 * check, a Drive tool) rather than when the registry imports this toolkit at start-up, so a
 * server whose agents never touch Drive does not pay for them. A failed import is retried on the next use.
 */
export function loadGoogleClients(): Promise<GoogleClients> {
  loading ??= Promise.all([import('@googleapis/drive'), import('google-auth-library')]).then(
    ([drive, auth]) => ({ drive: drive.drive, auth: { OAuth2Client: auth.OAuth2Client, JWT: auth.JWT } }),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
