import { describe, expect, it } from 'vitest';
import type { ToolkitManifest } from '../../src/config/definitions.ts';
import { detectCredential, detectCredentials } from '../../src/toolkit/detect-credential.ts';
import { driveManifest, jiraManifest, makeToolkit } from './toolkit-fixtures.ts';

const jira = makeToolkit(jiraManifest());
const drive = makeToolkit(driveManifest());
const ATLASSIAN_TOKEN = 'ATATT3xFfGF0a1B2c3D4e5F6g7H8i9J0kLmNoPqRsT=AB12CD34';

describe('detectCredential', () => {
  it('finds a token given with an explicit phrase and says where the secret is', () => {
    const message = 'my jira token is abcDEF1234567890xyz';
    const detected = detectCredential(jira, message);
    expect(detected?.toolkit).toBe('jira');
    expect(detected?.fields).toEqual({ token: 'abcDEF1234567890xyz' });
    const secret = detected!.secrets[0]!;
    expect(message.slice(secret.start, secret.end)).toBe('abcDEF1234567890xyz');
    expect(detected?.missing).toEqual(['email']);
  });

  it('is case-insensitive and collects fields given by different patterns', () => {
    const detected = detectCredential(jira, 'My EMAIL is ana@example.com and MY JIRA API TOKEN: abcDEF1234567890xyz');
    expect(detected?.fields).toEqual({ token: 'abcDEF1234567890xyz', email: 'ana@example.com' });
    expect(detected?.missing).toEqual([]);
  });

  it('recognises a known token format without a phrase', () => {
    expect(detectCredential(jira, `here you go: ${ATLASSIAN_TOKEN}`)?.fields.token).toBe(ATLASSIAN_TOKEN);
  });

  it('does not take a commit hash or a random base64 string for a token', () => {
    const commit = '3f2c9a1b7d4e6f8091a2b3c4d5e6f708192a3b4c';
    const base64 = 'q83vEjRWeJA7Zm9vYmFyYmF6cXV4K2xvbmcvc3RyaW5nPT0xMjM0NTY3ODkw+/==';
    expect(detectCredential(jira, `please review commit ${commit}`)).toBeUndefined();
    expect(detectCredential(jira, base64)).toBeUndefined();
    expect(detectCredential(jira, `the payload was ${base64} and ${commit}`)).toBeUndefined();
  });

  it('ignores implausible values: short, placeholders, elisions, one repeated character', () => {
    for (const value of ['short', '<your-api-token>', 'ATATT3...', 'xxxxxxxxxxxx']) {
      expect(detectCredential(jira, `my jira token is ${value}`), value).toBeUndefined();
    }
  });

  it('skips an implausible match and takes a later plausible one', () => {
    const detected = detectCredential(jira, 'my jira token is ****. Sorry, my jira token is realToken12345');
    expect(detected?.fields.token).toBe('realToken12345');
  });

  it('strips quotes and sentence punctuation around the value', () => {
    const message = 'My Jira token is "abcDEF1234567".';
    const detected = detectCredential(jira, message);
    expect(detected?.fields.token).toBe('abcDEF1234567');
    const secret = detected!.secrets[0]!;
    expect(message.slice(secret.start, secret.end)).toBe('abcDEF1234567');
  });

  it('does not report a credential made only of non-secret fields', () => {
    expect(detectCredential(jira, 'my email is ana@example.com')).toBeUndefined();
  });

  it('finds an oauth2 authorization code pasted in chat', () => {
    const detected = detectCredential(drive, 'the code is 4/0AX4XfWhQ1b2C3d4E5f6G7h8');
    expect(detected?.fields).toEqual({ code: '4/0AX4XfWhQ1b2C3d4E5f6G7h8' });
    expect(detected?.secrets.map((span) => span.field)).toEqual(['code']);
  });

  it('finds nothing for an oauth2 toolkit without detect patterns', () => {
    const manifest: ToolkitManifest = { ...driveManifest(), credential: { type: 'oauth2', provider: 'google', scopes: ['x'] } };
    expect(detectCredential(makeToolkit(manifest), 'code: 4/0AX4XfWhQ1b2C3d4E5f6G7h8')).toBeUndefined();
  });

  it('accepts a manifest pattern that is only valid without the unicode flag', () => {
    const manifest = jiraManifest();
    manifest.credential = { type: 'api_token', fields: [{ name: 'token', secret: true }], detect: ['token\\:\\s*(?<token>\\S+)'] };
    expect(detectCredential(makeToolkit(manifest), 'token: abcDEF1234567')?.fields.token).toBe('abcDEF1234567');
  });
});

describe('detectCredentials', () => {
  it('returns the first credential of each toolkit, in order', () => {
    const found = detectCredentials([jira, drive], `code: 4/0AX4XfWhQ1b2C3d4E5f6G7h8 and ${ATLASSIAN_TOKEN}`);
    expect(found.map((detected) => detected.toolkit)).toEqual(['jira', 'google-drive']);
  });

  it('returns nothing for an ordinary message', () => {
    expect(detectCredentials([jira, drive], 'What is in my sprint this week?')).toEqual([]);
  });
});
