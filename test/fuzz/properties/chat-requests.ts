/**
 * Whatever a client sends to /v1/chat/completions, the server answers it: a completion, a stream,
 * or an OpenAI error with a 4xx (or an upstream 5xx) status, never a 500, and it stays up. A
 * second property: every number that reaches Gemini is one Gemini accepts (issue 13 item 16).
 */
import fc from 'fast-check';
import { agentYaml } from '../../e2e/stack.ts';
import { startFakeGemini, type FakeGemini } from '../../fakes/gemini-server.ts';
import { chatBody, chatHeaders, schemaValidNumbers } from '../arbitraries/chat-body.ts';
import { expectNo500, expectServerUp, postChat, withDeathReport, type ChatOutcome } from '../harness/chat-outcome.ts';
import { tally, type FuzzProperty } from '../harness/fuzz-property.ts';
import { startFuzzServer, type FuzzServer } from '../harness/fuzz-server.ts';

export interface ChatInput {
  body: Buffer;
  headers: Record<string, string>;
  /** The client hangs up this many ms after sending (none: it reads the whole answer). */
  abortAfterMs: number | null;
}

interface Context {
  fake: FakeGemini;
  server: FuzzServer;
}

const MODELS = ['fuzz-agent', 'fuzz-tools'];

async function startContext(): Promise<Context> {
  const fake = await startFakeGemini({ apiKey: 'fuzz-gemini-key' });
  const agents = { 'fuzz.yaml': agentYaml('fuzz-agent'), 'tools.yaml': agentYaml('fuzz-tools', 'toolkits:\n  optional: [tracker]\n') };
  const server = await startFuzzServer({ agents, toolkits: ['tracker'], upstreamUrl: fake.url }).catch(async (error: unknown) => {
    await fake.close();
    throw error;
  });
  return { fake, server };
}

async function stopContext(context: Context): Promise<void> {
  await context.server.stop();
  await context.fake.close();
}

export const chatRequestsNever500: FuzzProperty<ChatInput, Context> = {
  name: 'chat-requests',
  claim: 'random and mutated request bodies and headers get a completion, a stream or an OpenAI error, never a 500; the server stays up',
  shortRuns: 40,
  arbitrary: fc.record({ body: chatBody(MODELS), headers: chatHeaders.map(sanitizeHeaders), abortAfterMs: fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, fc.integer({ min: 0, max: 60 })) }),
  start: startContext,
  async check(context, input, counters) {
    await context.server.ensureUp();
    await withDeathReport(context.server, async () => {
      context.fake.requests.length = 0;
      if (input.abortAfterMs === null) {
        const outcome = await postChat(context.server.url, input.body, input.headers);
        tally(counters, String(outcome.status));
        expectNo500(outcome);
        if (outcome.status === 200) expectAnswer(outcome);
      } else {
        tally(counters, 'client hung up');
        await postChat(context.server.url, input.body, input.headers, input.abortAfterMs).catch(() => undefined);
      }
      await expectServerUp(context.server);
    });
  },
  stop: stopContext,
};

/** Numbers within the model's range in a valid request: what reaches Gemini must be within it too. */
export const chatNumbersBounded: FuzzProperty<Record<string, unknown>, Context> = {
  name: 'chat-numeric-bounds',
  claim: 'a numeric request field Gemini cannot take (max_tokens: 1e20, a seed over 2^31) is refused with a 400 naming it, never sent upstream',
  shortRuns: 10,
  arbitrary: schemaValidNumbers,
  start: startContext,
  async check(context, fields) {
    await context.server.ensureUp();
    context.fake.requests.length = 0;
    const body = JSON.stringify({ model: 'fuzz-agent', messages: [{ role: 'user', content: 'numbers' }], ...fields });
    const outcome = await postChat(context.server.url, body);
    expectNo500(outcome);
    for (const request of context.fake.requests) expectGeminiNumbers(request.body.generationConfig ?? {});
  },
  stop: stopContext,
};

/** Gemini's own limits: int32 token counts and seeds, temperature 0 to 2, topP 0 to 1, penalties -2 to 2. */
function expectGeminiNumbers(config: Record<string, unknown>): void {
  const int32 = (value: number): boolean => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31;
  const checks: Record<string, (value: number) => boolean> = {
    maxOutputTokens: (value) => int32(value) && value >= 1,
    seed: int32,
    temperature: (value) => value >= 0 && value <= 2,
    topP: (value) => value >= 0 && value <= 1,
    presencePenalty: (value) => value >= -2 && value <= 2,
    frequencyPenalty: (value) => value >= -2 && value <= 2,
  };
  for (const [field, accepts] of Object.entries(checks)) {
    const value = config[field];
    if (value !== undefined && (typeof value !== 'number' || !accepts(value))) throw new Error(`Gemini was sent generationConfig.${field} = ${JSON.stringify(value)}, out of its range`);
  }
}

/** A 200 is a whole completion, or a stream that ends with [DONE]. */
function expectAnswer(outcome: ChatOutcome): void {
  if (outcome.contentType.startsWith('text/event-stream')) {
    if (!outcome.text.trimEnd().endsWith('data: [DONE]')) throw new Error(`a 200 stream did not end with [DONE]:\n${outcome.text.slice(-400)}`);
    return;
  }
  const body = JSON.parse(outcome.text) as { object?: string; choices?: { message?: { content?: unknown } }[] };
  if (body.object !== 'chat.completion' || typeof body.choices?.[0]?.message?.content !== 'string') throw new Error(`a 200 that is no completion: ${outcome.text.slice(0, 300)}`);
}

/** fetch refuses header values with control characters (so would any HTTP client): those become spaces. */
function sanitizeHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, ' ')]));
}
