/* Generated from schemas/chat-completion-request.schema.json by `npm run gen:types`. Do not edit by hand. */

/**
 * The body of POST /v1/chat/completions, as OpenAI-compatible clients send it. Known fields are strictly typed; other fields clients send (parallel_tool_calls, reasoning_effort, ...) are accepted and ignored.
 */
export interface ChatCompletionRequest {
  /**
   * The agent to talk to: its name, as listed by GET /v1/models.
   */
  model: string;
  /**
   * The conversation so far, oldest first.
   *
   * @minItems 1
   */
  messages: Message[];
  /**
   * Send the answer as server-sent events (chat.completion.chunk objects) while it is generated.
   */
  stream?: boolean | null;
  /**
   * Options of a streamed response; only allowed with stream: true (a 400 otherwise, as OpenAI answers).
   */
  stream_options?: {
    /**
     * Send one more chunk before [DONE] with the token usage of the whole request and an empty choices array.
     */
    include_usage?: boolean | null;
    [k: string]: unknown;
  } | null;
  /**
   * Sampling temperature, 0 to 2. Overrides the agent's setting.
   */
  temperature?: number | null;
  /**
   * Nucleus sampling probability mass, 0 to 1. Overrides the agent's setting.
   */
  top_p?: number | null;
  /**
   * Deprecated alias of max_completion_tokens. At most 65536, the largest answer a Gemini model gives.
   */
  max_tokens?: number | null;
  /**
   * Upper bound of generated tokens (wins over max_tokens). At most 65536, the largest answer a Gemini model gives.
   */
  max_completion_tokens?: number | null;
  /**
   * Up to 4 sequences where the model stops generating.
   */
  stop?: string | string[] | null;
  /**
   * How many choices to generate. Only 1 is supported.
   */
  n?: number | null;
  /**
   * Seed for best-effort deterministic sampling. A 32-bit integer, as Gemini takes it.
   */
  seed?: number | null;
  /**
   * Penalty for tokens already present, -2 to 2.
   */
  presence_penalty?: number | null;
  /**
   * Penalty proportional to token frequency, -2 to 2.
   */
  frequency_penalty?: number | null;
  /**
   * A stable identifier of the end user (used as the user id when neither metadata nor Open WebUI headers name one).
   */
  user?: string | null;
  /**
   * The shape of the answer: text (default), json_object (any JSON object) or json_schema (JSON matching json_schema.schema). Sent to Gemini as responseMimeType application/json (and responseJsonSchema).
   */
  response_format?: {
    /**
     * text, json_object or json_schema.
     */
    type: 'text' | 'json_object' | 'json_schema';
    /**
     * For type json_schema: the schema the answer must match.
     */
    json_schema?: {
      /**
       * The schema's name (not sent to Gemini).
       */
      name?: string;
      /**
       * What the answer is for (not sent to Gemini).
       */
      description?: string;
      /**
       * A JSON Schema object; Gemini supports a subset (type, properties, required, items, enum, anyOf, $ref/$defs, ...).
       */
      schema?: {
        [k: string]: unknown;
      };
      /**
       * Accepted; Gemini always follows the schema.
       */
      strict?: boolean | null;
      [k: string]: unknown;
    };
    [k: string]: unknown;
  } | null;
  /**
   * Not supported: an agent's tools come from the toolkits of its YAML file. Only an empty list is accepted (the same as none).
   */
  tools?:
    | {
        [k: string]: unknown;
      }[]
    | null;
  /**
   * Only none and auto are accepted (the agent decides when to use its own tools); required or a named function is rejected.
   */
  tool_choice?: string | {} | null;
  /**
   * Deprecated predecessor of tools, not supported either: only an empty list is accepted (the same as none).
   */
  functions?:
    | {
        [k: string]: unknown;
      }[]
    | null;
  /**
   * Deprecated predecessor of tool_choice: only none and auto are accepted.
   */
  function_call?: string | {} | null;
  /**
   * Not supported: true is rejected (Gemini's log probabilities are not passed through).
   */
  logprobs?: boolean | null;
  /**
   * Free-form string tags. AgentLLM reads session_id (or chat_id) and user_id from here.
   */
  metadata?: {
    [k: string]: string;
  } | null;
  [k: string]: unknown;
}
/**
 * One message of the conversation.
 */
export interface Message {
  /**
   * Who wrote the message; developer is treated as system.
   */
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function';
  /**
   * The text, or an array of content parts (text parts are joined).
   */
  content?: string | ContentPart[] | null;
  /**
   * An optional participant name (for role function: the function's name).
   */
  name?: string | null;
  /**
   * Tool calls an assistant message made.
   */
  tool_calls?: ToolCall[] | null;
  /**
   * For role tool: the id of the tool call this message answers.
   */
  tool_call_id?: string | null;
  [k: string]: unknown;
}
/**
 * One part of a message's content.
 */
export interface ContentPart {
  /**
   * The part's kind: text (and refusal) is supported; image_url, input_audio and file are rejected.
   */
  type: string;
  /**
   * The text of a text part.
   */
  text?: string;
  /**
   * The text of an assistant's refusal part.
   */
  refusal?: string;
  [k: string]: unknown;
}
/**
 * One function call an assistant made.
 */
export interface ToolCall {
  /**
   * The call's id, echoed by the tool message that answers it.
   */
  id: string;
  /**
   * Always function.
   */
  type?: string;
  /**
   * The function called.
   */
  function: {
    /**
     * The function's name.
     */
    name: string;
    /**
     * The arguments, as a JSON-encoded object.
     */
    arguments?: string;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
