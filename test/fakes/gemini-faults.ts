/**
 * Fault replies for the fake Gemini: bytes an upstream (or a proxy in front of it) might send that
 * the real API never does. A `RawReply` is written as given: status, content type, then each
 * piece of `pieces` in turn (`delayMs` apart), then the response ends (or the socket is cut).
 */
import type { ServerResponse } from 'node:http';

export interface RawReply {
  /** The body, written piece by piece (each one a separate write, so a stream sees separate chunks). */
  raw: Array<string | Uint8Array>;
  /** HTTP status (default 200). */
  status?: number;
  /** Content type (default text/event-stream for a stream request, application/json otherwise). */
  contentType?: string;
  /** More headers (e.g. a content-encoding the body does not honour). */
  headers?: Record<string, string>;
  /** Wait between pieces, in ms. */
  delayMs?: number;
  /** Destroy the socket after the last piece instead of ending the response. */
  cut?: boolean;
}

/** A well-formed SSE event of a Gemini stream holding `text`. */
export function sseTextEvent(text: string, finishReason?: string): string {
  const candidate = { content: { parts: [{ text }], role: 'model' }, index: 0, ...(finishReason ? { finishReason } : {}) };
  return `data: ${JSON.stringify({ candidates: [candidate], modelVersion: 'fake', responseId: 'fake-raw' })}\r\n\r\n`;
}

/** A stream of one good event, then an event whose data is not JSON, then the end: a proxy that mangled one event. */
export function malformedStreamReply(text = 'good start '): RawReply {
  return { raw: [sseTextEvent(text), 'data: {not json\r\n\r\n'] };
}

export async function sendRaw(res: ServerResponse, reply: RawReply, stream: boolean): Promise<void> {
  const contentType = reply.contentType ?? (stream ? 'text/event-stream' : 'application/json; charset=UTF-8');
  res.writeHead(reply.status ?? 200, { 'content-type': contentType, ...reply.headers });
  for (let i = 0; i < reply.raw.length; i++) {
    if (i > 0 && reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (res.destroyed) return;
    res.write(reply.raw[i]!);
  }
  if (reply.cut) return void res.write('', () => res.destroy());
  res.end();
}
