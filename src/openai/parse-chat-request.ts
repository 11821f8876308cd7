import type { ConversationItem } from '../conversation.ts';
import { invalidRequest } from '../errors.ts';
import type { GenerationSettings } from '../model/model-client.ts';
import type { ChatCompletionRequest, Message } from './chat-completion-request.generated.ts';
import { contentText, convertMessages } from './convert-messages.ts';
import { validateChatRequest } from './validate-chat-request.ts';

/** A validated chat completion request in internal terms. */
export interface ParsedChatRequest {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  /** System and developer messages, in order. */
  system: string[];
  messages: ConversationItem[];
  settings: GenerationSettings;
  /** Body `metadata` (session_id / chat_id / user_id are read by server/ identity). */
  metadata: Record<string, string>;
  /** Body `user`. */
  user?: string;
}

/** Validates and converts a chat completion body; throws a 400 AgentLLMError naming the bad parameter. */
export function parseChatRequest(body: unknown): ParsedChatRequest {
  const request = validateChatRequest(body);
  rejectUnsupported(request);
  const { system, items } = convertMessages(request.messages);
  if (items.length === 0) {
    throw invalidRequest('messages must contain at least one message that is not a system message', 'messages');
  }
  checkLastMessage(request.messages);
  const stream = request.stream === true;
  return {
    model: request.model,
    stream,
    includeUsage: stream && request.stream_options?.include_usage === true,
    system,
    messages: items,
    settings: toSettings(request),
    metadata: request.metadata ?? {},
    ...(typeof request.user === 'string' && request.user !== '' ? { user: request.user } : {}),
  };
}

/** Parameters we cannot honour are refused rather than silently ignored. */
function rejectUnsupported(request: ChatCompletionRequest): void {
  if (request.n != null && request.n !== 1) {
    throw invalidRequest('n must be 1: only one choice per request is supported', 'n', 'unsupported_parameter');
  }
  rejectClientTools(request);
  if (request.logprobs === true) {
    throw invalidRequest('logprobs is not supported: log probabilities are not available for agents.', 'logprobs', 'unsupported_parameter');
  }
  if (request.stream_options != null && request.stream !== true) {
    throw invalidRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options');
  }
}

/** An agent's tools are its toolkits': client tools (and the legacy functions) are refused. */
function rejectClientTools(request: ChatCompletionRequest): void {
  for (const param of ['tools', 'functions'] as const) {
    if ((request[param]?.length ?? 0) > 0) {
      throw invalidRequest(
        `${param} is not supported: an agent's tools come from the toolkits listed in its YAML file. Send no ${param} (or an empty list).`,
        param,
        'unsupported_parameter',
      );
    }
  }
  for (const param of ['tool_choice', 'function_call'] as const) {
    const choice = request[param];
    if (choice != null && choice !== 'none' && choice !== 'auto') {
      throw invalidRequest(
        `${param} must be none or auto: an agent decides itself when to call the tools of its toolkits.`,
        param,
        'unsupported_parameter',
      );
    }
  }
}

/**
 * The turn answers the last user message, which must have text: an empty one would reach Gemini as
 * no question at all (or, after earlier turns, re-ask the previous one). After it may come one
 * assistant message, a partial answer to continue ("Continue response" in Open WebUI). A client's
 * own tool calls and results cannot continue a turn: an agent runs its own tools.
 */
function checkLastMessage(messages: Message[]): void {
  const index = messages.findLastIndex((message) => message.role !== 'system' && message.role !== 'developer');
  const last = messages[index]!;
  const param = `messages[${index}]`;
  if (last.role === 'assistant' && !(last.tool_calls?.length ?? 0)) return checkContinued(messages, index);
  if (last.role !== 'user') {
    throw invalidRequest(
      `the conversation must end with a user message (or an assistant answer to continue), but ${param} has role ${last.role} (an agent runs its own tools: tool calls and results sent by the client cannot continue a turn)`,
      `${param}.role`,
    );
  }
  if (contentText(last.content, param).trim() === '') {
    throw invalidRequest(`${param}.content is empty: the last user message must contain text`, `${param}.content`);
  }
}

/** A partial answer to continue must follow the user message it answers. */
function checkContinued(messages: Message[], index: number): void {
  const before = messages.slice(0, index).findLastIndex((message) => message.role !== 'system' && message.role !== 'developer');
  if (before >= 0 && messages[before]!.role === 'user') return checkLastMessage(messages.slice(0, index));
  throw invalidRequest(
    `messages[${index}] is an assistant answer to continue, so it must follow a user message`,
    `messages[${index}].role`,
  );
}

/** Per-request overrides; max_completion_tokens wins over max_tokens, a stop string becomes a list. */
export function toSettings(request: ChatCompletionRequest): GenerationSettings {
  const settings: GenerationSettings = {};
  if (request.temperature != null) settings.temperature = request.temperature;
  if (request.top_p != null) settings.topP = request.top_p;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) settings.maxTokens = maxTokens;
  if (request.stop != null) settings.stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (request.seed != null) settings.seed = request.seed;
  if (request.presence_penalty != null) settings.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty != null) settings.frequencyPenalty = request.frequency_penalty;
  const responseFormat = toResponseFormat(request.response_format);
  if (responseFormat) settings.responseFormat = responseFormat;
  return settings;
}

/** json_object -> JSON; json_schema -> JSON matching its schema; text (or none) -> plain text. */
function toResponseFormat(format: ChatCompletionRequest['response_format']): GenerationSettings['responseFormat'] {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_schema' && !format.json_schema) {
    throw invalidRequest("Missing required parameter: 'response_format.json_schema'.", 'response_format.json_schema');
  }
  const schema = format.type === 'json_schema' ? format.json_schema?.schema : undefined;
  return schema ? { type: 'json', schema } : { type: 'json' };
}
