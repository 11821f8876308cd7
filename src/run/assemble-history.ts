import type { ConversationItem, StoredRun } from '../conversation.ts';

/**
 * What the model sees of the conversation. A client that sends the whole conversation (Open
 * WebUI does) is taken as given, cut to the agent's `history.runs`; a client that sends only its
 * newest message gets the session's stored runs put before it.
 */
export function assembleConversation(input: {
  messages: readonly ConversationItem[];
  storedRuns: readonly StoredRun[];
  historyRuns: number;
}): ConversationItem[] {
  const { messages, storedRuns, historyRuns } = input;
  const sentHistory = messages.length > 1;
  const earlier = sentHistory ? messages.slice(0, -1) : storedRuns.flatMap(runToItems);
  const latest = messages.slice(-1);
  return [...keepLastRuns(earlier.map(cleanItem), historyRuns), ...latest];
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
