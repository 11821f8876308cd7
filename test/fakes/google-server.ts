import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseQuery, pick } from './google-drive-query.ts';
import { seedFiles } from './google-drive-seed.ts';
import { JWT_BEARER, verifyJwtGrant, type FakeServiceAccount } from './google-jwt-grant.ts';

export { SEED, seedFiles } from './google-drive-seed.ts';
export type { FakeServiceAccount } from './google-jwt-grant.ts';

/**
 * A fake of Google's OAuth 2.0 endpoints and the Drive v3 REST API, on 127.0.0.1 (port 0),
 * from Google's public references: /o/oauth2/v2/auth (with PKCE S256), /token (authorization_code, refresh_token
 * and service-account jwt-bearer grants, errors as {error, error_description}), /drive/v3/about, /drive/v3/files
 * (q subset: name/fullText contains, 'id' in parents, mimeType =/!=, trashed =, and/or/not,
 * parentheses; fields; paging), /drive/v3/files/{id} (metadata, alt=media), .../export.
 * API errors use Google's {error: {code, message, errors: [{domain, reason, ...}], status}}.
 */
export interface FakeFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  /** Text of the file (Docs: Markdown, Sheets: CSV, Slides and text files: plain text). */
  content: string;
  modifiedTime?: string;
  trashed?: boolean;
}

export interface FakeUser { displayName: string; emailAddress: string }

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The bearer token the request carried, if any. */
  token?: string;
  /** Form fields of token requests. */
  form?: Record<string, string>;
}

export interface FakeGoogle {
  /** Base URL for GOOGLE_OAUTH_BASE_URL, GOOGLE_TOKEN_BASE_URL and GOOGLE_API_BASE_URL alike. */
  url: string;
  clientId: string;
  clientSecret: string;
  user: FakeUser;
  files: Map<string, FakeFile>;
  requests: RecordedRequest[];
  /** Query parameters of every consent-page visit. */
  authorizations: Record<string, string>[];
  /** An authorization code, as the consent page would hand out after the user approved. */
  issueCode(options?: { scope?: string; redirectUri?: string }): string;
  /** Tokens as if a code had been exchanged (for tests that start from a stored credential). */
  issueTokens(options?: { scope?: string }): { access_token: string; refresh_token: string; expiry_date: number };
  /** Every access token issued so far stops working (401) ; refresh tokens keep working. */
  expireAccessTokens(): void;
  /** A refresh token stops working (invalid_grant), as when the user revokes access. */
  revokeRefreshToken(token: string): void;
  /** A service account whose signed assertions the token endpoint accepts (jwt-bearer grant). */
  addServiceAccount(account: FakeServiceAccount): void;
  close(): Promise<void>;
}

const DOC = 'application/vnd.google-apps.document';
const SHEET = 'application/vnd.google-apps.spreadsheet';
const SLIDES = 'application/vnd.google-apps.presentation';
const FOLDER = 'application/vnd.google-apps.folder';
const EXPORTS: Record<string, string[]> = {
  [DOC]: ['text/plain', 'text/markdown', 'text/html'],
  [SHEET]: ['text/csv', 'text/tab-separated-values'],
  [SLIDES]: ['text/plain'],
};

export async function startFakeGoogle(options: { files?: FakeFile[] } = {}): Promise<FakeGoogle> {
  const state = createState(options.files ?? seedFiles());
  const server = createServer((req, res) => {
    handle(state, req, res).catch((error: unknown) => sendJson(res, 500, { error: { code: 500, message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    clientId: state.clientId,
    clientSecret: state.clientSecret,
    user: state.user,
    files: state.files,
    requests: state.requests,
    authorizations: state.authorizations,
    issueCode: (o = {}) => mintCode(state, o.scope ?? DEFAULT_SCOPE, o.redirectUri),
    issueTokens: (o = {}) => mintTokens(state, o.scope ?? DEFAULT_SCOPE),
    expireAccessTokens: () => state.accessTokens.forEach((t) => (t.expiresAt = 0)),
    revokeRefreshToken: (token) => void state.refreshTokens.delete(token),
    addServiceAccount: (account) => void state.serviceAccounts.set(account.email, account),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const DEFAULT_SCOPE = 'https://www.googleapis.com/auth/drive.readonly';
type State = ReturnType<typeof createState>;

function createState(files: FakeFile[]) {
  return {
    clientId: 'fake-client-id.apps.googleusercontent.com',
    clientSecret: 'fake-client-secret',
    user: { displayName: 'Ada Lovelace', emailAddress: 'ada@example.com' },
    files: new Map(files.map((f) => [f.id, f])),
    requests: [] as RecordedRequest[],
    authorizations: [] as Record<string, string>[],
    /** challenge: the PKCE code_challenge (S256) the authorization request carried, if any. */
    codes: new Map<string, { scope: string; redirectUri?: string; challenge?: string }>(),
    /** account: whom a service account's token acts as (itself, or the user it impersonates). */
    accessTokens: new Map<string, { expiresAt: number; scope: string; account?: string }>(),
    refreshTokens: new Map<string, { scope: string }>(),
    serviceAccounts: new Map<string, FakeServiceAccount>(),
  };
}

function mintCode(state: State, scope: string, redirectUri?: string, challenge?: string): string {
  const code = `4/0A${random(40)}`;
  state.codes.set(code, { scope, redirectUri, ...(challenge ? { challenge } : {}) });
  return code;
}

function mintAccessToken(state: State, scope: string, account?: string) {
  const access_token = `ya29.${random(60)}`;
  state.accessTokens.set(access_token, { expiresAt: Date.now() + 3599_000, scope, ...(account ? { account } : {}) });
  return { access_token, expires_in: 3599, scope, token_type: 'Bearer' };
}

function mintTokens(state: State, scope: string) {
  const access = mintAccessToken(state, scope);
  const refresh_token = `1//${random(50)}`;
  state.refreshTokens.set(refresh_token, { scope });
  return { access_token: access.access_token, refresh_token, expiry_date: Date.now() + 3599_000 };
}

function random(length: number): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}

async function handle(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const query = Object.fromEntries(url.searchParams);
  const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query, ...(token ? { token } : {}) };
  state.requests.push(record);
  if (req.method === 'GET' && url.pathname === '/o/oauth2/v2/auth') return authorize(state, query, res);
  if (req.method === 'POST' && url.pathname === '/token') {
    record.form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    return grantToken(state, record.form, req.headers.authorization, res);
  }
  if (!url.pathname.startsWith('/drive/v3/')) return apiError(res, 404, 'notFound', `Not found: ${url.pathname}`);
  const access = token ? state.accessTokens.get(token) : undefined;
  if (!access || access.expiresAt <= Date.now()) return unauthenticated(res);
  return routeDrive(state, url.pathname.slice('/drive/v3'.length), query, res, access.account);
}

function authorize(state: State, query: Record<string, string>, res: ServerResponse): void {
  state.authorizations.push(query);
  if (query.client_id !== state.clientId) return sendText(res, 401, 'Error 401: invalid_client. The OAuth client was not found.');
  if (query.response_type !== 'code' || !query.redirect_uri || !query.scope) {
    return sendText(res, 400, 'Error 400: invalid_request. Required parameter is missing: response_type, redirect_uri or scope');
  }
  if (query.code_challenge && query.code_challenge_method !== 'S256') {
    return sendText(res, 400, 'Error 400: invalid_request. Invalid code_challenge_method (this fake, like a careful client, only takes S256)');
  }
  const code = mintCode(state, query.scope, query.redirect_uri, query.code_challenge);
  const back = new URL(query.redirect_uri);
  if (query.state) back.searchParams.set('state', query.state);
  back.searchParams.set('code', code);
  back.searchParams.set('scope', query.scope);
  res.writeHead(302, { location: back.href }).end();
}

function grantToken(state: State, form: Record<string, string>, authorization: string | undefined, res: ServerResponse): void {
  if (form.grant_type === JWT_BEARER) return grantServiceAccountToken(state, form.assertion ?? '', res);
  const [id, secret] = clientCredentials(form, authorization);
  if (id !== state.clientId || secret !== state.clientSecret) {
    return sendJson(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
  }
  if (form.grant_type === 'authorization_code') {
    const grant = state.codes.get(form.code ?? '');
    if (!grant) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
    state.codes.delete(form.code ?? '');
    if (grant.redirectUri && grant.redirectUri !== form.redirect_uri) {
      return sendJson(res, 400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
    }
    // PKCE (RFC 7636): a code whose authorization carried a challenge needs the verifier it was made from.
    if (grant.challenge && !form.code_verifier) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Missing code verifier.' });
    if (grant.challenge && createHash('sha256').update(form.code_verifier!).digest('base64url') !== grant.challenge) {
      return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Invalid code verifier.' });
    }
    const { access_token, refresh_token } = mintTokens(state, grant.scope);
    return sendJson(res, 200, { access_token, expires_in: 3599, refresh_token, scope: grant.scope, token_type: 'Bearer' });
  }
  if (form.grant_type === 'refresh_token') {
    const grant = state.refreshTokens.get(form.refresh_token ?? '');
    if (!grant) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    return sendJson(res, 200, mintAccessToken(state, grant.scope));
  }
  sendJson(res, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${form.grant_type ?? ''}` });
}

/** A service account's token carries no refresh token: the client signs a new assertion when it expires. */
function grantServiceAccountToken(state: State, assertion: string, res: ServerResponse): void {
  const grant = verifyJwtGrant(assertion, state.serviceAccounts);
  if (!grant.ok) return sendJson(res, grant.status, { error: grant.error, error_description: grant.error_description });
  const { access_token, expires_in, token_type } = mintAccessToken(state, grant.scope, grant.account);
  sendJson(res, 200, { access_token, expires_in, token_type });
}

function clientCredentials(form: Record<string, string>, authorization?: string): [string?, string?] {
  const basic = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
  if (!basic) return [form.client_id, form.client_secret];
  const [id, secret] = Buffer.from(basic, 'base64').toString().split(':');
  return [id, secret];
}

function routeDrive(state: State, path: string, query: Record<string, string>, res: ServerResponse, account?: string): void {
  if (path === '/about') return about(account ? { displayName: account, emailAddress: account } : state.user, query, res);
  if (path === '/files') return listFiles(state, query, res);
  const match = /^\/files\/([^/]+)(\/export)?$/.exec(path);
  if (!match) return apiError(res, 404, 'notFound', `Not found: ${path}`);
  const file = state.files.get(decodeURIComponent(match[1] ?? ''));
  if (!file) return apiError(res, 404, 'notFound', `File not found: ${match[1]}.`, 'fileId');
  if (match[2]) return exportFile(file, query, res);
  if (query.alt === 'media') return download(file, res);
  sendJson(res, 200, pick(fileResource(state, file), query.fields ?? 'kind,id,name,mimeType'));
}

function about(me: FakeUser, query: Record<string, string>, res: ServerResponse): void {
  if (!query.fields) return apiError(res, 400, 'required', "The 'fields' parameter is required for this method.", 'fields');
  const user = { kind: 'drive#user', ...me, me: true, permissionId: '0123456789' };
  sendJson(res, 200, pick({ kind: 'drive#about', user }, query.fields));
}

function listFiles(state: State, query: Record<string, string>, res: ServerResponse): void {
  let matches: FakeFile[];
  try {
    const predicate = query.q ? parseQuery(query.q) : (f: FakeFile) => !f.trashed;
    matches = [...state.files.values()].filter(predicate);
  } catch {
    return apiError(res, 400, 'invalid', 'Invalid Value', 'q');
  }
  if (query.orderBy?.startsWith('folder')) matches.sort(folderFirst);
  const start = Number(query.pageToken ?? 0);
  const size = Math.min(Number(query.pageSize ?? 100), 1000);
  const page = matches.slice(start, start + size);
  const body: Record<string, unknown> = {
    kind: 'drive#fileList',
    incompleteSearch: false,
    files: page.map((f) => fileResource(state, f)),
    ...(start + size < matches.length ? { nextPageToken: String(start + size) } : {}),
  };
  sendJson(res, 200, pick(body, query.fields ?? 'kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)'));
}

function folderFirst(a: FakeFile, b: FakeFile): number {
  return Number(b.mimeType === FOLDER) - Number(a.mimeType === FOLDER) || a.name.localeCompare(b.name);
}

function exportFile(file: FakeFile, query: Record<string, string>, res: ServerResponse): void {
  const formats = EXPORTS[file.mimeType];
  if (!formats) return apiError(res, 403, 'fileNotExportable', 'Export only supports Docs Editors files.', 'fileId');
  if (!query.mimeType) return apiError(res, 400, 'required', 'Required parameter: mimeType', 'mimeType');
  if (!formats.includes(query.mimeType)) return apiError(res, 400, 'badRequest', 'The requested conversion is not supported.', 'convertTo');
  const text = query.mimeType === 'text/plain' ? file.content.replace(/[#*]/g, '') : file.content;
  sendText(res, 200, text, query.mimeType);
}

function download(file: FakeFile, res: ServerResponse): void {
  if (file.mimeType.startsWith('application/vnd.google-apps.')) {
    return apiError(res, 403, 'fileNotDownloadable', 'Only files with binary content can be downloaded. Use Export with Docs Editors files.', 'alt');
  }
  sendText(res, 200, file.content, file.mimeType);
}

function fileResource(state: State, file: FakeFile): Record<string, unknown> {
  const owner = { kind: 'drive#user', ...state.user, me: true, permissionId: '0123456789' };
  const binary = !file.mimeType.startsWith('application/vnd.google-apps.');
  return {
    kind: 'drive#file', id: file.id, name: file.name, mimeType: file.mimeType, parents: file.parents,
    trashed: Boolean(file.trashed), modifiedTime: file.modifiedTime ?? '2025-01-01T00:00:00.000Z',
    webViewLink: webViewLink(file), owners: [owner],
    ...(binary ? { size: String(Buffer.byteLength(file.content)) } : {}),
  };
}

function webViewLink(file: FakeFile): string {
  const path = { [DOC]: 'document', [SHEET]: 'spreadsheets', [SLIDES]: 'presentation' }[file.mimeType];
  if (path) return `https://docs.google.com/${path}/d/${file.id}/edit?usp=drivesdk`;
  if (file.mimeType === FOLDER) return `https://drive.google.com/drive/folders/${file.id}`;
  return `https://drive.google.com/file/d/${file.id}/view?usp=drivesdk`;
}

function apiError(res: ServerResponse, code: number, reason: string, message: string, location?: string): void {
  const detail = { message, domain: 'global', reason, ...(location ? { location, locationType: 'parameter' } : {}) };
  const status = { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND' }[code];
  sendJson(res, code, { error: { code, message, errors: [detail], ...(status ? { status } : {}) } });
}

function unauthenticated(res: ServerResponse): void {
  res.setHeader('www-authenticate', 'Bearer realm="https://accounts.google.com/", error="invalid_token"');
  sendJson(res, 401, {
    error: {
      code: 401,
      message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }],
      status: 'UNAUTHENTICATED',
    },
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, body: string, type = 'text/plain'): void {
  res.writeHead(status, { 'content-type': `${type}; charset=UTF-8` }).end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
