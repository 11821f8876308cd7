/**
 * The Gemini ModelClient over @google/genai: one GoogleGenAI instance, our own bounded retries
 * (the SDK retries only when given httpOptions.retryOptions, which we never set), events yielded
 * as each upstream chunk arrives.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GoogleGenAI, type GenerateContentParameters } from '@google/genai';
import { AgentLLMError } from '../errors.ts';
import { createResponseState, toDoneEvent, toModelEvents } from './from-gemini-response.ts';
import { classifyFailure, createAbortError, toAgentLLMError, type UpstreamFailure } from './gemini-errors.ts';
import type { GeminiClientOptions } from './gemini-options.ts';
import type { ModelClient, ModelEvent, ModelRequest } from './model-client.ts';
import { resolveRetryPolicy, retryDelayMs, type RetryPolicy } from './retry-policy.ts';
import { toGenerateContentParameters } from './to-gemini-request.ts';

export const DEFAULT_TIMEOUT_MS = 300_000;

interface CallContext {
  ai: GoogleGenAI;
  request: ModelRequest;
  params: GenerateContentParameters;
  stream: boolean;
  policy: RetryPolicy;
  timeoutMs: number;
}

/** What one attempt got to: retries are allowed only while nothing was yielded. */
interface AttemptProgress {
  yielded: boolean;
  timedOut: boolean;
}

export function createGeminiClient(options: GeminiClientOptions = {}): ModelClient {
  const policy = resolveRetryPolicy(options.retry);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new TypeError(`Gemini client option timeoutMs must be a positive integer, got ${timeoutMs}`);
  const ai = options.apiKey ? createSdk(options.apiKey, options.baseUrl) : undefined;
  return {
    call(request, { stream }) {
      if (!ai) return failMissingKey();
      const params = toGenerateContentParameters(request);
      return callWithRetries({ ai, request, params, stream, policy, timeoutMs });
    },
  };
}

function createSdk(apiKey: string, baseUrl: string | undefined): GoogleGenAI {
  return new GoogleGenAI({ apiKey, ...(baseUrl ? { httpOptions: { baseUrl } } : {}) });
}

// eslint-disable-next-line require-yield
async function* failMissingKey(): AsyncGenerator<ModelEvent> {
  throw new AgentLLMError('No Gemini API key is configured: set GEMINI_API_KEY (or GOOGLE_API_KEY) in the environment of the server.', {
    status: 503, type: 'service_unavailable', code: 'missing_api_key',
  });
}

async function* callWithRetries(context: CallContext): AsyncGenerator<ModelEvent> {
  const { request, policy } = context;
  for (let attempt = 1; ; attempt++) {
    if (request.signal?.aborted) throw createAbortError();
    const progress: AttemptProgress = { yielded: false, timedOut: false };
    try {
      yield* runAttempt(context, progress);
      return;
    } catch (error) {
      if (request.signal?.aborted) throw createAbortError();
      if (error instanceof AgentLLMError) throw error;
      const failure = progress.timedOut ? timeoutFailure(context.timeoutMs) : classifyFailure(error);
      if (progress.yielded || !failure.retryable || attempt >= policy.attempts) throw toAgentLLMError(failure, error);
      await waitBeforeRetry(retryDelayMs(policy, attempt, failure.retryAfterMs), request.signal);
    }
  }
}

async function* runAttempt(context: CallContext, progress: AttemptProgress): AsyncGenerator<ModelEvent> {
  const controller = new AbortController();
  // A bound method, not a named arrow: tsx (esbuild keepNames) re-names named closures on every call.
  const abort = controller.abort.bind(controller, undefined);
  const signal = context.request.signal;
  signal?.addEventListener('abort', abort, { once: true });
  let suspended = false;
  const timer = setTimeout(() => {
    if (suspended) return void timer.refresh();
    progress.timedOut = true;
    controller.abort();
  }, context.timeoutMs);
  const state = createResponseState();
  let answered = false;
  try {
    const params = { ...context.params, config: { ...context.params.config, abortSignal: controller.signal } };
    const responses = context.stream ? await context.ai.models.generateContentStream(params) : [await context.ai.models.generateContent(params)];
    for await (const response of responses) {
      for (const event of toModelEvents(response, state)) {
        progress.yielded = true;
        suspended = true;
        yield event;
        suspended = false;
      }
      timer.refresh();
    }
    answered = true;
    suspended = true;
    yield toDoneEvent(state);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
    // Cancels the upstream call when it failed or the consumer stopped early. After a complete
    // answer there is nothing to cancel, and an abort would cost a DOMException (with its stack)
    // plus the SDK's and undici's abort listeners on every request.
    if (!answered) controller.abort();
  }
}

async function waitBeforeRetry(delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(delayMs, undefined, signal ? { signal } : undefined);
  } catch {
    throw createAbortError();
  }
}

function timeoutFailure(timeoutMs: number): UpstreamFailure {
  return { kind: 'timeout', status: 0, message: `no response within ${timeoutMs} ms`, retryable: false, keyRejected: false };
}
