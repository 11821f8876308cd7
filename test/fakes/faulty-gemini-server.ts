/**
 * A Gemini endpoint on loopback that answers with exactly the bytes a test planned: for the fuzz
 * suite's upstream faults (random bytes, truncations, malformed SSE events, invalid JSON, wrong
 * shapes, broken connections). It speaks the same routes as the real API
 * (`POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent?alt=sse`), and
 * answers every request with the current plan until it is changed, so a retried call meets the
 * same fault (a persistently broken upstream). Between faults, `healthy()` plans a normal answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The answer to send, byte for byte. */
export interface PlannedAnswer {
  status: number;
  headers: Record<string, string>;
  /** Written one after the other, each in its own write (so the client sees the splits). */
  pieces: Buffer[];
  /** `end`: the body ends cleanly; `destroy`: the connection breaks after the last piece. */
  ending: 'end' | 'destroy';
  /** Wait before each piece after the first, in ms (a slow upstream). */
  delayMs?: number;
}

/** What the fake was asked (the plan may depend on it: streaming or not). */
export interface PlannedRequest {
  model: string;
  stream: boolean;
}

export type AnswerPlan = (request: PlannedRequest) => PlannedAnswer;

export interface FaultyGemini {
  url: string;
  /** Requests answered so far. */
  readonly requests: number;
  /** Answers every following request with `plan`. */
  setPlan(plan: AnswerPlan): void;
  close(): Promise<void>;
}

const ROUTE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

export async function startFaultyGemini(): Promise<FaultyGemini> {
  let plan: AnswerPlan = healthyAnswer;
  let requests = 0;
  const server = createServer({ keepAlive: true }, (req, res) => {
    answer(req, res).catch(() => res.destroy());
  });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for await (const _chunk of req) void _chunk; // read the whole request first, as a server does
    const [pathname = '', query = ''] = (req.url ?? '/').split('?');
    const route = ROUTE.exec(pathname);
    if (!route || req.method !== 'POST') return void res.writeHead(404).end();
    requests++;
    const planned = plan({ model: route[1]!, stream: route[2] === 'streamGenerateContent' && query.includes('alt=sse') });
    await sendPlanned(res, planned);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() { return requests; },
    setPlan(next) { plan = next; },
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function sendPlanned(res: ServerResponse, planned: PlannedAnswer): Promise<void> {
  res.writeHead(planned.status, planned.headers);
  for (const [index, piece] of planned.pieces.entries()) {
    if (index > 0 && planned.delayMs) await new Promise((resolve) => setTimeout(resolve, planned.delayMs));
    if (res.destroyed) return;
    await new Promise<void>((resolve) => res.write(piece, () => resolve()));
  }
  if (planned.ending === 'destroy') res.destroy();
  else res.end();
}

/** One Gemini response object (a whole answer, or one streamed chunk). */
export function geminiResponse(text: string, finishReason?: string): Record<string, unknown> {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0, ...(finishReason ? { finishReason } : {}) }],
    ...(finishReason ? { usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 } } : {}),
    modelVersion: 'gemini-2.5-flash',
    responseId: 'fuzz',
  };
}

/** The SSE event carrying one streamed chunk, as Gemini frames it. */
export function sseEvent(json: string): string {
  return `data: ${json}\r\n\r\n`;
}

/** The text a healthy answer carries (the control request after each fault expects it). */
export const HEALTHY_TEXT = 'all is well';

/** A well-formed answer: one JSON document, or two SSE chunks, the last with finishReason STOP. */
export function healthyAnswer(request: PlannedRequest): PlannedAnswer {
  if (!request.stream) {
    const body = JSON.stringify(geminiResponse(HEALTHY_TEXT, 'STOP'));
    return { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, pieces: [Buffer.from(body)], ending: 'end' };
  }
  const [first, second] = [HEALTHY_TEXT.slice(0, 4), HEALTHY_TEXT.slice(4)];
  const events = [sseEvent(JSON.stringify(geminiResponse(first))), sseEvent(JSON.stringify(geminiResponse(second, 'STOP')))];
  return { status: 200, headers: { 'content-type': 'text/event-stream' }, pieces: events.map((event) => Buffer.from(event)), ending: 'end' };
}
