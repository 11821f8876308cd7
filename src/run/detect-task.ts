import type { ConversationItem } from '../conversation.ts';

/**
 * Open WebUI sends its background tasks (chat title, tags, follow-up suggestions, search queries,
 * autocomplete) to the selected model as ordinary requests whose prompt starts with `### Task:`.
 * They are answered without tools, credential prompts or history, and never stored.
 */
const TASK_PREFIX = /^\s*### Task:/;

/** A task by its prompt, or by Open WebUI's `X-OpenWebUI-Task: {{TASK}}` header when the admin set it (empty on chat requests). */
export function isBackgroundTask(messages: readonly ConversationItem[], taskHeader?: string): boolean {
  if (taskHeader) return true;
  const last = messages.at(-1);
  return last?.role === 'user' && TASK_PREFIX.test(last.text);
}
