import type { GoogleApis } from 'googleapis';

let loading: Promise<GoogleApis> | undefined;

/**
 * googleapis is large (it holds every Google API: ~100 MiB of RSS once imported), so it is
 * imported on first use (a consent-code exchange, a credential check, a Drive tool) rather than
 * when the registry imports this toolkit at start-up. A failed import is retried on the next use.
 */
export function loadGoogleApis(): Promise<GoogleApis> {
  loading ??= import('googleapis').then(
    (module) => module.google,
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
