/**
 * A fake of Google's Gemini REST API (generativelanguage.googleapis.com), enough for @google/genai:
 *   POST /v1beta/models/{model}:generateContent
 *   POST /v1beta/models/{model}:streamGenerateContent?alt=sse   (`data: {json}\r\n\r\n` events)
 * The key travels in the `x-goog-api-key` header; errors are `{error: {code, message, status}}`.
 *
 * Tests script the next replies with `enqueue(...)`; when the queue is empty the default reply
 * answers "echo: <last user text>". Plain node:http on 127.0.0.1, port 0, keep-alive; cheap per
 * request so benchmarks can drive hundreds of concurrent streams through it.
 */
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendRaw, type RawReply } from './gemini-faults.ts';

export type FakePart =
  | { text: string; signature?: string }
  | { thought: string; signature?: string }
  | { functionCall: { name: string; args?: Record<string, unknown>; id?: string }; signature?: string };

export interface FakeUsage {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  totalTokenCount?: number;
  thoughtsTokenCount?: number;
}

/** A successful answer: in streaming each chunk is one SSE event; non-streaming merges them. */
export interface ChunksReply {
  chunks: FakePart[];
  usage?: FakeUsage;
  /** STOP (default), MAX_TOKENS, SAFETY, ... */
  finishReason?: string;
  /** Wait between chunks (streaming), in ms. */
  delayMs?: number;
  /** Wait before the response headers, in ms. */
  firstDelayMs?: number;
  /** Wait for this before the response headers (a test holds the answer back until it is done with something). */
  holdUntil?: Promise<unknown>;
  /**
   * A broken upstream: streaming, destroy the socket after the last chunk instead of ending the
   * stream; not streaming, send half of the promised body, then destroy the socket.
   */
  cutAfterChunks?: boolean;
  /**
   * Streaming: append `@<process.hrtime.bigint()>` to each text chunk as it is written, so a
   * benchmark in another process (same monotonic clock) can tell how long the chunk took to reach it.
   */
  stampChunks?: boolean;
}

/** An HTTP error. Default body: {error: {code, message, status}} with Google's status name. */
export interface ErrorReply {
  status: number;
  message?: string;
  body?: unknown;
  /** Adds a google.rpc.RetryInfo detail and a Retry-After header. */
  retryAfterSeconds?: number;
  /** Wait before answering, in ms. */
  firstDelayMs?: number;
}

/** Accepts the request and never answers (until the client goes away or the fake closes). */
export interface HangReply {
  hang: true;
}

/**
 * The prompt itself was blocked: HTTP 200 with `promptFeedback.blockReason` and no candidates
 * (one SSE event when streaming), as Gemini answers a prompt its safety filters refuse.
 */
export interface BlockedReply {
  /** SAFETY, BLOCKLIST, PROHIBITED_CONTENT, OTHER, ... */
  blockReason: string;
}

export type { RawReply };
export type FakeReply = ChunksReply | ErrorReply | HangReply | BlockedReply | RawReply;
export type FakeReplySource = FakeReply | ((request: RecordedRequest) => FakeReply);

export interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { id?: string; name: string; args?: Record<string, unknown> };
  functionResponse?: { id?: string; name: string; response: Record<string, unknown> };
}

export interface GeminiContent {
  role?: string;
  parts: GeminiPart[];
}

/** The request body as the Gemini API receives it. */
export interface GeminiRequestBody {
  contents: GeminiContent[];
  systemInstruction?: GeminiContent;
  tools?: Array<{ functionDeclarations?: Array<Record<string, unknown>> }>;
  generationConfig?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface RecordedRequest {
  path: string;
  model: string;
  method: 'generateContent' | 'streamGenerateContent';
  stream: boolean;
  headers: IncomingHttpHeaders;
  body: GeminiRequestBody;
}

export interface FakeGemini {
  url: string;
  /** Every parsed request, in arrival order (empty when started with `record: false`). */
  requests: RecordedRequest[];
  /** Responses whose client closed the connection before the reply ended. */
  readonly aborted: number;
  /** Queue replies for the next requests, first in first out. */
  enqueue(...replies: FakeReplySource[]): void;
  /** The reply used when the queue is empty. */
  setDefault(reply: FakeReplySource): void;
  /** Called for each request before it is answered. */
  onRequest: ((request: RecordedRequest) => void) | undefined;
  /** Resolves once `count` requests in total have arrived. */
  waitForRequests(count: number): Promise<void>;
  /** Resolves once `count` responses in total were aborted by their client. */
  waitForAborts(count?: number): Promise<void>;
  close(): Promise<void>;
}

export interface FakeGeminiOptions {
  /** When set, requests without this x-goog-api-key get Gemini's 400 API_KEY_INVALID. */
  apiKey?: string;
  /** Keep parsed requests in `requests` (default true; benchmarks turn it off). */
  record?: boolean;
  defaultReply?: FakeReplySource;
  /** Serve https with this key and certificate (PEM) instead of plain http. */
  tls?: { key: string; cert: string };
}

const ROUTE = /^\/(v1beta|v1|v1alpha)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 502: 'UNAVAILABLE', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};

export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const queue: FakeReplySource[] = [];
  let defaultReply: FakeReplySource = options.defaultReply ?? echoReply;
  let aborted = 0;
  let received = 0;
  const waiters = new Set<() => void>();
  const notify = (): void => waiters.forEach((check) => check());
  const record = options.record ?? true;

  const fake: FakeGemini = {
    url: '',
    requests: [],
    get aborted() { return aborted; },
    enqueue: (...replies) => { queue.push(...replies); },
    setDefault: (reply) => { defaultReply = reply; },
    onRequest: undefined,
    waitForRequests: (count) => waitUntil(() => received >= count),
    waitForAborts: (count = 1) => waitUntil(() => aborted >= count),
    close: () => closeServer(),
  };

  function waitUntil(done: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => { if (done()) { waiters.delete(check); resolve(); } };
      waiters.add(check);
      check();
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [pathname, query = ''] = (req.url ?? '/').split('?');
    const route = ROUTE.exec(pathname ?? '');
    const raw = await readBody(req);
    if (!route || req.method !== 'POST') return sendError(res, { status: 404, message: `Unknown path ${pathname}` });
    if (options.apiKey !== undefined && req.headers['x-goog-api-key'] !== options.apiKey) {
      return sendError(res, { status: 400, body: invalidKeyBody() });
    }
    let body: GeminiRequestBody;
    try {
      body = JSON.parse(raw) as GeminiRequestBody;
    } catch {
      return sendError(res, { status: 400, message: 'Invalid JSON payload received.' });
    }
    const invalid = checkRequestBody(body);
    if (invalid) return sendError(res, { status: 400, message: invalid });
    const method = route[3] as RecordedRequest['method'];
    const request: RecordedRequest = {
      path: req.url ?? '', model: route[2] ?? '', method, stream: method === 'streamGenerateContent',
      headers: req.headers, body,
    };
    received++;
    if (record) fake.requests.push(request);
    fake.onRequest?.(request);
    notify();
    watchAbort(res);
    const source = queue.shift() ?? defaultReply;
    const reply = withoutCallsWhenOff(body, typeof source === 'function' ? source(request) : source);
    await sendReply(res, request, reply, query.includes('alt=sse'), raw.length);
  }

  function watchAbort(res: ServerResponse): void {
    res.on('close', () => {
      if (!res.writableFinished) { aborted++; notify(); }
    });
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, { status: 500, message: String(error) });
      else res.destroy();
    });
  };
  const server = options.tls ? createHttpsServer({ ...options.tls, keepAlive: true }, onRequest) : createServer({ keepAlive: true }, onRequest);
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  server.maxConnections = 10_000;

  function closeServer(): Promise<void> {
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return fake;
}

/**
 * toolConfig.functionCallingConfig.mode NONE: like the real model, never a function call ("same
 * as when not passing any function declarations"); a queued call is dropped from the reply.
 */
function withoutCallsWhenOff(body: GeminiRequestBody, reply: FakeReply): FakeReply {
  const mode = (body.toolConfig as { functionCallingConfig?: { mode?: string } } | undefined)?.functionCallingConfig?.mode;
  if (mode !== 'NONE' || !('chunks' in reply)) return reply;
  return { ...reply, chunks: reply.chunks.filter((part) => !('functionCall' in part)) };
}

/** What the real API rejects with 400 INVALID_ARGUMENT before generating anything (a few of its checks). */
function checkRequestBody(body: GeminiRequestBody): string | undefined {
  if (!Array.isArray(body.contents) || body.contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified\n';
  const emptyIndex = body.contents.findIndex((content) => !Array.isArray(content.parts) || content.parts.length === 0);
  if (emptyIndex >= 0) return `* GenerateContentRequest.contents[${emptyIndex}].parts: contents.parts must not be empty.\n`;
  const config = body.generationConfig ?? {};
  if ((config.responseJsonSchema !== undefined || config.responseSchema !== undefined) && config.responseMimeType !== 'application/json') {
    return '* GenerateContentRequest.generation_config.response_mime_type: must be application/json when a response schema is set.\n';
  }
  return undefined;
}

/** Default reply: one chunk "echo: <text of the last user content>". */
export function echoReply(request: RecordedRequest): ChunksReply {
  return { chunks: [{ text: `echo: ${lastUserText(request.body)}` }] };
}

/** The text parts of the last user content of a request, joined. */
export function lastUserText(body: GeminiRequestBody): string {
  const contents = body.contents ?? [];
  for (let i = contents.length - 1; i >= 0; i--) {
    const content = contents[i];
    if (content?.role !== 'user') continue;
    const texts = content.parts.filter((part) => typeof part.text === 'string').map((part) => part.text);
    if (texts.length > 0) return texts.join('');
  }
  return '';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function sendReply(res: ServerResponse, request: RecordedRequest, reply: FakeReply, sse: boolean, promptSize: number): Promise<void> {
  if ('hang' in reply) return;
  if ('raw' in reply) return sendRaw(res, reply, request.stream);
  if ('status' in reply) {
    if (reply.firstDelayMs) await wait(reply.firstDelayMs);
    return res.destroyed ? undefined : sendError(res, reply);
  }
  if ('blockReason' in reply) return sendBlocked(res, request, reply, sse, promptSize);
  if (reply.firstDelayMs) await wait(reply.firstDelayMs);
  if (reply.holdUntil) await reply.holdUntil;
  if (res.destroyed) return;
  const last = { finishReason: reply.finishReason ?? 'STOP', usageMetadata: usageOf(reply, promptSize) };
  if (!request.stream && reply.cutAfterChunks) return sendHalf(res, responseOf(request.model, mergeParts(reply.chunks), last));
  if (!request.stream) return sendJson(res, 200, responseOf(request.model, mergeParts(reply.chunks), last));
  await streamChunks(res, request.model, reply, last, sse);
}

async function streamChunks(res: ServerResponse, model: string, reply: ChunksReply, last: object, sse: boolean): Promise<void> {
  res.writeHead(200, { 'content-type': sse ? 'text/event-stream' : 'application/json; charset=UTF-8' });
  const chunks = reply.chunks.length > 0 ? reply.chunks : [{ text: '' }];
  if (!sse) res.write('[');
  for (let i = 0; i < chunks.length; i++) {
    if (i > 0 && reply.delayMs) await wait(reply.delayMs);
    if (res.destroyed) return;
    const isLast = i === chunks.length - 1;
    const json = JSON.stringify(responseOf(model, [toPart(reply.stampChunks ? stamped(chunks[i]!) : chunks[i]!)], isLast ? last : undefined));
    res.write(sse ? `data: ${json}\r\n\r\n` : `${i > 0 ? ',' : ''}${json}`);
  }
  if (reply.cutAfterChunks) return void res.write('', () => res.destroy());
  res.end(sse ? undefined : ']');
}

function sendBlocked(res: ServerResponse, request: RecordedRequest, reply: BlockedReply, sse: boolean, promptSize: number): void {
  const promptTokenCount = Math.ceil(promptSize / 16);
  const body = {
    promptFeedback: { blockReason: reply.blockReason, safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }] },
    usageMetadata: { promptTokenCount, totalTokenCount: promptTokenCount },
    modelVersion: request.model,
    responseId: 'fake-blocked',
  };
  if (!request.stream) return sendJson(res, 200, body);
  res.writeHead(200, { 'content-type': sse ? 'text/event-stream' : 'application/json; charset=UTF-8' });
  res.end(sse ? `data: ${JSON.stringify(body)}\r\n\r\n` : `[${JSON.stringify(body)}]`);
}

function responseOf(model: string, parts: GeminiPart[], last: object | undefined): object {
  return {
    candidates: [{ content: { parts, role: 'model' }, index: 0, ...(last ? { finishReason: (last as { finishReason: string }).finishReason } : {}) }],
    ...(last ? { usageMetadata: (last as { usageMetadata: FakeUsage }).usageMetadata } : {}),
    modelVersion: model,
    responseId: 'fake-response',
  };
}

function stamped(part: FakePart): FakePart {
  return 'text' in part && typeof part.text === 'string' ? { ...part, text: `${part.text}@${process.hrtime.bigint()}` } : part;
}

function toPart(part: FakePart): GeminiPart {
  const signature = part.signature ? { thoughtSignature: part.signature } : {};
  if ('functionCall' in part) return { functionCall: { args: {}, ...part.functionCall }, ...signature };
  if ('thought' in part) return { text: part.thought, thought: true, ...signature };
  return { text: part.text, ...signature };
}

/** Non-streaming answers merge adjacent text (and adjacent thought) parts, as Gemini does. */
function mergeParts(chunks: FakePart[]): GeminiPart[] {
  const parts: GeminiPart[] = [];
  for (const chunk of chunks) {
    const part = toPart(chunk);
    const previous = parts[parts.length - 1];
    const sameKind = previous && part.text !== undefined && previous.text !== undefined && !previous.thought === !part.thought;
    if (sameKind && !part.thoughtSignature) previous.text += part.text ?? '';
    else parts.push(part);
  }
  return parts;
}

function usageOf(reply: ChunksReply, promptSize: number): FakeUsage {
  let candidates = 0;
  let thoughts = 0;
  for (const chunk of reply.chunks) {
    if ('text' in chunk) candidates += Math.ceil(chunk.text.length / 4);
    else if ('thought' in chunk) thoughts += Math.ceil(chunk.thought.length / 4);
    else candidates += 5;
  }
  const usage: FakeUsage = { promptTokenCount: Math.ceil(promptSize / 16), candidatesTokenCount: candidates };
  if (thoughts > 0) usage.thoughtsTokenCount = thoughts;
  const computed = { ...usage, ...reply.usage };
  computed.totalTokenCount = reply.usage?.totalTokenCount
    ?? (computed.promptTokenCount ?? 0) + (computed.candidatesTokenCount ?? 0) + (computed.thoughtsTokenCount ?? 0);
  return computed;
}

function sendError(res: ServerResponse, reply: ErrorReply): void {
  const status = STATUS_NAMES[reply.status] ?? 'UNKNOWN';
  const error: Record<string, unknown> = { code: reply.status, message: reply.message ?? `Fake Gemini error ${reply.status}`, status };
  const headers: Record<string, string> = {};
  if (reply.retryAfterSeconds !== undefined) {
    error.details = [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${reply.retryAfterSeconds}s` }];
    headers['retry-after'] = String(reply.retryAfterSeconds);
  }
  sendJson(res, reply.status, reply.body ?? { error }, headers);
}

function invalidKeyBody(): object {
  return {
    error: {
      code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Headers promising the whole JSON body, half of it, then the connection breaks. */
function sendHalf(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.write(text.slice(0, Math.floor(text.length / 2)), () => res.destroy());
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
