/**
 * @google/genai's HTTP path over node:http / node:https with keep-alive agents, instead of the
 * global fetch (undici) the SDK calls. The SDK still builds every request and reads every answer
 * (its converters, its SSE parser, its errors); only the bytes travel differently. Measured by
 * `npm run bench`: fetch's WHATWG machinery (Request, Headers, streams, its own abort signal)
 * is most of what the SDK adds over a bare proxy.
 *
 * The SDK has no option for a custom fetch, so the transport replaces one method of its API
 * client, `apiCall(url, requestInit)`, whose whole job is `fetch(url, requestInit)`. The answer
 * has the parts of a fetch Response the SDK reads: ok, status, statusText, headers (get, entries,
 * iterable), json(), text() and body.getReader(). Failures look like fetch's: `TypeError('fetch
 * failed', {cause})` before the answer, `TypeError('terminated', {cause})` during its body, an
 * AbortError when the signal aborts.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { GoogleGenAI } from '@google/genai';

export interface TransportRequestInit {
  method?: string;
  headers?: Headers | Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export type Transport = (url: string, init: TransportRequestInit) => Promise<TransportResponse>;

/**
 * Idle keep-alive sockets are closed after this long. Longer than fetch's 4 s: chat requests come
 * tens of seconds apart, and each new connection to Google is a TCP and TLS handshake (tens of
 * milliseconds) that a kept socket saves. Google's front ends keep idle connections longer than
 * this; a server may still close one just as it is reused, which `send` retries once.
 */
const IDLE_SOCKET_MS = 60_000;
/** A reused keep-alive socket the server had closed: the request never reached it. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/** A fetch-shaped function over keep-alive node:http and node:https agents. */
export function createNodeTransport(): Transport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    'https:': new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };
  return (url, init) => send(new URL(url), init, agents);
}

/**
 * Makes `ai` send its requests through `transport`. False (and the SDK keeps its own fetch) when
 * this SDK version has no such method: a test pins that the installed one has.
 */
export function installTransport(ai: GoogleGenAI, transport: Transport): boolean {
  const client = (ai as unknown as { apiClient?: { apiCall?: unknown } }).apiClient;
  if (!client || typeof client.apiCall !== 'function') return false;
  client.apiCall = transport;
  return true;
}

function send(url: URL, init: TransportRequestInit, agents: Record<'http:' | 'https:', http.Agent>): Promise<TransportResponse> {
  const protocol = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!protocol) return Promise.reject(new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${url.protocol}`) }));
  const signal = init.signal;
  if (signal?.aborted) return Promise.reject(abortError());
  const headers = toHeaderRecord(init.headers);
  if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
  // The signal is watched by startRequest, not given to node:http: its generic stream-abort
  // machinery (addAbortSignal and end-of-stream listeners) costs more than the call's own work.
  const options: http.RequestOptions = { method: init.method ?? 'GET', headers, agent: agents[url.protocol as 'http:' | 'https:'] };
  return new Promise((resolve, reject) => startRequest({ protocol, url, options, body: init.body, signal, resolve, reject }, true));
}

interface Exchange {
  protocol: typeof http | typeof https;
  url: URL;
  options: http.RequestOptions;
  body: string | undefined;
  signal: AbortSignal | undefined;
  resolve: (response: TransportResponse) => void;
  reject: (error: unknown) => void;
}

/**
 * One try of the request. A keep-alive socket the server closed just as it was reused fails
 * before any answer with ECONNRESET/EPIPE: the request never reached the server, so it is sent
 * once more on a new connection (Node's documented way, `request.reusedSocket`).
 */
function startRequest(exchange: Exchange, retryStale: boolean): void {
  const { signal } = exchange;
  let answered = false;
  const request = exchange.protocol.request(exchange.url, exchange.options, (response) => {
    answered = true;
    exchange.resolve(new TransportResponse(response, signal));
  });
  request.on('error', (error: NodeJS.ErrnoException) => {
    if (signal?.aborted) return exchange.reject(abortError());
    if (retryStale && !answered && request.reusedSocket && STALE_SOCKET_CODES.has(error.code ?? '')) return startRequest(exchange, false);
    exchange.reject(new TypeError('fetch failed', { cause: error }));
  });
  if (signal) new AbortWatch(signal, request);
  request.end(exchange.body);
}

/**
 * Destroys the request (and its answer, if one is coming) when the signal aborts, until the
 * request is over. An object with handleEvent: tsx's keepNames would re-name a closure per call.
 */
class AbortWatch {
  readonly #signal: AbortSignal;
  readonly #request: http.ClientRequest;

  constructor(signal: AbortSignal, request: http.ClientRequest) {
    this.#signal = signal;
    this.#request = request;
    signal.addEventListener('abort', this, { once: true });
    request.once('close', () => signal.removeEventListener('abort', this));
  }

  handleEvent(): void {
    this.#request.destroy(abortError());
  }
}

function toHeaderRecord(headers: TransportRequestInit['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  if (!headers) return record;
  if (typeof (headers as Headers).forEach === 'function') (headers as Headers).forEach((value, key) => { record[key] = value; });
  else Object.assign(record, headers);
  return record;
}

function abortError(): DOMException {
  return new DOMException('This operation was aborted', 'AbortError');
}

/** The headers of an answer, read the way the SDK reads a fetch Headers object. */
class ResponseHeaders {
  readonly #raw: IncomingHttpHeaders;

  constructor(raw: IncomingHttpHeaders) {
    this.#raw = raw;
  }

  get(name: string): string | null {
    const value = this.#raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.#raw[name.toLowerCase()] !== undefined;
  }

  entries(): IterableIterator<[string, string]> {
    const pairs: [string, string][] = [];
    for (const name of Object.keys(this.#raw)) {
      const value = this.get(name);
      if (value !== null) pairs.push([name, value]);
    }
    return pairs[Symbol.iterator]();
  }

  forEach(callback: (value: string, name: string) => void): void {
    for (const [name, value] of this.entries()) callback(value, name);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/** One answer: status and headers at once, the body read once, whole (json/text) or chunk by chunk (body.getReader). */
export class TransportResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: ResponseHeaders;
  readonly #message: IncomingMessage;
  readonly #signal: AbortSignal | undefined;
  #used = false;

  constructor(message: IncomingMessage, signal: AbortSignal | undefined) {
    this.#message = message;
    this.#signal = signal;
    this.status = message.statusCode ?? 0;
    this.statusText = message.statusMessage ?? '';
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new ResponseHeaders(message.headers);
  }

  /** The body as fetch has it: `response.body.getReader()`. The answer itself, so no object or closure per answer. */
  get body(): { getReader(): BodyReader } {
    return this;
  }

  getReader(): BodyReader {
    this.#take();
    return new MessageReader(this.#message, (error) => this.#bodyError(error));
  }

  /**
   * The whole body. Listeners rather than an async iterator: one promise and no iterator objects
   * per answer (anonymous callbacks: tsx's keepNames re-names named closures on every call).
   */
  text(): Promise<string> {
    this.#take();
    const message = this.#message;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      message.on('data', (chunk: Buffer) => void chunks.push(chunk));
      message.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
      message.once('error', (error) => reject(this.#bodyError(error)));
      // The connection broke before the end of the body.
      message.once('close', () => {
        if (!message.complete) reject(this.#bodyError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
      });
    });
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  #take(): void {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
  }

  #bodyError(error: unknown): Error {
    return this.#signal?.aborted ? abortError() : new TypeError('terminated', { cause: error });
  }
}

/** Chunk by chunk, as a stream reader (the SDK's SSE parser): methods, not closures, for tsx's keepNames. */
class MessageReader implements BodyReader {
  readonly #message: IncomingMessage;
  readonly #iterator: AsyncIterator<Buffer>;
  readonly #toError: (error: unknown) => Error;

  constructor(message: IncomingMessage, toError: (error: unknown) => Error) {
    this.#message = message;
    this.#iterator = message[Symbol.asyncIterator]();
    this.#toError = toError;
  }

  async read(): Promise<{ done: true; value: undefined } | { done: false; value: Uint8Array }> {
    try {
      const next = await this.#iterator.next();
      return next.done ? { done: true, value: undefined } : { done: false, value: next.value };
    } catch (error) {
      throw this.#toError(error);
    }
  }

  releaseLock(): void {}

  async cancel(): Promise<void> {
    this.#message.destroy();
  }
}

export interface BodyReader {
  read(): Promise<{ done: true; value: undefined } | { done: false; value: Uint8Array }>;
  releaseLock(): void;
  cancel(): Promise<void>;
}
