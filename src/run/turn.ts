import type { LoadedAgent } from '../config/definitions.ts';
import type { ConversationItem, FinishReason, Usage, UserInfo } from '../conversation.ts';
import type { GenerationSettings } from '../model/model-client.ts';
import type { RegistrySnapshot } from '../registry/registry.ts';

/** One chat turn, as server/ hands it to run/. */
export interface TurnRequest {
  snapshot: RegistrySnapshot;
  agent: LoadedAgent;
  user: UserInfo;
  /** Absent when the client sent no session id: the turn is then not stored. */
  sessionId?: string;
  /** System messages the client sent, in order (added after the agent's instructions). */
  system: string[];
  /** The conversation as the client sent it (without system messages), newest last. */
  messages: ConversationItem[];
  /** Per-request overrides of the agent's model settings. */
  settings: GenerationSettings;
  stream: boolean;
  signal: AbortSignal;
}

/** Time spent waiting on the model vs in our own code, for the Server-Timing header. */
export interface TurnTiming {
  upstreamMs: number;
}

export type TurnEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'done'; finishReason: FinishReason; usage: Usage; timing: TurnTiming };

/** Runs a turn and yields what the client sees, in order. Throws AgentLLMError before the first event on failure. */
export type RunTurn = (request: TurnRequest) => AsyncIterable<TurnEvent>;
