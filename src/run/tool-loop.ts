import type { ConversationItem, FinishReason, ToolActivity, ToolCall, Usage } from '../conversation.ts';
import type { GenerationSettings, ModelClient, ModelEvent } from '../model/model-client.ts';
import type { Tool } from '../toolkit/plugin.ts';
import { executeToolCall, toolDeclarations } from '../toolkit/execute-tool-call.ts';
import { formatToolCallBlock } from '../toolkit/format-tool-call-block.ts';
import { createTurnMeter, type TurnMeter } from './turn.ts';

/** What a loop produced besides the events it yielded. */
export interface LoopOutcome {
  answer: string;
  tools: ToolActivity[];
  finishReason: FinishReason;
  /** Tokens and time waiting on the model, updated after each model event. */
  meter: TurnMeter;
}

export interface LoopInput {
  model: ModelClient;
  modelId: string;
  system: string;
  messages: ConversationItem[];
  tools: Tool[];
  settings: GenerationSettings;
  maxSteps: number;
  /** Longest one tool call may take, in ms (the agent's tool_timeout_ms, or the server default). */
  toolTimeoutMs: number;
  stream: boolean;
  signal: AbortSignal;
}

export type LoopEvent = { type: 'text'; text: string } | { type: 'reasoning'; text: string };

export function emptyOutcome(meter: TurnMeter = createTurnMeter()): LoopOutcome {
  return { answer: '', tools: [], finishReason: 'stop', meter };
}

/**
 * Calls the model, runs the tools it asks for, sends the results back, until it answers in text
 * or `maxSteps` model calls were made (the last call gets no tools, so it must answer).
 * Text and reasoning are yielded as they arrive; each tool call shows as an Open WebUI block.
 */
export async function* runToolLoop(input: LoopInput, outcome: LoopOutcome): AsyncGenerator<LoopEvent> {
  const messages = [...input.messages];
  const declarations = toolDeclarations(input.tools);
  for (let step = 0; step < input.maxSteps; step++) {
    const lastStep = step === input.maxSteps - 1;
    const calls: ToolCall[] = [];
    let stepText = '';
    const request = { model: input.modelId, system: input.system, messages, tools: lastStep ? [] : declarations, settings: input.settings, signal: input.signal };
    const events = input.model.call(request, { stream: input.stream })[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (let next = await nextTimed(events, outcome); !next.done; next = await nextTimed(events, outcome)) {
        const event = next.value;
        if (event.type === 'text') {
          stepText += event.text;
          yield event;
        } else if (event.type === 'reasoning') yield event;
        else if (event.type === 'tool_call') calls.push(event.call);
        else addUsage(outcome, event.usage, event.finishReason);
      }
      finished = true;
    } finally {
      // The consumer stopped early or a step failed: let the model call clean up (cancel upstream).
      if (!finished) await events.return?.();
    }
    outcome.answer += stepText;
    if (calls.length === 0) return;
    messages.push({ role: 'assistant', text: stepText, toolCalls: calls });
    const results = await Promise.all(calls.map((call) => executeToolCall(input.tools, call, { signal: input.signal, timeoutMs: input.toolTimeoutMs })));
    messages.push({ role: 'tool', results });
    for (const [index, result] of results.entries()) {
      const activity = { name: result.name, args: calls[index]!.args, result: result.result, isError: result.isError };
      outcome.tools.push(activity);
      yield { type: 'text', text: formatToolCallBlock(activity) };
    }
  }
}

function addUsage(outcome: LoopOutcome, usage: Usage, finishReason: FinishReason): void {
  const total = outcome.meter.usage;
  total.promptTokens += usage.promptTokens;
  total.completionTokens += usage.completionTokens;
  total.totalTokens += usage.totalTokens;
  if (usage.reasoningTokens) total.reasoningTokens = (total.reasoningTokens ?? 0) + usage.reasoningTokens;
  outcome.finishReason = finishReason === 'tool_calls' ? 'stop' : finishReason;
}

/** The model call's next event; the time spent waiting for it is added to the meter's upstream time. */
async function nextTimed(events: AsyncIterator<ModelEvent>, outcome: LoopOutcome): Promise<IteratorResult<ModelEvent>> {
  const { meter } = outcome;
  const start = performance.now();
  meter.waitingSince = start;
  try {
    return await events.next();
  } finally {
    meter.waitingSince = undefined;
    meter.upstreamMs += performance.now() - start;
  }
}
