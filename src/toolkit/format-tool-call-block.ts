import { randomUUID } from 'node:crypto';
import type { ToolActivity } from '../conversation.ts';

export const DEFAULT_BLOCK_RESULT_CHARS = 2_000;

export interface ToolCallBlockOptions {
  /** Characters of the result text shown (default 2,000); the rest is cut with a note. */
  maxResultChars?: number;
  /** The block's id attribute (default: a random call id). */
  id?: string;
}

/**
 * The collapsible block Open WebUI renders for a finished tool call ("View Result from **name**"),
 * in the exact form its own middleware writes (backend/open_webui/utils/middleware.py):
 *
 *   <details type="tool_calls" done="true" id="…" name="…" arguments="…" result="…" files="">
 *   <summary>Tool Executed</summary>
 *   </details>
 *
 * `arguments` and `result` hold a JSON-encoded string (the arguments' JSON, the result's text),
 * HTML-escaped like Python's html.escape; Open WebUI decodes and JSON-parses them for display.
 */
export function formatToolCallBlock(activity: ToolActivity, options: ToolCallBlockOptions = {}): string {
  const id = options.id ?? `call_${randomUUID().replaceAll('-', '')}`;
  const args = escapeHtml(toAsciiJson(JSON.stringify(JSON.stringify(activity.args ?? {}))));
  const resultText = truncateText(resultToText(activity.result), options.maxResultChars ?? DEFAULT_BLOCK_RESULT_CHARS);
  const result = escapeHtml(JSON.stringify(resultText));
  return (
    `<details type="tool_calls" done="true" id="${escapeHtml(id)}" name="${escapeHtml(activity.name)}" arguments="${args}" result="${result}" files="">\n` +
    `<summary>Tool Executed</summary>\n</details>\n`
  );
}

/** Python's html.escape(text, quote=True). */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#x27;');
}

function resultToText(result: unknown): string {
  if (typeof result === 'string') return result;
  try {
    return JSON.stringify(result) ?? String(result);
  } catch {
    return String(result);
  }
}

function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const end = /[\ud800-\udbff]/.test(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
  return `${text.slice(0, end)}… (${text.length - end} more characters not shown)`;
}

/** Like Python's json.dumps default (ensure_ascii): non-ASCII as \uXXXX escapes. */
function toAsciiJson(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
