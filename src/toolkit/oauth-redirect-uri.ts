import { AgentLLMError } from '../errors.ts';

/**
 * Where the OAuth provider sends the user back: `<publicUrl>/oauth/<provider>/callback`.
 * `publicUrl` is the server's external base URL (any path prefix kept, trailing slashes dropped).
 */
export function buildOAuthRedirectUri(publicUrl: string, provider: string): string {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw invalidPublicUrl(publicUrl, 'it is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidPublicUrl(publicUrl, 'it must start with http:// or https://');
  if (url.search || url.hash) throw invalidPublicUrl(publicUrl, 'it must not have a query or fragment');
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  return `${base}/oauth/${encodeURIComponent(provider)}/callback`;
}

function invalidPublicUrl(publicUrl: string, why: string): AgentLLMError {
  return new AgentLLMError(`public URL '${publicUrl}' cannot build an OAuth redirect URI: ${why} (e.g. https://agents.example.com)`, { status: 500, code: 'invalid_public_url' });
}
