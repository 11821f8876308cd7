import type { ServerResponse } from 'node:http';
import { formatSSEData, SSE_DONE, SSE_KEEPALIVE } from '../openai/sse.ts';

/** Writes one server-sent-events stream straight to the socket: each event leaves the moment it is sent. */
export interface SSEWriter {
  /** True once the status line and headers are out (after which errors must go into the stream). */
  readonly opened: boolean;
  /** Sends status 200 and the event-stream headers (plus `extraHeaders()` evaluated now). */
  open(): void;
  /** Sends `data: <json>`, opening the stream first if needed. */
  send(value: unknown): void;
  /** Sends `data: [DONE]` and ends the response. */
  finish(): void;
  /** Stops the heartbeat and, when the stream is open, ends it without [DONE] (after an error event, or when the client is gone). */
  end(): void;
}

export interface SSEWriterOptions {
  /** A `: keepalive` comment is sent after this long without an event (opening the stream if needed). */
  heartbeatMs: number;
  /** Headers computed at the moment the stream opens (Server-Timing). */
  extraHeaders?: () => Record<string, string>;
}

export function createSSEWriter(res: ServerResponse, options: SSEWriterOptions): SSEWriter {
  let opened = false;
  let timer: NodeJS.Timeout | undefined;

  const writable = (): boolean => !res.destroyed && !res.writableEnded;
  const armHeartbeat = (): void => {
    clearTimeout(timer);
    if (writable()) timer = setTimeout(beat, options.heartbeatMs);
  };
  const write = (text: string): void => {
    if (!writable()) return;
    if (!opened) open();
    res.write(text);
    armHeartbeat();
  };
  const beat = (): void => write(SSE_KEEPALIVE);
  const open = (): void => {
    if (opened || !writable()) return;
    opened = true;
    writeStreamHeaders(res, options.extraHeaders?.() ?? {});
  };
  const end = (): void => {
    clearTimeout(timer);
    if (opened && writable()) res.end();
  };

  armHeartbeat();
  return {
    get opened() {
      return opened;
    },
    open,
    send: (value) => write(formatSSEData(value)),
    finish: () => {
      write(SSE_DONE);
      end();
    },
    end,
  };
}

function writeStreamHeaders(res: ServerResponse, extra: Record<string, string>): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.removeHeader('Content-Length');
  for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
  res.socket?.setNoDelay(true);
  res.flushHeaders();
}
