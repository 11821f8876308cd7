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

/** Added to the system instruction of the last model call, which may not call tools. */
export const LAST_STEP_INSTRUCTION =
  'You have used all the tool calls allowed for this answer. Do not call any tool now: answer the user with what you have, and say what you could not look up.';

/**
 * Calls the model, runs the tools it asks for, sends the results back, until it answers in text
 * or `maxSteps` model calls were made. The last call declares the tools with function calling off
 * (Gemini's mode NONE) and an instruction to answer with what it has; a tool call it returns anyway
 * is not run, and when it gives no text a note says the turn stopped after the tool steps.
 * Text and reasoning are yielded as they arrive; each tool call shows as an Open WebUI block.
 */
export async function* runToolLoop(input: LoopInput, outcome: LoopOutcome): AsyncGenerator<LoopEvent> {
  const messages = [...input.messages];
  const declarations = toolDeclarations(input.tools);
  for (let step = 0; step < input.maxSteps; step++) {
    const lastStep = step === input.maxSteps - 1;
    const calls: ToolCall[] = [];
    let stepText = '';
    const system = lastStep && declarations.length > 0 ? `${input.system}\n\n${LAST_STEP_INSTRUCTION}` : input.system;
    const request = { model: input.modelId, system, messages, tools: declarations, toolChoice: lastStep ? ('none' as const) : ('auto' as const), settings: input.settings, signal: input.signal };
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
    if (lastStep && step > 0 && stepText.trim() === '') {
      yield* stopNote(outcome, step);
      return;
    }
    if (calls.length === 0 || lastStep) return;
    messages.push({ role: 'assistant', text: stepText, toolCalls: calls });
    const results = await Promise.all(calls.map((call) => executeToolCall(input.tools, call, { signal: input.signal, timeoutMs: input.toolTimeoutMs })));
    messages.push({ role: 'tool', results });
    for (const [index, result] of results.entries()) {
      const activity = { name: result.name, args: calls[index]!.args, result: result.result, isError: result.isError };
      outcome.tools.push(activity);
      // The block's id is the model's call id when it gave one (Open WebUI keys blocks by it).
      yield { type: 'text', text: formatToolCallBlock(activity, { id: calls[index]!.id || undefined }) };
    }
  }
}

/** The last call still asked for tools and said nothing: the user reads why the turn ended. */
function* stopNote(outcome: LoopOutcome, toolSteps: number): Generator<LoopEvent> {
  const note = `${outcome.answer.trim() === '' && outcome.tools.length === 0 ? '' : '\n\n'}(stopped after ${toolSteps} tool step${toolSteps === 1 ? '' : 's'}: the agent's max_steps was reached before it answered)`;
  outcome.answer += note;
  yield { type: 'text', text: note };
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
