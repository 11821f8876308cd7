import type { ConversationItem, StoredRun } from '../conversation.ts';

/**
 * Sent after a partial answer the client asks to continue ("Continue response"): every Gemini
 * model accepts a conversation that ends with a user turn (some refuse one ending with the model's).
 */
export const CONTINUE_INSTRUCTION = 'Continue your previous answer exactly where it stopped: no preamble, and do not repeat anything you already wrote.';

/**
 * What the model sees of the conversation. A client that sends the whole conversation (Open
 * WebUI does, with its chat header even for the first message) is taken as given, cut to the
 * agent's `history.runs`; a client that sends only its newest message gets the session's stored
 * runs put before it. `latest` is the question (and, to continue, the partial answer and the
 * instruction to go on).
 */
export function assembleConversation(input: {
  earlier: readonly ConversationItem[];
  latest: readonly ConversationItem[];
  wholeConversation: boolean;
  storedRuns: readonly StoredRun[];
  historyRuns: number;
}): ConversationItem[] {
  const earlier = input.wholeConversation ? input.earlier : input.storedRuns.flatMap(runToItems);
  return [...keepLastRuns(earlier.map(cleanItem), input.historyRuns), ...input.latest.map(cleanItem)];
}

/** The question, and the partial answer after it when the client asks to continue that answer. */
export interface SplitTurn {
  earlier: ConversationItem[];
  question: string;
  partial?: string;
}

/** Splits a conversation at its last user message; undefined when it has none. */
export function splitTurn(messages: readonly ConversationItem[]): SplitTurn | undefined {
  const index = messages.findLastIndex((item) => item.role === 'user');
  const asked = messages[index];
  if (asked?.role !== 'user') return undefined;
  const after = messages.slice(index + 1);
  const partial = after.length === 1 && after[0]!.role === 'assistant' && !after[0]!.toolCalls?.length ? after[0]!.text : undefined;
  if (after.length > 0 && partial === undefined) return undefined;
  const split: SplitTurn = { earlier: messages.slice(0, index), question: asked.text };
  if (partial?.trim()) split.partial = partial;
  return split;
}

/** Keeps the last `runs` runs, a run starting at a user message. */
export function keepLastRuns(items: readonly ConversationItem[], runs: number): ConversationItem[] {
  if (runs <= 0) return [];
  let seen = 0;
  for (let i = items.length - 1; i >= 0; i--) {
    if (items[i]!.role === 'user' && ++seen === runs) return items.slice(i);
  }
  return [...items];
}

function runToItems(run: StoredRun): ConversationItem[] {
  return [
    { role: 'user', text: run.user },
    { role: 'assistant', text: withToolNote(run) },
  ];
}

function withToolNote(run: StoredRun): string {
  if (run.tools.length === 0) return run.answer;
  const names = [...new Set(run.tools.map((tool) => tool.name))].join(', ');
  return `(tools used: ${names})\n${run.answer}`;
}

const TOOL_BLOCK = /<details type="tool_calls"[^>]*>[\s\S]*?<\/details>\s*/g;
const ATTRIBUTE_NAME = /name="([^"]*)"/;

/** Open WebUI sends our tool-call blocks back in assistant messages: replace each by a short note. */
function cleanItem(item: ConversationItem): ConversationItem {
  if (item.role !== 'assistant' || !item.text.includes('<details type="tool_calls"')) return item;
  const text = item.text.replace(TOOL_BLOCK, (block) => `(used tool ${ATTRIBUTE_NAME.exec(block)?.[1] ?? 'unknown'})\n`);
  return { ...item, text };
}
