/**
 * The internal shape of a conversation, shared by every room: openai/ converts wire messages into
 * it, run/ builds turns from it, model/ converts it to Gemini contents, store/ persists runs of it.
 */

/** Who is talking, from request metadata, Open WebUI headers or the body's `user` field. */
export interface UserInfo {
  id: string;
  name?: string;
  email?: string;
  role?: string;
}

/** A function call the model asked for. `signature` is Gemini's opaque thought signature, sent back as is. */
export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
  signature?: string;
}

/** What a tool returned (or the error it raised: tool errors are values, not exceptions). */
export interface ToolResult {
  id: string;
  name: string;
  result: unknown;
  isError: boolean;
}

export type ConversationItem =
  | { role: 'user'; text: string }
  | { role: 'assistant'; text: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; results: ToolResult[] };

/** One tool call of a run, as stored in the session history. */
export interface ToolActivity {
  name: string;
  args: Record<string, unknown>;
  result: unknown;
  isError: boolean;
}

/** One run: a user message, the agent's answer, and the tool activity between them. */
export interface StoredRun {
  at: string;
  /**
   * Which turn of the conversation it answers: the number of user messages up to its question, as
   * the client sent them. Set when the client sends the whole conversation, so that a regenerated or
   * edited turn replaces the runs from there on (absent for clients that send only their newest message).
   */
  turn?: number;
  user: string;
  answer: string;
  tools: ToolActivity[];
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  reasoningTokens?: number;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls';
