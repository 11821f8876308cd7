import type { AgileClient, Config, Version2Client, Version3Client } from 'jira.js';
import { CredentialRejectedError, type Credential } from 'agentllm/toolkit';
import { toAdf } from './adf.ts';
import type { JiraSettings } from './settings.ts';
import { siteMismatch } from './jira-site.ts';

/**
 * One Jira connection through jira.js. Cloud (email + API token, Basic auth) speaks REST v3 and the
 * enhanced search (/rest/api/3/search/jql, token paging, no total); Server/DC (personal access token,
 * Bearer auth) speaks REST v2 and /rest/api/2/search (startAt paging with an exact total).
 */
export interface RawIssue {
  key: string;
  fields: Record<string, unknown>;
}

export interface SearchPage {
  issues: RawIssue[];
  nextCursor?: string;
  /** Exact total, when the endpoint gives one (Server/DC). */
  total?: number;
}

export interface JiraApi {
  flavor: 'cloud' | 'server';
  host: string;
  agile: AgileClient;
  currentUser(): Promise<{ displayName?: string; emailAddress?: string; name?: string; accountId?: string }>;
  searchPage(input: { jql: string; fields: string[]; limit: number; cursor?: string }): Promise<SearchPage>;
  /** Largest page the search gives for key/one-field queries. */
  countPageSize: number;
  getIssue(key: string, fields: string[]): Promise<RawIssue>;
  remoteLinks(key: string): Promise<Array<{ object?: { url?: string; title?: string } }>>;
  projectVersions(projectKey: string): Promise<Array<Record<string, unknown>>>;
  /** Every field of the site (GET /field): id, name, schema. */
  listFields(): Promise<Array<{ id?: string; name?: string; schema?: { type?: string; custom?: string } }>>;
  addComment(key: string, text: string): Promise<{ id?: string }>;
  createIssue(fields: Record<string, unknown>): Promise<{ key?: string; id?: string }>;
  updateIssue(key: string, fields: Record<string, unknown>): Promise<void>;
  /** A rich-text field value (ADF on Cloud, a string on Server/DC). */
  richText(text: string): unknown;
}

const REQUEST_TIMEOUT_MS = 30_000;

type JiraModule = typeof import('jira.js');
let loading: Promise<JiraModule> | undefined;

/** jira.js (and axios under it) is imported on first use, not when the registry imports the toolkit at start-up. */
function loadJira(): Promise<JiraModule> {
  loading ??= import('jira.js').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** The Jira URL: the agent's `server_url`, else the one stored with the credential, else `fallbackUrl` (JIRA_URL). */
export async function connectJira(input: { credential: Credential; settings: JiraSettings; signal?: AbortSignal; fallbackUrl?: string }): Promise<JiraApi> {
  // A token stored with one site is never sent to another (the runtime prompts before it gets here).
  const mismatch = siteMismatch(input.credential.url, input.settings.serverUrl);
  if (mismatch) throw new Error(mismatch);
  const host = (input.settings.serverUrl ?? input.credential.url ?? input.fallbackUrl?.trim() ?? '').replace(/\/+$/, '');
  if (!host) throw new Error('No Jira URL is known: set server_url in the agent config or JIRA_URL on the server, or give the Jira URL with the token.');
  const token = input.credential.token;
  if (!token) throw new Error('The Jira credential has no token.');
  const email = input.credential.email;
  const baseRequestConfig = { timeout: REQUEST_TIMEOUT_MS, signal: input.signal };
  // Server/DC personal access tokens are Bearer tokens, which jira.js sends for an OAuth 2.0 access token.
  const config: Config = email
    ? { host, authentication: { basic: { email, apiToken: token } }, baseRequestConfig }
    : { host, authentication: { oauth2: { accessToken: token } }, baseRequestConfig };
  const { AgileClient, Version2Client, Version3Client } = await loadJira();
  const agile = new AgileClient(config);
  return email ? cloudApi(new Version3Client(config), host, agile) : serverApi(new Version2Client(config), host, agile);
}

function cloudApi(client: Version3Client, host: string, agile: AgileClient): JiraApi {
  return {
    flavor: 'cloud',
    host,
    agile,
    countPageSize: 5000,
    currentUser: () => client.myself.getCurrentUser(),
    async searchPage({ jql, fields, limit, cursor }) {
      const page = await client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({ jql, fields, maxResults: limit, nextPageToken: cursor });
      return { issues: (page.issues ?? []) as RawIssue[], nextCursor: page.nextPageToken ?? undefined };
    },
    getIssue: async (key, fields) => (await client.issues.getIssue({ issueIdOrKey: key, fields })) as RawIssue,
    remoteLinks: (key) => client.issueRemoteLinks.getRemoteIssueLinks({ issueIdOrKey: key }),
    projectVersions: async (projectKey) => (await client.projectVersions.getProjectVersions({ projectIdOrKey: projectKey })) as never,
    listFields: () => client.issueFields.getFields(),
    addComment: (key, text) => client.issueComments.addComment({ issueIdOrKey: key, comment: toAdf(text) as never }),
    createIssue: (fields) => client.issues.createIssue({ fields: fields as never }),
    updateIssue: async (key, fields) => void (await client.issues.editIssue({ issueIdOrKey: key, fields })),
    richText: toAdf,
  };
}

function serverApi(client: Version2Client, host: string, agile: AgileClient): JiraApi {
  return {
    flavor: 'server',
    host,
    agile,
    countPageSize: 1000,
    currentUser: () => client.myself.getCurrentUser(),
    async searchPage({ jql, fields, limit, cursor }) {
      const startAt = cursor ? Number(cursor) : 0;
      const page = await client.issueSearch.searchForIssuesUsingJql({ jql, fields, maxResults: limit, startAt });
      const issues = (page.issues ?? []) as RawIssue[];
      const total = page.total ?? issues.length;
      const next = startAt + issues.length;
      return { issues, total, nextCursor: issues.length > 0 && next < total ? String(next) : undefined };
    },
    getIssue: async (key, fields) => (await client.issues.getIssue({ issueIdOrKey: key, fields })) as RawIssue,
    remoteLinks: (key) => client.issueRemoteLinks.getRemoteIssueLinks({ issueIdOrKey: key }),
    projectVersions: async (projectKey) => (await client.projectVersions.getProjectVersions({ projectIdOrKey: projectKey })) as never,
    listFields: () => client.issueFields.getFields(),
    addComment: (key, text) => client.issueComments.addComment({ issueIdOrKey: key, comment: text }),
    createIssue: (fields) => client.issues.createIssue({ fields: fields as never }),
    updateIssue: async (key, fields) => void (await client.issues.editIssue({ issueIdOrKey: key, fields })),
    richText: (text) => text,
  };
}

/** A jira.js / axios failure as a message that says what went wrong and, where possible, how to fix it. */
export function describeJiraError(error: unknown, host?: string): string {
  const failure = error as { status?: number; response?: unknown; code?: string; message?: string };
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const body = (failure.response as { data?: unknown } | undefined)?.data;
  const details = jiraMessages(body);
  if (status === 401) return `Jira rejected the credential (401 Unauthorized)${details ? `: ${details}` : ''}. Check the token (and the email for Jira Cloud).`;
  if (status === 403) return `Jira refused access (403 Forbidden)${details ? `: ${details}` : ''}.`;
  if (status) return `Jira answered ${status}${details ? `: ${details}` : ''}.`;
  const where = host ? ` at ${host}` : '';
  return `Could not reach Jira${where}: ${failure.code ?? failure.message ?? 'unknown error'}.`;
}

const MAX_REASON_CHARS = 200;

/**
 * Jira's own error messages (`errorMessages`, `errors`), as one short line. Any other body (an HTML
 * page, a proxy's text) is never echoed: the address may not even be a Jira.
 */
function jiraMessages(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const { errorMessages, errors } = body as { errorMessages?: unknown; errors?: unknown };
  const messages = Array.isArray(errorMessages) ? errorMessages.map(String) : [];
  const fieldErrors = errors && typeof errors === 'object' ? Object.entries(errors).map(([field, message]) => `${field}: ${String(message)}`) : [];
  return sanitizeReason([...messages, ...fieldErrors].join('; '));
}

/** One line, no control characters or markup, at most MAX_REASON_CHARS, without a closing full stop (the caller adds one). */
function sanitizeReason(text: string): string {
  const line = text.replace(/<[^>]*>/g, ' ').replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  const short = line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS - 1)}…` : line;
  return short.replace(/[.\s]+$/, '');
}

/** Runs a Jira call and rethrows failures as Errors with a useful message (a 401 as CredentialRejectedError). */
export async function callJira<T>(api: Pick<JiraApi, 'host'>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const message = describeJiraError(error, api.host);
    // 401: the stored token no longer works (revoked, expired): the runtime asks the user for a new one.
    if ((error as { status?: unknown }).status === 401) throw new CredentialRejectedError(message, { cause: error });
    throw new Error(message, { cause: error });
  }
}
