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
import { DEFAULT_TIMEOUT_MS, type GeminiClientOptions } from './gemini-options.ts';
import type { ModelClient, ModelEvent, ModelRequest } from './model-client.ts';
import { hintExceedsBackoff, resolveRetryPolicy, retryDelayMs, type RetryPolicy } from './retry-policy.ts';
import { createNodeTransport, installTransport } from './sdk-transport.ts';
import { toGenerateContentParameters } from './to-gemini-request.ts';

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
  const ai = options.apiKey ? createSdk(options) : undefined;
  return {
    call(request, { stream }) {
      if (!ai) return failMissingKey();
      const params = toGenerateContentParameters(request);
      return callWithRetries({ ai, request, params, stream, policy, timeoutMs });
    },
  };
}

function createSdk({ apiKey, baseUrl, transport = 'node' }: GeminiClientOptions): GoogleGenAI {
  const ai = new GoogleGenAI({ apiKey, ...(baseUrl ? { httpOptions: { baseUrl } } : {}) });
  if (transport === 'node' && !installTransport(ai, createNodeTransport())) {
    process.emitWarning('This @google/genai version has no apiClient.apiCall: Gemini calls go through the SDK\'s own fetch (slower).', { code: 'AgentLLMSdkTransport' });
  }
  return ai;
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
      // Non-streaming: one awaited call, no generator layer of its own; nothing is yielded before
      // the whole answer is in, so a failure is always retryable by the rules below.
      if (context.stream) yield* streamAttempt(context, progress);
      else yield* await unaryAttempt(context, progress);
      return;
    } catch (error) {
      if (request.signal?.aborted) throw createAbortError();
      if (error instanceof AgentLLMError) throw error;
      const failure = progress.timedOut ? timeoutFailure(context.timeoutMs) : classifyFailure(error);
      // Neither an HTTP nor a network failure: a bug on our side (or the SDK's own local checks),
      // not Gemini's. Thrown as is, it becomes a 500 internal_error logged with its stack.
      if (failure.kind === 'unknown') throw error;
      if (progress.yielded) throw toAgentLLMError({ ...failure, interrupted: true }, error);
      if (!failure.retryable || attempt >= policy.attempts || hintExceedsBackoff(policy, failure.retryAfterMs)) {
        throw toAgentLLMError(failure, error);
      }
      await waitBeforeRetry(retryDelayMs(policy, attempt, failure.retryAfterMs), request.signal);
    }
  }
}

/** generateContent: every event of the answer, `done` last. */
async function unaryAttempt(context: CallContext, progress: AttemptProgress): Promise<ModelEvent[]> {
  const guard = new AttemptGuard(context, progress);
  try {
    const state = createResponseState();
    const events = toModelEvents(await context.ai.models.generateContent(guard.params), state);
    events.push(toDoneEvent(state));
    guard.answered = true;
    return events;
  } finally {
    guard.dispose();
  }
}

/** generateContentStream: events yielded as each chunk arrives. The timeout waits while the consumer is busy. */
async function* streamAttempt(context: CallContext, progress: AttemptProgress): AsyncGenerator<ModelEvent> {
  const guard = new AttemptGuard(context, progress);
  const state = createResponseState();
  try {
    for await (const response of await context.ai.models.generateContentStream(guard.params)) {
      for (const event of toModelEvents(response, state)) {
        progress.yielded = true;
        guard.suspended = true;
        yield event;
        guard.suspended = false;
      }
      guard.timer.refresh();
    }
    guard.answered = true;
    guard.suspended = true;
    yield toDoneEvent(state);
  } finally {
    guard.dispose();
  }
}

/**
 * One upstream call's cancellation: the caller's signal, the timeout (no response within
 * timeoutMs, not counting time spent suspended in the consumer), and an abort when the call
 * ends unanswered. A class, and the caller's signal listens to it via handleEvent: tsx (esbuild
 * keepNames) re-names named closures on every call.
 */
class AttemptGuard {
  readonly controller = new AbortController();
  readonly params: GenerateContentParameters;
  readonly timer: NodeJS.Timeout;
  /** Set while an event is with the consumer: the timeout waits. */
  suspended = false;
  answered = false;
  readonly #signal: AbortSignal | undefined;

  constructor(context: CallContext, progress: AttemptProgress) {
    this.#signal = context.request.signal;
    this.#signal?.addEventListener('abort', this, { once: true });
    this.params = { ...context.params, config: { ...context.params.config, abortSignal: this.controller.signal } };
    this.timer = setTimeout(() => {
      if (this.suspended) return void this.timer.refresh();
      progress.timedOut = true;
      this.controller.abort();
    }, context.timeoutMs);
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.controller.abort();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.#signal?.removeEventListener('abort', this);
    // Cancels the upstream call when it failed or the consumer stopped early. After a complete
    // answer there is nothing to cancel, and an abort would cost a DOMException (with its stack)
    // plus the SDK's and undici's abort listeners on every request.
    if (!this.answered) this.controller.abort();
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
