import type { FakeGoogle } from '../../fakes/google-server.ts';
import type { Env } from '../../../src/toolkit/plugin.ts';

/** The plugin's environment, every Google endpoint pointed at the fake. */
export function fakeEnv(fake: FakeGoogle, extra: Env = {}): Env {
  return {
    GOOGLE_CLIENT_ID: fake.clientId,
    GOOGLE_CLIENT_SECRET: fake.clientSecret,
    GOOGLE_OAUTH_BASE_URL: fake.url,
    GOOGLE_TOKEN_BASE_URL: fake.url,
    GOOGLE_API_BASE_URL: fake.url,
    ...extra,
  };
}
