import type { ConversationItem, ToolCall, ToolResult } from '../conversation.ts';
import { invalidRequest } from '../errors.ts';
import type { ContentPart, Message, ToolCall as WireToolCall } from './chat-completion-request.generated.ts';

/** Wire messages -> system texts (system and developer, in order) + the internal conversation. */
export function convertMessages(messages: Message[]): { system: string[]; items: ConversationItem[] } {
  const system: string[] = [];
  const items: ConversationItem[] = [];
  const toolNames = new Map<string, string>();
  messages.forEach((message, index) => {
    const param = `messages[${index}]`;
    if (message.role === 'system' || message.role === 'developer') {
      system.push(contentText(message.content, param));
    } else if (message.role === 'user') {
      items.push({ role: 'user', text: contentText(message.content, param) });
    } else if (message.role === 'assistant') {
      items.push(convertAssistant(message, param, toolNames));
    } else {
      appendToolResult(items, toToolResult(message, param, toolNames));
    }
  });
  return { system, items };
}

function convertAssistant(message: Message, param: string, toolNames: Map<string, string>): ConversationItem {
  const text = contentText(message.content, param);
  const calls = (message.tool_calls ?? []).map((call, index) => toToolCall(call, `${param}.tool_calls[${index}]`));
  for (const call of calls) toolNames.set(call.id, call.name);
  return calls.length > 0 ? { role: 'assistant', text, toolCalls: calls } : { role: 'assistant', text };
}

function toToolCall(call: WireToolCall, param: string): ToolCall {
  return { id: call.id, name: call.function.name, args: parseArguments(call.function.arguments, `${param}.function.arguments`) };
}

function parseArguments(raw: string | undefined, param: string): Record<string, unknown> {
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidRequest(`${param} must be a JSON-encoded object`, param);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidRequest(`${param} must be a JSON-encoded object`, param);
  }
  return parsed as Record<string, unknown>;
}

function toToolResult(message: Message, param: string, toolNames: Map<string, string>): ToolResult {
  const text = contentText(message.content, param);
  const id = message.role === 'function' ? (message.name ?? '') : (message.tool_call_id ?? '');
  if (!id) {
    const field = message.role === 'function' ? 'name' : 'tool_call_id';
    throw invalidRequest(`${param}.${field} is required for role ${message.role}`, `${param}.${field}`);
  }
  const name = toolNames.get(id) ?? message.name ?? id;
  return { id, name, result: parseResult(text), isError: false };
}

function parseResult(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Consecutive tool messages answer one assistant turn: they become one tool item. */
function appendToolResult(items: ConversationItem[], result: ToolResult): void {
  const last = items.at(-1);
  if (last?.role === 'tool') last.results.push(result);
  else items.push({ role: 'tool', results: [result] });
}

/** A message's text: a string as is, text parts joined by newlines; images and other media are rejected. */
export function contentText(content: Message['content'], param: string): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return content.map((part, index) => partText(part, `${param}.content[${index}]`)).join('\n');
}

function partText(part: ContentPart, param: string): string {
  if (part.type === 'text') {
    if (typeof part.text !== 'string') throw invalidRequest(`${param}.text must be a string`, `${param}.text`);
    return part.text;
  }
  if (part.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
  if (part.type === 'image_url' || part.type === 'input_image' || part.type === 'image') {
    throw invalidRequest('image input is not supported yet', param, 'unsupported_content');
  }
  throw invalidRequest(`content part type '${part.type}' is not supported; send text parts`, `${param}.type`, 'unsupported_content');
}
