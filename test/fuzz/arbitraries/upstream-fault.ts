/**
 * Faults of the model upstream, each one a sure failure (no complete, well-formed answer ever
 * arrives), for a streaming or a non-streaming call. `toPlannedAnswer` turns one into the exact
 * bytes the faulty fake Gemini sends; the byte stream is also split at random points, as TCP may.
 */
import fc from 'fast-check';
import { geminiResponse, sseEvent, type PlannedAnswer } from '../../fakes/faulty-gemini-server.ts';
import { almostJson, jsonWithGarbage, noAnswerJson, randomBytes, truncatedJson, wrongTypesJson } from './broken-json.ts';

export type FaultKind = 'http-error' | 'http-error-garbage' | 'cut-connection' | 'invalid-json' | 'malformed-event' | 'no-answer' | 'wrong-types' | 'unfinished';

export const FAULT_KINDS: readonly FaultKind[] = ['http-error', 'http-error-garbage', 'cut-connection', 'invalid-json', 'malformed-event', 'no-answer', 'wrong-types', 'unfinished'];

export interface UpstreamFault {
  kind: FaultKind;
  stream: boolean;
  /** Good text chunks streamed before the fault (streaming only). */
  goodChunks: number;
  status: number;
  /** The faulty bytes: a body, an event's data, an error body. */
  payload: Buffer;
  /** Streaming, malformed event: a well-formed final chunk follows it anyway. */
  thenFinal: boolean;
  /** Where the bytes are cut (cut-connection), as a fraction of their length in [0, 1). */
  cutAt: number;
  /** Where the body is split into separate writes, as fractions of its length. */
  splits: number[];
  /** Wait between the writes, in ms. */
  delayMs: number;
  /** The client hangs up this many ms after sending (none: it reads the whole answer). */
  clientAbortMs: number | null;
}

const REDIRECTS = [301, 302, 303, 307, 308];
const statusArb = fc.oneof(fc.integer({ min: 400, max: 599 }), fc.constantFrom(400, 401, 403, 404, 429, 500, 502, 503, 504, ...REDIRECTS));
const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const chunkJson = JSON.stringify(geminiResponse('a piece of the answer'));
const finalJson = JSON.stringify(geminiResponse(' and its end', 'STOP'));

/** The bytes of each kind: error bodies may be anything; the others are not a usable answer. */
function payloadOf(kind: FaultKind): fc.Arbitrary<Buffer> {
  const text = (arb: fc.Arbitrary<string>): fc.Arbitrary<Buffer> => arb.map((value) => Buffer.from(value));
  switch (kind) {
    case 'http-error':
      return fc.oneof(text(fc.constant('{"error":{"code":500,"message":"Internal error","status":"INTERNAL"}}')), text(fc.json()));
    case 'http-error-garbage':
      return fc.oneof(text(almostJson), randomBytes, fc.constant(Buffer.alloc(0)));
    case 'invalid-json':
      return fc.oneof(text(truncatedJson(finalJson)), text(almostJson), text(jsonWithGarbage(finalJson)), randomBytes);
    case 'malformed-event':
      // One event's data on one line: a line break would make it several SSE fields.
      return fc.oneof(text(truncatedJson(finalJson)), text(almostJson), text(jsonWithGarbage(finalJson)), randomBytes)
        .map(withoutLineBreaks)
        .filter((bytes) => bytes.toString('latin1').trim() !== '');
    case 'no-answer':
      return text(noAnswerJson);
    case 'wrong-types':
      return text(wrongTypesJson);
    default:
      return fc.constant(Buffer.alloc(0));
  }
}

/** Faults of the given kinds. */
export function upstreamFault(kinds: readonly FaultKind[] = FAULT_KINDS): fc.Arbitrary<UpstreamFault> {
  return fc.constantFrom(...kinds).chain((kind) =>
    fc.record({
      kind: fc.constant(kind),
      stream: kind === 'invalid-json' ? fc.constant(false) : kind === 'malformed-event' ? fc.constant(true) : fc.boolean(),
      goodChunks: fc.integer({ min: kind === 'unfinished' ? 1 : 0, max: 3 }),
      status: statusArb,
      payload: payloadOf(kind),
      thenFinal: fc.boolean(),
      cutAt: fraction,
      splits: fc.array(fraction, { maxLength: 4 }),
      delayMs: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 40 })),
      clientAbortMs: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, fc.integer({ min: 0, max: 120 })),
    }),
  );
}

/** The answer the fake sends for `fault` (to the request it gets, streaming or not). */
export function toPlannedAnswer(fault: UpstreamFault, stream: boolean): PlannedAnswer {
  const { body, ending, status } = stream ? streamBody(fault) : unaryBody(fault);
  const type = stream && fault.status === 200 ? 'text/event-stream' : 'application/json; charset=UTF-8';
  const headers: Record<string, string> = { 'content-type': type };
  // A broken connection promises the whole body; a clean end says how long it really is.
  if (!stream) headers['content-length'] = String(ending === 'destroy' ? Buffer.byteLength(fullUnary()) : body.length);
  if (REDIRECTS.includes(status)) headers.location = 'http://127.0.0.1:9/elsewhere';
  return { status, headers, pieces: splitAt(body, fault.splits), ending, delayMs: fault.delayMs };
}

interface Body {
  body: Buffer;
  ending: 'end' | 'destroy';
  status: number;
}

function unaryBody(fault: UpstreamFault): Body {
  switch (fault.kind) {
    case 'http-error':
    case 'http-error-garbage':
      return { body: fault.payload, ending: 'end', status: fault.status };
    case 'cut-connection':
      return { body: cut(Buffer.from(fullUnary()), fault.cutAt), ending: 'destroy', status: 200 };
    case 'unfinished':
      return { body: Buffer.from(JSON.stringify(geminiResponse('an answer without its end'))), ending: 'end', status: 200 };
    default:
      return { body: fault.payload, ending: 'end', status: 200 };
  }
}

function streamBody(fault: UpstreamFault): Body {
  const good = Array.from({ length: fault.goodChunks }, () => sseEvent(chunkJson)).join('');
  switch (fault.kind) {
    case 'http-error':
    case 'http-error-garbage':
      return { body: fault.payload, ending: 'end', status: fault.status };
    case 'cut-connection':
      return { body: cut(Buffer.from(good + sseEvent(finalJson)), fault.cutAt), ending: 'destroy', status: 200 };
    case 'unfinished':
      return { body: Buffer.from(good), ending: 'end', status: 200 };
    case 'no-answer':
      // Nothing usable in the whole stream: every event is the empty answer.
      return { body: Buffer.from(sseEvent(fault.payload.toString()).repeat(fault.goodChunks + 1)), ending: 'end', status: 200 };
    default: {
      const tail = fault.kind === 'malformed-event' && fault.thenFinal ? sseEvent(finalJson) : '';
      return { body: Buffer.concat([Buffer.from(good), Buffer.from('data: '), fault.payload, Buffer.from(`\r\n\r\n${tail}`)]), ending: 'end', status: 200 };
    }
  }
}

function fullUnary(): string {
  return finalJson;
}

/** The first `fraction` of the bytes (never all of them). */
function cut(bytes: Buffer, fraction: number): Buffer {
  return bytes.subarray(0, Math.min(bytes.length - 1, Math.floor(bytes.length * fraction)));
}

function withoutLineBreaks(bytes: Buffer): Buffer {
  return Buffer.from(bytes.map((byte) => (byte === 0x0a || byte === 0x0d ? 0x20 : byte)));
}

function splitAt(body: Buffer, fractions: number[]): Buffer[] {
  const points = [...new Set(fractions.map((f) => Math.floor(body.length * f)))].filter((p) => p > 0 && p < body.length).sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const point of [...points, body.length]) {
    pieces.push(body.subarray(start, point));
    start = point;
  }
  return pieces.filter((piece) => piece.length > 0);
}
