import { describe, expect, it } from 'vitest';
import { buildOAuthRedirectUri } from '../../src/toolkit/oauth-redirect-uri.ts';

describe('buildOAuthRedirectUri', () => {
  it('appends /oauth/<provider>/callback, normalising slashes and keeping a path prefix', () => {
    expect(buildOAuthRedirectUri('https://agents.example.com', 'google')).toBe('https://agents.example.com/oauth/google/callback');
    expect(buildOAuthRedirectUri('https://agents.example.com///', 'google')).toBe('https://agents.example.com/oauth/google/callback');
    expect(buildOAuthRedirectUri('http://127.0.0.1:8080/agentllm/', 'google')).toBe('http://127.0.0.1:8080/agentllm/oauth/google/callback');
  });

  it('rejects a public URL that cannot be a base', () => {
    expect(() => buildOAuthRedirectUri('agents.example.com', 'google')).toThrow(/absolute URL/);
    expect(() => buildOAuthRedirectUri('ftp://example.com', 'google')).toThrow(/http/);
    expect(() => buildOAuthRedirectUri('https://example.com/?a=1', 'google')).toThrow(/query/);
  });
});
