import { describe, expect, it } from 'vitest';
import { detectCredential, detectCredentials } from '../../src/toolkit/detect-credential.ts';
import { redactCredential, redactCredentials, scrubCredential } from '../../src/toolkit/redact-credential.ts';
import { driveManifest, jiraManifest, makeToolkit } from './toolkit-fixtures.ts';

const jira = makeToolkit(jiraManifest());
const drive = makeToolkit(driveManifest());

describe('redactCredential', () => {
  it('replaces every occurrence of the secret and keeps the rest of the message', () => {
    const message = 'my email is ana@example.com, my jira token is abcDEF1234567890xyz (again: abcDEF1234567890xyz)';
    const redacted = redactCredential(message, detectCredential(jira, message)!);
    expect(redacted).not.toContain('abcDEF1234567890xyz');
    expect(redacted).toBe('my email is ana@example.com, my jira token is [redacted] (again: [redacted])');
  });

  it('leaves nothing to detect in a redacted message, so redacting again changes nothing', () => {
    const message = 'my jira token is abcDEF1234567890xyz';
    const redacted = redactCredential(message, detectCredential(jira, message)!);
    expect(detectCredential(jira, redacted)).toBeUndefined();
    expect(detectCredential(jira, 'my jira token is [your token here]')).toBeUndefined();
  });

  it('always redacts oauth2 codes', () => {
    const message = 'code: 4/0AX4XfWhQ1b2C3d4E5f6G7h8, thanks';
    expect(redactCredential(message, detectCredential(drive, message)!)).toBe('code: [redacted], thanks');
  });

  it('redacts the credentials of several toolkits at once', () => {
    const message = 'code: 4/0AX4XfWhQ1b2C3d4E5f6G7h8 and jira token = abcDEF1234567890xyz';
    const redacted = redactCredentials(message, detectCredentials([jira, drive], message));
    expect(redacted).toBe('code: [redacted] and jira token = [redacted]');
  });
});

describe('scrubCredential', () => {
  it('replaces every stored value of 8+ characters in an error message, longest first', () => {
    const credential = { refresh_token: '1//refresh-abcdefgh', access_token: 'ya29.access-123456', token_type: 'Bearer' };
    const message = 'refresh 1//refresh-abcdefgh failed; access ya29.access-123456 (Bearer)';
    expect(scrubCredential(message, credential)).toBe('refresh [redacted] failed; access [redacted] (Bearer)');
    expect(scrubCredential(message, undefined)).toBe(message);
  });
});
