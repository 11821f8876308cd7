import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JqlError, parseJql } from './jira-jql.ts';
import { defaultJiraData, JIRA_FIELDS } from './jira-seed.ts';

export { defaultJiraData };

/**
 * A fake Jira (Cloud REST v3, Server/DC REST v2 and Agile 1.0) on 127.0.0.1, written from Atlassian's
 * public REST reference. Auth: Basic email:apiToken or Bearer personal access token; anything else
 * gets Jira's 401 body. Searches use a small JQL subset (see jira-jql.ts).
 */
export interface FakeJiraIssue {
  key: string;
  summary: string;
  status?: string;
  type?: string;
  priority?: string;
  assignee?: string | null;
  reporter?: string;
  fixVersions?: string[];
  labels?: string[];
  description?: string;
  sprint?: number;
  /** When the issue was put into its sprint (a Sprint change in its changelog); absent: it was in the sprint from the start. */
  sprintAddedAt?: string;
  /** Creation time (default 2025-01-02T10:00:00.000+0000). */
  created?: string;
  customFields?: Record<string, unknown>;
  comments?: Array<{ author: string; body: string; created?: string }>;
  remoteLinks?: Array<{ url: string; title: string }>;
}
export interface FakeJiraVersion { id: string; name: string; project: string; released: boolean; releaseDate?: string; startDate?: string; description?: string }
export interface FakeJiraSprint { id: number; name: string; state: 'active' | 'closed' | 'future'; boardId: number; startDate?: string; endDate?: string; goal?: string }
export interface FakeJiraBoard { id: number; name: string; project: string; type: 'scrum' | 'kanban' }
export interface FakeJiraUser { accountId: string; displayName: string; emailAddress: string }
export interface FakeJiraData {
  projects: Array<{ key: string; name: string }>;
  versions: FakeJiraVersion[];
  issues: FakeJiraIssue[];
  sprints: FakeJiraSprint[];
  boards: FakeJiraBoard[];
}
export interface FakeJiraRequest { method: string; path: string; query: Record<string, string>; body: unknown; jql?: string; authorization?: string }
/** Another user the fake accepts, with their own Basic (email + API token) or Bearer (PAT) credential. */
export interface FakeJiraAccount { email?: string; apiToken?: string; pat?: string; user: FakeJiraUser }
export interface FakeJiraOptions {
  /** More users, each seen by Jira as themselves (GET /myself, currentUser(), comment authors). */
  accounts?: FakeJiraAccount[];
  email?: string;
  apiToken?: string;
  pat?: string;
  user?: FakeJiraUser;
  data?: Partial<FakeJiraData>;
  /** Largest page for searches returning fields (Cloud: 100) and for key/id-only searches (Cloud: 5000). */
  pageCap?: { full: number; keys: number };
}
export interface FakeJira {
  /** Requests whose path matches are recorded and never answered (until the client gives up or the fake closes). */
  hang(path: RegExp | undefined): void;
  url: string;
  requests: FakeJiraRequest[];
  data: FakeJiraData;
  /** JQL of every search request, in order. */
  jqls(): string[];
  setUser(user: FakeJiraUser): void;
  close(): Promise<void>;
}

export const FAKE_JIRA_EMAIL = 'ada@example.com';
export const FAKE_JIRA_API_TOKEN = 'ATATT3xFfGF0-fake-cloud-token';
export const FAKE_JIRA_PAT = 'fake-server-pat-0123456789';

export async function startFakeJira(options: FakeJiraOptions = {}): Promise<FakeJira> {
  const state: State = {
    user: options.user ?? { accountId: 'acc-ada', displayName: 'Ada Lovelace', emailAddress: FAKE_JIRA_EMAIL },
    data: { ...defaultJiraData(), ...options.data },
    requests: [],
    pageCap: options.pageCap ?? { full: 100, keys: 5000 },
    basic: `Basic ${Buffer.from(`${options.email ?? FAKE_JIRA_EMAIL}:${options.apiToken ?? FAKE_JIRA_API_TOKEN}`).toString('base64')}`,
    bearer: `Bearer ${options.pat ?? FAKE_JIRA_PAT}`,
    origin: '',
    accounts: new Map((options.accounts ?? []).flatMap((account) => accountHeaders(account).map((header) => [header, account.user] as const))),
  };
  const server = createServer((req, res) => void handle(state, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: state.origin,
    requests: state.requests,
    data: state.data,
    jqls: () => state.requests.filter((r) => r.jql !== undefined).map((r) => r.jql as string),
    setUser: (user) => void (state.user = user),
    hang: (path) => void (state.hang = path),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

interface State {
  user: FakeJiraUser;
  data: FakeJiraData;
  requests: FakeJiraRequest[];
  pageCap: { full: number; keys: number };
  basic: string;
  bearer: string;
  origin: string;
  hang?: RegExp;
  accounts: Map<string, FakeJiraUser>;
}

function accountHeaders(account: FakeJiraAccount): string[] {
  const basic = account.apiToken ? [`Basic ${Buffer.from(`${account.email ?? ''}:${account.apiToken}`).toString('base64')}`] : [];
  return [...basic, ...(account.pat ? [`Bearer ${account.pat}`] : [])];
}

class HttpError extends Error {
  constructor(readonly status: number, readonly body: unknown) { super(`HTTP ${status}`); }
}

const jiraError = (status: number, ...messages: string[]) => new HttpError(status, { errorMessages: messages, errors: {} });

async function handle(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', state.origin);
  const body = await readBody(req);
  const query = Object.fromEntries(url.searchParams);
  const jql = typeof (body as { jql?: unknown })?.jql === 'string' ? (body as { jql: string }).jql : query.jql;
  state.requests.push({ method: req.method ?? 'GET', path: url.pathname, query, body, jql, authorization: req.headers.authorization });
  if (state.hang?.test(url.pathname)) return;
  try {
    const auth = req.headers.authorization ?? '';
    const user = auth === state.basic || auth === state.bearer ? state.user : state.accounts.get(auth);
    if (!user) throw jiraError(401, 'You are not authenticated. Authentication required to perform this operation.');
    const result = route({ ...state, user }, req.method ?? 'GET', url.pathname, { ...query, ...(body as object) }, jql);
    send(res, result.status ?? 200, result.body);
  } catch (error) {
    if (error instanceof HttpError) return send(res, error.status, error.body);
    if (error instanceof JqlError) return send(res, 400, { errorMessages: [error.message], errors: {}, warningMessages: [] });
    send(res, 500, { errorMessages: [String(error)], errors: {} });
  }
}

type Params = Record<string, unknown>;
type Reply = { status?: number; body?: unknown };

function route(state: State, method: string, path: string, params: Params, jql: string | undefined): Reply {
  const api = /^\/rest\/api\/(2|3)(\/.*)$/.exec(path);
  if (api) return routeApi(state, method, api[2] ?? '', Number(api[1]), params, jql);
  const agile = /^\/rest\/agile\/1\.0(\/.*)$/.exec(path);
  if (agile && method === 'GET') return { body: routeAgile(state, agile[1] ?? '', params) };
  throw jiraError(404, `No route for ${method} ${path}`);
}

function routeApi(state: State, method: string, path: string, version: number, params: Params, jql: string | undefined): Reply {
  const issuePath = /^\/issue\/([^/]+)(\/remotelink|\/comment)?$/.exec(path);
  if (path === '/myself' && method === 'GET') return { body: renderUser(state.user, state.origin) };
  if (path === '/field' && method === 'GET') return { body: JIRA_FIELDS };
  if (path === '/search/jql') return { body: enhancedSearch(state, version, params, jql ?? '') };
  if (path === '/search') return { body: offsetSearch(state, version, params, jql ?? '') };
  if (path === '/search/approximate-count' && method === 'POST') return { body: { count: matchIssues(state, jql ?? '').length } };
  if (path === '/issue' && method === 'POST') return { status: 201, body: createIssue(state, params) };
  if (issuePath) return routeIssue(state, method, findIssue(state, decodeURIComponent(issuePath[1] ?? '')), issuePath[2], version, params);
  const versions = /^\/project\/([^/]+)\/versions$/.exec(path);
  if (versions && method === 'GET') return { body: projectVersions(state, versions[1] ?? '') };
  throw jiraError(404, `No route for ${method} /rest/api/${version}${path}`);
}

function routeIssue(state: State, method: string, issue: FakeJiraIssue, sub: string | undefined, version: number, params: Params): Reply {
  if (!sub && method === 'GET') return { body: renderIssue(state, issue, version, readFields(params.fields, ['*all'])) };
  if (!sub && method === 'PUT') return (updateIssue(issue, params), { status: 204 });
  if (sub === '/remotelink' && method === 'GET') {
    return { body: (issue.remoteLinks ?? []).map((link, i) => ({ id: 10000 + i, self: `${state.origin}/rest/api/${version}/issue/${issue.key}/remotelink/${10000 + i}`, object: { url: link.url, title: link.title } })) };
  }
  if (sub === '/comment' && method === 'POST') {
    const text = typeof params.body === 'string' ? params.body : adfText(params.body);
    issue.comments = [...(issue.comments ?? []), { author: state.user.displayName, body: text, created: new Date().toISOString() }];
    return { status: 201, body: renderComment(state, issue.comments.length - 1, issue.comments.at(-1)!, version) };
  }
  throw jiraError(405, 'Method not allowed');
}

function routeAgile(state: State, path: string, params: Params): unknown {
  if (path === '/board') {
    const boards = state.data.boards.filter((b) => (!params.projectKeyOrId || b.project === String(params.projectKeyOrId).toUpperCase()) && (!params.type || b.type === params.type));
    return { maxResults: 50, startAt: 0, total: boards.length, isLast: true, values: boards.map((b) => ({ id: b.id, name: b.name, type: b.type, location: { projectKey: b.project } })) };
  }
  const boardSprints = /^\/board\/(\d+)\/sprint$/.exec(path);
  if (boardSprints) {
    const states = String(params.state ?? 'active,closed,future').split(',');
    const sprints = state.data.sprints.filter((s) => s.boardId === Number(boardSprints[1]) && states.includes(s.state));
    const { page, startAt, maxResults } = slice(sprints, params, 50);
    return { maxResults, startAt, isLast: startAt + page.length >= sprints.length, values: page.map(renderSprint) };
  }
  const sprint = /^\/sprint\/(\d+)(\/issue)?$/.exec(path);
  const found = sprint && state.data.sprints.find((s) => s.id === Number(sprint[1]));
  if (!found) throw jiraError(404, 'Sprint does not exist or you do not have permission to view it.');
  if (!sprint[2]) return renderSprint(found);
  const filter = typeof params.jql === 'string' ? parseJql(params.jql) : () => true;
  const issues = state.data.issues.filter((i) => i.sprint === found.id && filter((field, fn) => issueValues(state, i, field, fn), (name) => functionValue(state, name)));
  const { page, startAt, maxResults } = slice(issues, params, 50);
  const fields = readFields(params.fields, ['*navigable']);
  const withChangelog = String(params.expand ?? '').split(',').includes('changelog');
  const rendered = page.map((i) => ({ ...(renderIssue(state, i, 2, fields) as object), ...(withChangelog ? { changelog: renderChangelog(state, i) } : {}) }));
  return { expand: 'schema,names', startAt, maxResults, total: issues.length, issues: rendered };
}

function enhancedSearch(state: State, version: number, params: Params, jql: string): unknown {
  if (!jql.trim() || /^\s*order\s+by/i.test(jql)) throw jiraError(400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  const fields = readFields(params.fields, ['id']);
  const matches = matchIssues(state, jql);
  const startAt = params.nextPageToken ? Number(Buffer.from(String(params.nextPageToken), 'base64url').toString()) : 0;
  const page = matches.slice(startAt, startAt + pageSize(state, params, fields));
  const next = startAt + page.length;
  return {
    issues: page.map((i) => renderIssue(state, i, version, fields)),
    ...(next < matches.length ? { nextPageToken: Buffer.from(String(next)).toString('base64url') } : {}),
    isLast: next >= matches.length,
  };
}

function offsetSearch(state: State, version: number, params: Params, jql: string): unknown {
  const fields = readFields(params.fields, ['*navigable']);
  const matches = matchIssues(state, jql);
  const startAt = Number(params.startAt ?? 0);
  const page = matches.slice(startAt, startAt + pageSize(state, params, fields));
  return { expand: 'schema,names', startAt, maxResults: page.length, total: matches.length, issues: page.map((i) => renderIssue(state, i, version, fields)) };
}

function pageSize(state: State, params: Params, fields: string[]): number {
  const keysOnly = fields.every((f) => f === 'id' || f === 'key');
  const cap = keysOnly ? state.pageCap.keys : state.pageCap.full;
  const asked = params.maxResults === undefined ? 50 : Number(params.maxResults);
  return Math.max(0, Math.min(asked, cap));
}

function slice<T>(items: T[], params: Params, fallback: number) {
  const startAt = Number(params.startAt ?? 0);
  const maxResults = Math.min(Number(params.maxResults ?? fallback), 100);
  return { page: items.slice(startAt, startAt + maxResults), startAt, maxResults };
}

function matchIssues(state: State, jql: string): FakeJiraIssue[] {
  const predicate = parseJql(jql);
  return state.data.issues.filter((issue) => predicate((field, fn) => issueValues(state, issue, field, fn), (name) => functionValue(state, name)));
}

function functionValue(state: State, name: string): string[] {
  if (name === 'currentuser()') return [state.user.displayName.toLowerCase()];
  if (name === 'opensprints()') return state.data.sprints.filter((s) => s.state === 'active').map((s) => String(s.id));
  throw new JqlError(`Unable to find JQL function '${name}'.`);
}

function issueValues(state: State, issue: FakeJiraIssue, field: string, fn: (name: string) => string[]): string[] | undefined {
  const lower = (values: Array<string | undefined | null>) => values.filter((v): v is string => Boolean(v)).map((v) => v.toLowerCase());
  const sprint = state.data.sprints.find((s) => s.id === issue.sprint);
  const project = issue.key.split('-')[0] ?? '';
  switch (field) {
    case 'project':
      return lower([project, state.data.projects.find((p) => p.key === project)?.name]);
    case 'key': case 'issuekey': return lower([issue.key]);
    case 'status': return lower([statusOf(issue)]);
    case 'statuscategory': return lower([categoryOf(statusOf(issue)).name, categoryOf(statusOf(issue)).key]);
    case 'assignee': return issue.assignee ? lower([issue.assignee, userId(issue.assignee)]) : [];
    case 'reporter': return issue.reporter ? lower([issue.reporter, userId(issue.reporter)]) : [];
    case 'priority': return lower([issue.priority ?? 'Medium']);
    case 'type': case 'issuetype': return lower([issue.type ?? 'Story']);
    case 'labels': return lower(issue.labels ?? []);
    case 'fixversion': return lower(issue.fixVersions ?? []);
    case 'sprint': return sprint ? lower([String(sprint.id), sprint.name]) : [];
    case 'resolution': return categoryOf(statusOf(issue)).key === 'done' ? ['done'] : [];
    case 'summary': return lower([issue.summary]);
    case 'text': return lower([issue.summary, issue.description]);
    default: void fn; return undefined;
  }
}

function findIssue(state: State, key: string): FakeJiraIssue {
  const issue = state.data.issues.find((i) => i.key === key.toUpperCase());
  if (!issue) throw jiraError(404, 'Issue does not exist or you do not have permission to see it.');
  return issue;
}

function projectVersions(state: State, key: string): unknown[] {
  if (!state.data.projects.some((p) => p.key === key.toUpperCase())) throw jiraError(404, `No project could be found with key '${key}'.`);
  return state.data.versions.filter((v) => v.project === key.toUpperCase()).map((v) => renderVersion(state, v));
}

function createIssue(state: State, params: Params): unknown {
  const fields = (params.fields ?? {}) as Record<string, unknown>;
  const project = String((fields.project as { key?: string })?.key ?? '');
  if (!state.data.projects.some((p) => p.key === project)) throw new HttpError(400, { errorMessages: [], errors: { project: 'valid project is required' } });
  if (!fields.summary) throw new HttpError(400, { errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } });
  const number = 1 + Math.max(0, ...state.data.issues.filter((i) => i.key.startsWith(`${project}-`)).map((i) => Number(i.key.split('-')[1])));
  const issue: FakeJiraIssue = { key: `${project}-${number}`, summary: String(fields.summary), type: (fields.issuetype as { name?: string })?.name, status: 'To Do' };
  updateIssue(issue, params);
  state.data.issues.push(issue);
  return { id: String(20000 + number), key: issue.key, self: `${state.origin}/rest/api/3/issue/${issue.key}` };
}

function updateIssue(issue: FakeJiraIssue, params: Params): void {
  const fields = (params.fields ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'summary') issue.summary = String(value);
    else if (name === 'description') issue.description = typeof value === 'string' ? value : adfText(value);
    else if (name === 'labels') issue.labels = value as string[];
    else if (name === 'priority') issue.priority = (value as { name: string }).name;
    else if (name === 'fixVersions') issue.fixVersions = (value as Array<{ name: string }>).map((v) => v.name);
    else if (name.startsWith('customfield_')) issue.customFields = { ...issue.customFields, [name]: value };
  }
}

function readFields(value: unknown, fallback: string[]): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value ? value.split(',') : fallback;
}

function renderIssue(state: State, issue: FakeJiraIssue, version: number, wanted: string[]): unknown {
  const all = allFields(state, issue, version);
  const everything = wanted.some((f) => f === '*all' || f === '*navigable');
  const fields = Object.fromEntries(Object.entries(all).filter(([name]) => everything || wanted.includes(name)));
  const id = String(10000 + state.data.issues.indexOf(issue));
  return { id, key: issue.key, self: `${state.origin}/rest/api/${version}/issue/${id}`, ...(Object.keys(fields).length ? { fields } : {}) };
}

function allFields(state: State, issue: FakeJiraIssue, version: number): Record<string, unknown> {
  const status = statusOf(issue);
  const sprint = state.data.sprints.find((s) => s.id === issue.sprint);
  const project = issue.key.split('-')[0];
  return {
    summary: issue.summary,
    status: { name: status, id: status, statusCategory: categoryOf(status) },
    issuetype: { name: issue.type ?? 'Story', subtask: false },
    priority: { name: issue.priority ?? 'Medium' },
    assignee: issue.assignee ? renderUser(userFor(issue.assignee), state.origin) : null,
    reporter: issue.reporter ? renderUser(userFor(issue.reporter), state.origin) : null,
    fixVersions: (issue.fixVersions ?? []).map((name) => state.data.versions.find((v) => v.name === name && v.project === project) ?? { id: '0', name, released: false }).map((v) => ({ id: v.id, name: v.name, released: v.released })),
    labels: issue.labels ?? [],
    components: [],
    issuelinks: [],
    resolution: categoryOf(status).key === 'done' ? { name: 'Done' } : null,
    description: issue.description === undefined ? null : version === 3 ? adfDoc(issue.description) : issue.description,
    comment: { comments: (issue.comments ?? []).map((c, i) => renderComment(state, i, c, version)), maxResults: 5000, total: issue.comments?.length ?? 0, startAt: 0 },
    created: issue.created ?? '2025-01-02T10:00:00.000+0000',
    updated: '2025-01-08T10:00:00.000+0000',
    customfield_10020: sprint ? [{ id: sprint.id, name: sprint.name, state: sprint.state, boardId: sprint.boardId }] : null,
    ...issue.customFields,
  };
}

/** The issue's changelog (expand=changelog): the Sprint change that put it into its sprint, when it came in late. */
function renderChangelog(state: State, issue: FakeJiraIssue): unknown {
  const sprint = state.data.sprints.find((s) => s.id === issue.sprint);
  const histories = issue.sprintAddedAt && sprint
    ? [{ id: '50000', author: renderUser(userFor(issue.reporter ?? 'Grace Hopper'), state.origin), created: issue.sprintAddedAt, items: [{ field: 'Sprint', fieldtype: 'custom', fieldId: 'customfield_10020', from: '', fromString: '', to: String(sprint.id), toString: sprint.name }] }]
    : [];
  return { startAt: 0, maxResults: histories.length, total: histories.length, histories };
}

function renderComment(state: State, index: number, comment: { author: string; body: string; created?: string }, version: number): unknown {
  return { id: String(30000 + index), author: renderUser(userFor(comment.author), state.origin), body: version === 3 ? adfDoc(comment.body) : comment.body, created: comment.created ?? '2025-01-07T10:00:00.000+0000' };
}

function renderUser(user: FakeJiraUser, origin: string): unknown {
  return { self: `${origin}/rest/api/3/user?accountId=${user.accountId}`, accountId: user.accountId, displayName: user.displayName, emailAddress: user.emailAddress, active: true };
}

function renderVersion(state: State, v: FakeJiraVersion): unknown {
  return { self: `${state.origin}/rest/api/3/version/${v.id}`, id: v.id, name: v.name, description: v.description, archived: false, released: v.released, releaseDate: v.releaseDate, startDate: v.startDate, projectId: 10000 };
}

function renderSprint(s: FakeJiraSprint): unknown {
  return { id: s.id, self: `/rest/agile/1.0/sprint/${s.id}`, state: s.state, name: s.name, startDate: s.startDate, endDate: s.endDate, originBoardId: s.boardId, goal: s.goal };
}

const userId = (name: string) => `acc-${name.toLowerCase().replace(/\s+/g, '-')}`;
const userFor = (name: string): FakeJiraUser => ({ accountId: userId(name), displayName: name, emailAddress: `${name.toLowerCase().replace(/\s+/g, '.')}@example.com` });
const statusOf = (issue: FakeJiraIssue) => issue.status ?? 'To Do';

function categoryOf(status: string): { key: string; name: string } {
  if (/^(done|closed|resolved)$/i.test(status)) return { key: 'done', name: 'Done' };
  if (/^(to do|open|backlog)$/i.test(status)) return { key: 'new', name: 'To Do' };
  return { key: 'indeterminate', name: 'In Progress' };
}

function adfDoc(text: string): unknown {
  return { type: 'doc', version: 1, content: text.split(/\n{2,}/).map((p) => ({ type: 'paragraph', content: [{ type: 'text', text: p }] })) };
}

function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { type?: string; text?: string; content?: unknown[] };
  if (n.type === 'text') return n.text ?? '';
  if (n.type === 'hardBreak') return '\n';
  const inner = (n.content ?? []).map(adfText).join('');
  return n.type === 'paragraph' ? `${inner}\n\n` : n.type === 'doc' ? inner.trim() : inner;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try { return JSON.parse(text); } catch { return text; }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) return void res.writeHead(status).end();
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' }).end(JSON.stringify(body));
}
