import type { ServerResponse } from 'node:http';
import { formatSSEData, SSE_DONE, SSE_KEEPALIVE } from '../openai/sse.ts';

/** Writes one server-sent-events stream straight to the socket: each event leaves the moment it is sent. */
export interface SSEWriter {
  /** True once the status line and headers are out (after which errors must go into the stream). */
  readonly opened: boolean;
  /** Sends status 200 and the event-stream headers (plus `extraHeaders()` evaluated now). */
  open(): void;
  /** Sends `data: <json>` for each value, in one write (opening the stream first if needed). */
  send(...values: unknown[]): void;
  /** Sends `data: <json>` for each value, then `data: [DONE]`, and ends the response (one write). */
  finish(...values: unknown[]): void;
  /** Stops the heartbeat and, when the stream is open, ends it without [DONE] (after an error event, or when the client is gone). */
  end(): void;
}

export interface SSEWriterOptions {
  /** A `: keepalive` comment is sent after this long without an event (opening the stream if needed). */
  heartbeatMs: number;
  /** Headers computed at the moment the stream opens (Server-Timing). */
  extraHeaders?: () => Record<string, string>;
}

/**
 * The headers leave with the first write (one packet with the first events), or on their own when
 * the stream opens idle (a heartbeat). One heartbeat timer, pushed back by every write.
 */
export function createSSEWriter(res: ServerResponse, options: SSEWriterOptions): SSEWriter {
  return new EventStream(res, options);
}

/** A class rather than closures: tsx (esbuild `keepNames`) wraps every named closure in a defineProperty call, per stream. */
class EventStream implements SSEWriter {
  readonly #res: ServerResponse;
  readonly #options: SSEWriterOptions;
  readonly #heartbeat: NodeJS.Timeout;
  #opened = false;

  constructor(res: ServerResponse, options: SSEWriterOptions) {
    this.#res = res;
    this.#options = options;
    this.#heartbeat = setTimeout(() => this.#write(SSE_KEEPALIVE), options.heartbeatMs);
  }

  get opened(): boolean {
    return this.#opened;
  }

  open(): void {
    this.#openWith(undefined);
  }

  send(...values: unknown[]): void {
    this.#write(values.map(formatSSEData).join(''));
  }

  finish(...values: unknown[]): void {
    clearTimeout(this.#heartbeat);
    if (!this.#writable()) return;
    if (!this.#opened) {
      this.#opened = true;
      setStreamHeaders(this.#res, this.#options.extraHeaders?.() ?? {});
    }
    this.#res.end(values.map(formatSSEData).join('') + SSE_DONE);
  }

  end(): void {
    clearTimeout(this.#heartbeat);
    if (this.#opened && this.#writable()) this.#res.end();
  }

  #writable(): boolean {
    return !this.#res.destroyed && !this.#res.writableEnded;
  }

  #write(text: string): void {
    if (!this.#writable()) return;
    if (!this.#opened) this.#openWith(text);
    else this.#res.write(text);
    this.#heartbeat.refresh();
  }

  #openWith(text: string | undefined): void {
    if (this.#opened || !this.#writable()) return;
    this.#opened = true;
    setStreamHeaders(this.#res, this.#options.extraHeaders?.() ?? {});
    if (text === undefined) this.#res.flushHeaders();
    else this.#res.write(text);
  }
}

function setStreamHeaders(res: ServerResponse, extra: Record<string, string>): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.removeHeader('Content-Length');
  for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
  res.socket?.setNoDelay(true);
}
