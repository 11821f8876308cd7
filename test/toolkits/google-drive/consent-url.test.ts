import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import { describe, expect, it } from 'vitest';
import { buildConsentUrl } from '../../../toolkits/google-drive/consent-url.ts';

const env = { GOOGLE_CLIENT_ID: 'client-id.apps.googleusercontent.com', GOOGLE_CLIENT_SECRET: 'secret', GOOGLE_OAUTH_BASE_URL: 'http://127.0.0.1:9/' };
const input = { redirectUri: 'http://127.0.0.1:8000/oauth/google/callback', scopes: ['https://www.googleapis.com/auth/drive.readonly', 'openid email'], state: 'a.b-c_d~e/f+g=', codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' };

describe('buildConsentUrl (without loading google-auth-library)', () => {
  it("is exactly the URL google-auth-library's generateAuthUrl builds", () => {
    const client = new OAuth2Client({
      clientId: env.GOOGLE_CLIENT_ID,
      clientSecret: env.GOOGLE_CLIENT_SECRET,
      redirectUri: input.redirectUri,
      endpoints: { oauth2AuthBaseUrl: 'http://127.0.0.1:9/o/oauth2/v2/auth' },
    });
    const expected = client.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: true,
      scope: input.scopes,
      state: input.state,
      code_challenge_method: CodeChallengeMethod.S256,
      code_challenge: input.codeChallenge,
    });
    expect(buildConsentUrl(env, input)).toBe(expected);
  });

  it('says which variables to set when the OAuth client is not configured', () => {
    expect(() => buildConsentUrl({}, input)).toThrow(/GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET/);
  });
});
