import type { ChunkBase } from '../../openai/to-chunk.ts';
import type { TurnEvent, TurnMeter } from '../../run/turn.ts';
import type { AppContext } from '../state.ts';

/** What collect-turn and stream-turn need to answer one chat request. */
export interface TurnContext {
  ctx: AppContext;
  /** id, model and created shared by the completion or every chunk. */
  base: ChunkBase;
  /** Starts the turn (calls RunTurn); may throw before yielding. */
  startRun: () => AsyncIterable<TurnEvent>;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
  /** Filled in by run/: time waiting on the model, tokens so far. */
  meter: TurnMeter;
}
