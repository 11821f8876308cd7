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
 * failed', {cause})` before the answer (a connection not made within 10 s included, as fetch's
 * connect timeout), `TypeError('terminated', {cause})` during its body, an AbortError when the
 * signal aborts. Unlike fetch, a redirect is not followed (it would carry the API key to wherever
 * it points): it fails as the SDK's ApiError naming the address, so the operator can fix
 * GEMINI_BASE_URL.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { ApiError, type GoogleGenAI } from '@google/genai';

export interface TransportRequestInit {
  method?: string;
  headers?: Headers | Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export type Transport = (url: string, init: TransportRequestInit) => Promise<TransportResponse>;

export interface NodeTransportOptions {
  /** Longest wait for a new connection (TCP and TLS handshake), as fetch's connect timeout (default 10 000). */
  connectTimeoutMs?: number;
}

/**
 * Idle keep-alive sockets are closed after this long. Longer than fetch's 4 s: chat requests come
 * tens of seconds apart, and each new connection to Google is a TCP and TLS handshake (tens of
 * milliseconds) that a kept socket saves. A server that closes one first says so (the agent drops
 * it); one it closes just as it is reused fails as a network error, which the retry policy retries.
 */
const IDLE_SOCKET_MS = 60_000;
const CONNECT_TIMEOUT_MS = 10_000;

/** A fetch-shaped function over keep-alive node:http and node:https agents. */
export function createNodeTransport(options: NodeTransportOptions = {}): Transport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    'https:': new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };
  const connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  return (url, init) => send(new URL(url), init, agents, connectTimeoutMs);
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

function send(url: URL, init: TransportRequestInit, agents: Record<'http:' | 'https:', http.Agent>, connectTimeoutMs: number): Promise<TransportResponse> {
  const protocol = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!protocol) return Promise.reject(new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${url.protocol}`) }));
  const signal = init.signal;
  if (signal?.aborted) return Promise.reject(abortError());
  const headers = toHeaderRecord(init.headers);
  if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
  // Uncompressed answers: streamed chunks pass at once and cost no inflating (one that comes
  // compressed anyway is inflated, see TransportResponse).
  headers['accept-encoding'] = 'identity';
  // The signal is watched by AbortWatch, not given to node:http: its generic stream-abort
  // machinery (addAbortSignal and end-of-stream listeners) costs more than the call's own work.
  const options: http.RequestOptions = { method: init.method ?? 'GET', headers, agent: agents[url.protocol as 'http:' | 'https:'] };
  return new Promise((resolve, reject) => {
    const request = protocol.request(url, options, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        response.resume();
        return reject(redirectError(url, status, response.headers.location));
      }
      resolve(new TransportResponse(response, signal));
    });
    request.on('error', (error) => reject(signal?.aborted ? abortError() : new TypeError('fetch failed', { cause: error })));
    request.once('socket', (socket: Socket) => {
      guardSocket(socket);
      if (socket.connecting) watchConnect(socket, url.protocol === 'https:', connectTimeoutMs);
    });
    if (signal) new AbortWatch(signal, request);
    request.end(init.body);
  });
}

const guardedSockets = new WeakSet<Socket>();

/**
 * Every socket gets one 'error' listener of its own, for its whole life: node:http removes its
 * own between requests (a kept socket, or one whose answer is complete but not yet read), and an
 * 'error' without a listener ends the process. The request or the answer reports the failure.
 */
function guardSocket(socket: Socket): void {
  if (guardedSockets.has(socket)) return;
  guardedSockets.add(socket);
  socket.on('error', ignoreError);
}

/** An error another listener reports (or that concerns nobody any more, e.g. a cancelled call's). */
function ignoreError(): void {}

/** A new connection not up (TCP, then TLS) within `timeoutMs` is destroyed: a network error the retry policy retries. */
function watchConnect(socket: Socket, tls: boolean, timeoutMs: number): void {
  const timer = setTimeout(() => {
    socket.destroy(Object.assign(new Error(`no connection within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
  }, timeoutMs);
  socket.once(tls ? 'secureConnect' : 'connect', () => clearTimeout(timer));
  socket.once('close', () => clearTimeout(timer));
}

/** A 3xx: refused (the key would follow it), as an HTTP error that names where it points. */
function redirectError(url: URL, status: number, location: string | undefined): ApiError {
  const where = location ? `to ${new URL(location, url).href}` : 'without a Location';
  const message = `${url.origin} answered ${status}, a redirect ${where}: set GEMINI_BASE_URL to the address that answers (redirects are not followed: they would carry the API key).`;
  return new ApiError({ message: JSON.stringify({ error: { code: status, message, status: 'REDIRECT' } }), status });
}

/**
 * Destroys the request (and its answer, if one is coming) when the signal aborts, until the
 * request is over. An object with handleEvent: tsx's keepNames would re-name a closure per call.
 * Destroyed without an error object: node:http hands that error on to the socket, which may have
 * no listener at that moment (Node 22, an answer complete but not read to its end) and would end
 * the process. The request's and the answer's own listeners turn the abort into an AbortError.
 */
class AbortWatch {
  readonly #request: http.ClientRequest;

  constructor(signal: AbortSignal, request: http.ClientRequest) {
    this.#request = request;
    signal.addEventListener('abort', this, { once: true });
    request.once('close', () => signal.removeEventListener('abort', this));
  }

  handleEvent(): void {
    this.#request.destroy();
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
  /** The message itself, or its inflated bytes when it came compressed although we asked for identity. */
  readonly #body: Readable;
  readonly #signal: AbortSignal | undefined;
  #used = false;
  /** The first error of the message or its inflated body, kept from the start: it may come before the body is read. */
  #failure: unknown;

  constructor(message: IncomingMessage, signal: AbortSignal | undefined) {
    this.#message = message;
    this.#body = decoded(message);
    this.#signal = signal;
    message.on('error', (error) => void (this.#failure ??= error));
    if (this.#body !== message) this.#body.on('error', (error) => void (this.#failure ??= error));
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
    return new MessageReader(this.#body, (error) => this.#bodyError(error));
  }

  /**
   * The whole body. Listeners rather than an async iterator: one promise and no iterator objects
   * per answer (anonymous callbacks: tsx's keepNames re-names named closures on every call).
   */
  text(): Promise<string> {
    this.#take();
    const message = this.#message;
    const body = this.#body;
    return new Promise((resolve, reject) => {
      // Failed or cut before the SDK asked for the body (a corrupt compressed answer): no event is coming any more.
      if (this.#failure !== undefined || body.destroyed) {
        return reject(this.#bodyError(this.#failure ?? Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
      }
      const chunks: Buffer[] = [];
      body.on('data', (chunk: Buffer) => void chunks.push(chunk));
      body.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
      body.once('error', (error) => reject(this.#bodyError(error)));
      // The connection broke before the end of the body (an inflated body learns it from pipeline).
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

const DECODERS: Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/**
 * We ask for identity, but a proxy on GEMINI_BASE_URL may compress anyway: such a body is
 * inflated as it arrives (flushing each chunk, so a stream stays a stream), as fetch would.
 */
function decoded(message: IncomingMessage): Readable {
  const encoding = message.headers['content-encoding']?.trim().toLowerCase();
  const create = encoding ? DECODERS[encoding] : undefined;
  if (!create) return message;
  return pipeline(message, create(), () => undefined);
}

/** Chunk by chunk, as a stream reader (the SDK's SSE parser): methods, not closures, for tsx's keepNames. */
class MessageReader implements BodyReader {
  readonly #message: Readable;
  readonly #iterator: AsyncIterator<Buffer>;
  readonly #toError: (error: unknown) => Error;

  constructor(message: Readable, toError: (error: unknown) => Error) {
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
