import type { ConversationItem } from '../conversation.ts';

/**
 * Open WebUI sends its background tasks (chat title, tags, follow-up suggestions, search queries,
 * autocomplete) to the selected model as ordinary requests whose prompt starts with `### Task:`.
 * They are answered without tools, credential prompts or history, and never stored.
 */
const TASK_PREFIX = /^\s*### Task:/;

export function isBackgroundTask(messages: readonly ConversationItem[]): boolean {
  const last = messages.at(-1);
  return last?.role === 'user' && TASK_PREFIX.test(last.text);
}
