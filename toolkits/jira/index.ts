import type { Credential, CredentialCheck, Env, Tool, ToolkitPlugin, ValidateCredentialInput } from 'agentllm/toolkit';
import { countTool, searchTool } from './search-tools.ts';
import { getIssueTool } from './issue-tool.ts';
import { connectJira, describeJiraError } from './jira-api.ts';
import { readSettings } from './settings.ts';
import { checkJiraUrl, siteMismatch } from './jira-site.ts';
import { sprintTool } from './sprint-tool.ts';
import type { JiraToolDeps } from './tool-deps.ts';
import { fixVersionsTool, versionIssuesTool } from './version-tools.ts';
import { buildWriteTools } from './write-tools.ts';

/**
 * Jira toolkit: read-only tools over JQL search, issues, versions and sprints, plus comment/create/update
 * tools when the agent's config allows them. Cloud uses email + API token; Server/DC a personal access token.
 */
const plugin: ToolkitPlugin = {
  buildTools({ credential, config, env }): Tool[] {
    const settings = readSettings(config);
    const deps: JiraToolDeps = { settings, connect: (signal) => connectJira({ credential, settings, signal, fallbackUrl: env.JIRA_URL }) };
    return [
      searchTool(deps),
      countTool(deps),
      getIssueTool(deps),
      fixVersionsTool(deps),
      versionIssuesTool(deps),
      sprintTool(deps),
      ...buildWriteTools(deps),
    ];
  },

  validateCredential,

  credentialFromEnv(env: Env): Credential | undefined {
    const token = env.JIRA_API_TOKEN?.trim();
    if (!token) return undefined;
    const credential: Credential = { token };
    if (env.JIRA_EMAIL?.trim()) credential.email = env.JIRA_EMAIL.trim();
    if (env.JIRA_URL?.trim()) credential.url = env.JIRA_URL.trim();
    return credential;
  },

  credentialMismatch: ({ credential, config }) => siteMismatch(credential.url, readSettings(config).serverUrl),
};

/**
 * Checks a credential by fetching the current user; the account is their name and email. The
 * stored credential keeps the Jira URL it was checked against, so agents without `server_url`
 * (and other agents of the same user) reach the same Jira.
 */
async function validateCredential({ credential, config, env, signal }: ValidateCredentialInput): Promise<CredentialCheck> {
  const settings = readSettings(config);
  // A URL the user gave (not the agent's server_url): https only, and within JIRA_ALLOWED_HOSTS when set.
  const given = settings.serverUrl ? undefined : credential.url;
  const urlProblem = given ? checkJiraUrl(given, env) : undefined;
  if (urlProblem) return { ok: false, error: urlProblem };
  let host: string | undefined;
  try {
    const api = await connectJira({ credential, settings, signal, fallbackUrl: env.JIRA_URL });
    host = api.host;
    const user = await api.currentUser();
    const name = user.displayName ?? user.name ?? user.accountId;
    const email = user.emailAddress ?? credential.email;
    const account = [name, email && email !== name ? `<${email}>` : undefined].filter(Boolean).join(' ');
    return { ok: true, credential: { ...credential, url: api.host }, account: account || undefined };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const message = host || typeof status === 'number' ? describeJiraError(error, host) : (error as Error).message;
    return { ok: false, error: message };
  }
}

export default plugin;
