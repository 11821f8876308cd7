import { describe, expect, it } from 'vitest';
import { looksLikeCredentialAttempt } from '../../src/toolkit/credential-attempt.ts';

describe('looksLikeCredentialAttempt (only consulted while a credential prompt waits)', () => {
  it.each([
    ['9MUU4-8HGZ0', true],
    ['k7qm2 x9wpa', true],
    ['"NjM0MzE2ODk5Nzc5OkpJ2hs"', true],
    ['my token is abc123def456', true],
    ['the code: 4-0AeaYSHBx3kq', true],
    ['done', false],
    ['what is in ABC-1234?', false],
    ['the error code is broken again', false],
    ['Summarize the Incident Playbook', false],
    ['https://docs.google.com/document/d/1AbCdEfGhIjKlMn0pQ/edit', false],
    ['https://agents.example.com/oauth/google/callback?state=x&code=4%2F0Ae', true],
    ['hello again', false],
    ['Hello World', false],
    ['ABCDE-FGHJK', true],
    ['my jira token is nope-bad-token-xyz', true],
    ['my jira token is outdated', false],
    ['the code is well-documented', false],
  ])('%j -> %s', (message, expected) => {
    expect(looksLikeCredentialAttempt(message)).toBe(expected);
  });
});
