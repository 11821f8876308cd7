import type { ConversationItem, FinishReason, ToolCall, Usage } from '../conversation.ts';

/** A tool the model may call: JSON-Schema parameters, as the toolkit declared them. */
export interface ToolDeclaration {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface GenerationSettings {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  thinking?: { budget?: number; includeThoughts?: boolean };
  /** Answer in JSON; matching `schema` (a JSON Schema) when given. */
  responseFormat?: { type: 'json'; schema?: Record<string, unknown> };
}

export interface ModelRequest {
  /** Provider model id, e.g. gemini-2.5-flash. */
  model: string;
  system: string;
  messages: ConversationItem[];
  tools: ToolDeclaration[];
  /** 'none': the tools are declared (the history may hold their calls) but the model must answer in text. */
  toolChoice?: 'auto' | 'none';
  settings: GenerationSettings;
  signal?: AbortSignal;
}

/** What one model call produces, as events in arrival order (a non-streaming call yields them all at once). */
export type ModelEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool_call'; call: ToolCall }
  | { type: 'done'; finishReason: FinishReason; usage: Usage };

export interface ModelClient {
  /**
   * One call to the model. `stream: true` uses the provider's streaming endpoint and yields each
   * upstream chunk as it arrives; `false` makes one request and yields its events.
   * Throws AgentLLMError (429, 502, 503) after bounded retries; nothing is yielded before a retry.
   */
  call(request: ModelRequest, options: { stream: boolean }): AsyncIterable<ModelEvent>;
}
