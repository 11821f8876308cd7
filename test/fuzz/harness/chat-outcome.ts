/**
 * What a client got from one chat request, read the way an OpenAI client reads it, and the checks
 * every fuzz property shares: an error is an OpenAI error body (or a stream's last `error` event),
 * never a 500 (reserved for our own bugs), and the server still answers afterwards.
 */
import type { FuzzServer } from './fuzz-server.ts';

export interface ChatOutcome {
  status: number;
  contentType: string;
  text: string;
}

const REQUEST_TIMEOUT_MS = 20_000;

/** POSTs `body` (bytes as given) to /v1/chat/completions and reads the whole answer (or hangs up after `abortAfterMs`). */
export async function postChat(url: string, body: string | Buffer, headers: Record<string, string> = {}, abortAfterMs?: number): Promise<ChatOutcome> {
  const signal = abortAfterMs === undefined ? AbortSignal.timeout(REQUEST_TIMEOUT_MS) : AbortSignal.timeout(abortAfterMs);
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal,
  }).catch((error: unknown) => {
    throw new Error(`no answer: ${describe(error)}`);
  });
  const text = await response.text().catch((error: unknown) => {
    throw new Error(`the answer (status ${response.status}) broke off: ${describe(error)}`);
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
}

/** Throws unless `outcome` is an OpenAI error body with a 4xx or 5xx status other than 500. */
export function expectErrorResponse(outcome: ChatOutcome): void {
  if (outcome.status < 400) throw new Error(`expected an error, got ${outcome.status}: ${outcome.text.slice(0, 300)}`);
  expectNo500(outcome);
  expectErrorBody(outcome.text, `the ${outcome.status} body`);
}

/** Throws when the server answered 500 (a bug on our side) or with a non-OpenAI error body. */
export function expectNo500(outcome: ChatOutcome): void {
  if (outcome.status === 500) throw new Error(`500 (our own bug): ${outcome.text.slice(0, 500)}`);
  if (outcome.status >= 400) expectErrorBody(outcome.text, `the ${outcome.status} body`);
}

/** A stream (200, text/event-stream) must end with one `data: {"error": ...}` event and no [DONE]. */
export function expectStreamEndsInError(outcome: ChatOutcome): void {
  if (outcome.status !== 200) return expectErrorResponse(outcome);
  const events = outcome.text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6).trim());
  if (events.includes('[DONE]')) throw new Error(`the stream ended with [DONE] instead of an error:\n${outcome.text.slice(-600)}`);
  const last = events.at(-1);
  if (last === undefined) throw new Error(`the stream ended without any event:\n${outcome.text.slice(-600)}`);
  expectErrorBody(last, 'the last stream event');
}

function expectErrorBody(text: string, what: string): void {
  let body: { error?: { message?: unknown; type?: unknown; code?: unknown } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`${what} is not JSON: ${text.slice(0, 300)}`);
  }
  const error = body.error;
  if (typeof error?.message !== 'string' || typeof error.type !== 'string') throw new Error(`${what} is not an OpenAI error: ${text.slice(0, 300)}`);
  if (error.type === 'server_error' || error.code === 'internal_error') throw new Error(`${what} is an internal error (our own bug): ${text.slice(0, 300)}`);
}

/** The server process is alive and answers /health. */
export async function expectServerUp(server: FuzzServer): Promise<void> {
  const health = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  const death = server.describeDeath();
  if (death) throw new Error(death);
  if (health?.status !== 200) throw new Error(`the server process runs but /health answered ${health?.status ?? 'nothing'}`);
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}

/** Runs `check`; when it fails and the server process has died meanwhile, the failure says how it died. */
export async function withDeathReport(server: FuzzServer, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const death = server.describeDeath();
    if (death && error instanceof Error && !error.message.includes(death)) error.message += `\n${death}`;
    throw error;
  }
}
