/* Generated from schemas/agent.schema.json by `npm run gen:types`. Do not edit by hand. */

/**
 * A toolkit by name, or {name, config} with per-agent settings validated by the toolkit's own config schema.
 */
export type ToolkitRef =
  | ToolkitName
  | {
      name: ToolkitName;
      /**
       * Per-agent settings for this toolkit; the toolkit's manifest (`config` in toolkit.yaml) says which.
       */
      config?: {
        [k: string]: unknown;
      };
    };
/**
 * Name of a toolkit: a folder of toolkits/.
 */
export type ToolkitName = string;

/**
 * One AgentLLM agent: served as a model on the OpenAI-compatible API under its `name`.
 */
export interface AgentDefinition {
  /**
   * Version of this file format. Only 1 exists today; omit it or write 1.
   */
  version?: 1;
  /**
   * The model id the agent is served under (what a client puts in `model`). Lower-case letters, digits, '-', '_' and '.', starting with a letter or digit, at most 64 characters.
   */
  name: string;
  /**
   * One or two sentences shown next to the model in /v1/models and in Open WebUI's model list.
   */
  description: string;
  model?: Model;
  /**
   * The system instruction: a Handlebars template (a string, or a list of strings joined by blank lines). Variables: {{user.name}}, {{user.email}}, {{user.id}}, {{user.role}}, {{date}}, {{datetime}}, {{agent.name}}, {{agent.description}}, {{toolkits.<name>.instructions}} and {{toolkit_instructions}} (all configured toolkits' instructions).
   */
  instructions: string | string[];
  /**
   * Toolkit plugins (folders of toolkits/) this agent uses.
   */
  toolkits?: {
    /**
     * Toolkits the agent cannot work without: a user without credentials for one is asked for them on first use, before the model runs.
     */
    required?: ToolkitRef[];
    /**
     * Toolkits used when the user has credentials for them; a user without is asked only when a message asks for the toolkit's features.
     */
    optional?: ToolkitRef[];
  };
  /**
   * How much of the conversation goes into the model's context.
   */
  history?: {
    /**
     * How many earlier runs (a user message and the agent's answer) go into the context. Default 10; 0 means none.
     */
    runs?: number;
  };
  /**
   * Most model calls in one turn's tool-calling loop before the agent must answer. Default 10.
   */
  max_steps?: number;
  /**
   * Longest one tool call may take, in milliseconds: after it the call is abandoned (its signal aborted) and the model gets an error result naming the timeout; the request goes on. Default: the server's AGENTLLM_TOOL_TIMEOUT_MS, else 30000.
   */
  tool_timeout_ms?: number;
}
/**
 * Which LLM runs the agent and with which generation settings. Requests may override temperature, max_tokens, top_p and stop.
 */
export interface Model {
  /**
   * LLM provider. Only Google Gemini is supported today.
   */
  provider?: 'gemini';
  /**
   * The provider's model id.
   */
  id?: string;
  /**
   * Sampling temperature, 0 to 2.
   */
  temperature?: number;
  /**
   * Most tokens in one answer: at most 65536, the largest answer a Gemini model gives.
   */
  max_tokens?: number;
  /**
   * Nucleus sampling: consider the tokens making up this probability mass, 0 to 1.
   */
  top_p?: number;
  /**
   * Consider only the K most likely tokens.
   */
  top_k?: number;
  /**
   * Up to 5 sequences where the model stops generating.
   *
   * @maxItems 5
   */
  stop?: string[];
  /**
   * Seed for more repeatable sampling: a 32-bit integer, as Gemini takes it.
   */
  seed?: number;
  /**
   * Penalty for tokens already present, -2 to 2.
   */
  presence_penalty?: number;
  /**
   * Penalty proportional to how often a token appeared, -2 to 2.
   */
  frequency_penalty?: number;
  /**
   * Gemini thinking. Streams as reasoning_content deltas, which Open WebUI shows as a 'Thought for N seconds' block.
   */
  thinking?: {
    /**
     * Thinking token budget: 0 turns thinking off, -1 lets the model decide; at most 32768, the largest budget of a Gemini model.
     */
    budget?: number;
    /**
     * Send the model's thought summaries to the client as reasoning_content.
     */
    include_thoughts?: boolean;
  };
}
