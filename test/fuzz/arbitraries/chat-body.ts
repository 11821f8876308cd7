/**
 * Bodies for POST /v1/chat/completions: plausible requests whose every field may be off (wrong
 * types, out-of-range numbers, odd roles and content parts, unknown and prototype-polluting keys),
 * their JSON text mutated, and raw bytes, deep nesting and bodies around the size limit.
 */
import fc from 'fast-check';
import { mutatedText } from './text-mutation.ts';

/** Numbers a client may send for a numeric field: in range, at the edges, far out of it, or not numbers at all. */
export const anyNumber: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
  { weight: 3, arbitrary: fc.integer({ min: -10, max: 100_000 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0, 1, 2, 2.0000001, -1, 1e20, -1e20, 1e308, 5e-324, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 0.5, 1.5) },
  { weight: 1, arbitrary: fc.constantFrom('1', '', null, true, [], {}, '1e3', 'NaN') },
);

const text = fc.oneof(fc.lorem({ maxCount: 12 }), fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('### Task: make a title', 'my tracker token is tok-1234567890abcdef', 'forget my tracker token', '{{agent.name}}', '\u0000', ''));
const contentPart = fc.oneof(
  fc.record({ type: fc.constant('text'), text }),
  fc.record({ type: fc.constantFrom('image_url', 'input_audio', 'file', 'refusal', 'text', 'x'), text: fc.anything({ maxDepth: 1 }), image_url: fc.anything({ maxDepth: 1 }) }, { requiredKeys: ['type'] }),
  fc.anything({ maxDepth: 1 }),
);
const content = fc.oneof({ weight: 4, arbitrary: text }, fc.array(contentPart, { maxLength: 3 }), fc.constantFrom(null, 42, {}, [], true));
const role = fc.oneof({ weight: 5, arbitrary: fc.constantFrom('user', 'system', 'developer', 'assistant', 'tool', 'function') }, fc.string({ maxLength: 8 }), fc.constant(null));
const message = fc.oneof(
  { weight: 6, arbitrary: fc.record({ role, content, name: fc.string({ maxLength: 10 }), tool_call_id: fc.string({ maxLength: 10 }), tool_calls: fc.anything({ maxDepth: 2 }) }, { requiredKeys: ['role', 'content'] }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);

const nonEmptyText = text.filter((value) => value.trim() !== '');
const textParts = fc.array(fc.record({ type: fc.constant('text'), text }), { minLength: 1, maxLength: 3 });
const validMessage = fc.record({
  role: fc.constantFrom('system', 'developer', 'user', 'assistant'),
  content: fc.oneof({ weight: 3, arbitrary: text }, textParts),
});
const validLast = fc.record({ role: fc.constant('user'), content: fc.oneof({ weight: 3, arbitrary: nonEmptyText }, nonEmptyText.map((value) => [{ type: 'text', text: value }])) });
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

/** A request the server should answer: every field present is valid. */
function validRequest(models: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record(
      {
        model: fc.constantFrom(...models),
        messages: fc.tuple(fc.array(validMessage, { maxLength: 4 }), validLast).map(([earlier, last]) => [...earlier, last]),
        stream: fc.boolean(),
        include_usage: fc.boolean(),
        temperature: fc.double({ min: 0, max: 2, noNaN: true }),
        top_p: fc.double({ min: 0, max: 1, noNaN: true }),
        max_tokens: fc.integer({ min: 1, max: 8192 }),
        stop: fc.oneof(nonEmptyText, fc.array(nonEmptyText, { maxLength: 4 })),
        seed: int32,
        presence_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
        user: fc.string({ maxLength: 30 }),
        metadata: fc.record({ session_id: fc.string({ maxLength: 20 }), user_id: fc.string({ maxLength: 20 }) }, { requiredKeys: [] }),
        response_format: fc.constantFrom({ type: 'text' }, { type: 'json_object' }, { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } }),
        tools: fc.constant([]),
        tool_choice: fc.constantFrom('none', 'auto'),
      },
      { requiredKeys: ['model', 'messages'] },
    )
    .map(({ include_usage, ...request }) => (request.stream === true && include_usage !== undefined ? { ...request, stream_options: { include_usage } } : request));
}

/** A field set to a value that may be wrong (wrong type, out of range, unknown, prototype keys). */
const corruption = fc.oneof(
  fc.record({ field: fc.constantFrom('temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'n', 'seed', 'presence_penalty', 'frequency_penalty'), value: anyNumber }),
  fc.record({ field: fc.constantFrom('model', 'stream', 'stream_options', 'stop', 'user', 'metadata', 'response_format', 'tools', 'tool_choice', 'functions', 'function_call', 'logprobs', 'unknown_field', '__proto__', 'constructor'), value: fc.anything({ maxDepth: 2 }) }),
  fc.record({ field: fc.constant('messages'), value: fc.oneof(fc.array(message, { maxLength: 5 }), fc.anything({ maxDepth: 1 })) }),
);

/** A valid request, or one with a few fields set to possibly wrong values; the agent names are the fuzz server's. */
export function chatRequest(models: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(validRequest(models), fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, fc.array(corruption, { minLength: 1, maxLength: 3 }))).map(([request, changes]) => {
    const body: Record<string, unknown> = { ...request };
    for (const { field, value } of changes) Object.defineProperty(body, field, { value, enumerable: true, writable: true, configurable: true });
    return body;
  });
}

/** Request bodies as bytes: JSON of plausible requests, that JSON mutated, and hostile bodies. */
export function chatBody(models: string[]): fc.Arbitrary<Buffer> {
  const json = chatRequest(models).map((request) => JSON.stringify(request));
  return fc.oneof(
    { weight: 8, arbitrary: json.map((value) => Buffer.from(value)) },
    { weight: 3, arbitrary: mutatedText(json, { max: 3 }) },
    { weight: 1, arbitrary: hostileBody },
  );
}

/** Bytes no client should send: random bytes, prototype keys, deep nesting, bodies around the 1 MiB limit. */
export const hostileBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 500 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom('', ' ', 'null', '[]', '"x"', '0', '{"__proto__":{"model":"x"},"messages":[]}', '{"constructor":{"prototype":{}},"model":"fuzz-agent","messages":[{"role":"user","content":"hi"}]}').map((value) => Buffer.from(value)),
  fc.record({ depth: fc.integer({ min: 1_000, max: 200_000 }), open: fc.constantFrom('[', '{"a":') }).map(({ depth, open }) => Buffer.from(`{"model":"fuzz-agent","messages":${open.repeat(depth)}${(open === '[' ? ']' : '}').repeat(depth)}}`)),
  fc.integer({ min: 1_000_000, max: 1_100_000 }).map((size) => Buffer.from(JSON.stringify({ model: 'fuzz-agent', messages: [{ role: 'user', content: 'x'.repeat(size) }] }))),
);

/** Headers besides the body: Open WebUI's identity headers with odd values, and content types. */
export const chatHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'content-type': fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, fc.constantFrom('application/json; charset=utf-8', 'application/json; charset=latin1', 'application/merge-patch+json', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', '')),
    'x-openwebui-user-id': fc.string({ unit: 'binary-ascii', maxLength: 30 }),
    'x-openwebui-user-name': fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 30 }), fc.constantFrom('%', '%E0%A4%A', '%FF', 'Ã©', '%00', '%C3%A9')),
    'x-openwebui-chat-id': fc.string({ unit: 'binary-ascii', maxLength: 30 }),
    'x-request-id': fc.string({ unit: 'binary-ascii', maxLength: 140 }),
  },
  { requiredKeys: ['content-type'] },
);

const tokenCount = fc.oneof(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e20, 1e308));
const seedValue = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e20, -1e20));

/** Numeric fields the request schema accepts, some beyond what the model takes (token counts and seeds past int32). */
export const schemaValidNumbers: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    top_p: fc.double({ min: 0, max: 1, noNaN: true }),
    max_tokens: tokenCount,
    max_completion_tokens: tokenCount,
    seed: seedValue,
    presence_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
    frequency_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
  },
  { requiredKeys: [] },
);
