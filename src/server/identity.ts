import type { UserInfo } from '../conversation.ts';

/** Who is asking and in which conversation, from the body and the Open WebUI headers. */
export interface Identity {
  user: UserInfo;
  sessionId?: string;
  /**
   * The session came from Open WebUI's X-OpenWebUI-Chat-Id header. Open WebUI always sends the whole
   * chain from the first message to the one answered (regenerate, edit and continue included), so
   * the request's messages are the conversation, also when there is only one.
   */
  openWebUIChat?: boolean;
  /** Open WebUI's background task (X-OpenWebUI-Task: {{TASK}}, e.g. title_generation), when the admin set that header. */
  task?: string;
}

export interface IdentitySources {
  /** Body `metadata`. */
  metadata?: Record<string, string>;
  /** Body `user`. */
  bodyUser?: string;
  /** Request headers as Node gives them (lower-case names). */
  headers: Record<string, string | string[] | undefined>;
}

export const ANONYMOUS_USER_ID = 'anonymous';

/**
 * Precedence: body metadata (session_id or chat_id, user_id), then Open WebUI headers
 * (X-OpenWebUI-Chat-Id, -User-Id, -User-Name, -User-Email, -User-Role), then body `user`.
 */
export function resolveIdentity(sources: IdentitySources): Identity {
  const metadata = sources.metadata ?? {};
  const headers = sources.headers;
  const id =
    nonEmpty(metadata.user_id) ?? readHeader(headers, 'x-openwebui-user-id') ?? nonEmpty(sources.bodyUser) ?? ANONYMOUS_USER_ID;
  const user: UserInfo = { id };
  assignDefined(user, 'name', readHeader(headers, 'x-openwebui-user-name'));
  assignDefined(user, 'email', readHeader(headers, 'x-openwebui-user-email'));
  assignDefined(user, 'role', readHeader(headers, 'x-openwebui-user-role'));
  const fromMetadata = nonEmpty(metadata.session_id) ?? nonEmpty(metadata.chat_id);
  const sessionId = fromMetadata ?? readHeader(headers, 'x-openwebui-chat-id');
  const identity: Identity = sessionId === undefined ? { user } : { user, sessionId };
  if (sessionId !== undefined && fromMetadata === undefined) identity.openWebUIChat = true;
  const task = readHeader(headers, 'x-openwebui-task');
  if (task !== undefined) identity.task = task;
  return identity;
}

function assignDefined(user: UserInfo, key: 'name' | 'email' | 'role', value: string | undefined): void {
  if (value !== undefined) user[key] = value;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function readHeader(headers: IdentitySources['headers'], name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return nonEmpty(first === undefined ? undefined : decodeHeaderValue(first));
}

/**
 * Header values arrive as latin1 strings (one char per byte). Raw UTF-8 bytes are re-decoded when
 * they round-trip; URL-encoded values are decoded, falling back to the raw value on bad encoding.
 */
export function decodeHeaderValue(value: string): string {
  return decodeUrlEncoded(decodeLatin1Utf8(value));
}

function decodeLatin1Utf8(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) return value;
  const decoded = Buffer.from(value, 'latin1').toString('utf8');
  return Buffer.from(decoded, 'utf8').toString('latin1') === value ? decoded : value;
}

function decodeUrlEncoded(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
