import { isLoopbackHostname, type Env } from 'agentllm/toolkit';

/**
 * Which Jira site a token may be sent to. A token is validated against one site and stored with
 * its URL; it is only ever sent to that site. A URL the user pasted must be https (http only for a
 * loopback host), and, when the operator set JIRA_ALLOWED_HOSTS, one of those hosts.
 */

/** The site of a Jira URL, for comparing: lower-case origin plus path, no trailing slash. */
export function siteOf(url: string): string {
  try {
    const parsed = new URL(url.trim());
    return `${parsed.protocol}//${parsed.host.toLowerCase()}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url.trim().replace(/\/+$/, '').toLowerCase();
  }
}

/** Why a token stored for `storedUrl` must not go to the agent's `serverUrl`, or undefined when they are one site. */
export function siteMismatch(storedUrl: string | undefined, serverUrl: string | undefined): string | undefined {
  if (!storedUrl || !serverUrl || siteOf(storedUrl) === siteOf(serverUrl)) return undefined;
  return `Your stored Jira token is for ${siteOf(storedUrl)}, but this agent works with ${siteOf(serverUrl)}: I won't send it there. Please give me a token for ${siteOf(serverUrl)} (it replaces the stored one).`;
}

/** Why a Jira URL the user gave may not be used, or undefined when it may. */
export function checkJiraUrl(url: string, env: Env): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return `"${url.slice(0, 80)}" is not a valid Jira address (expected e.g. https://yourcompany.atlassian.net)`;
  }
  const host = parsed.hostname.toLowerCase();
  const allowed = allowedHosts(env);
  if (allowed.length > 0 && !allowed.some((pattern) => matchesHost(pattern, host)) && !isLoopbackHostname(host)) {
    return `this server only connects to the Jira sites its administrator allowed, and ${host} is not one of them`;
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && (isLoopbackHostname(host) || allowed.some((pattern) => matchesHost(pattern, host)))) return undefined;
  return `the Jira address must start with https:// (a token is never sent in clear text), got ${parsed.protocol}//${host}`;
}

/** JIRA_ALLOWED_HOSTS: comma-separated host names, `*.example.com` for any subdomain. */
function allowedHosts(env: Env): string[] {
  return (env.JIRA_ALLOWED_HOSTS ?? '').split(',').map((host) => host.trim().toLowerCase()).filter(Boolean);
}

function matchesHost(pattern: string, host: string): boolean {
  return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern;
}
