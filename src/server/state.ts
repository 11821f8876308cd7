import type { Context, Next } from 'koa';

/** What middlewares and routes of one request share through `ctx.state`. */
export interface RequestState {
  requestId: string;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** Server-Timing entries set by a route (e.g. `upstream;dur=12.3`); `total` is added last. */
  timing: string[];
  /** Facts for the request log line (never bodies or secrets). */
  log: {
    agent?: string;
    userId?: string;
    sessionId?: string;
    stream?: boolean;
    tokens?: number;
    /** The client went away before the answer was complete. */
    aborted?: boolean;
    /** Code of an error sent inside a started stream. */
    error?: string;
  };
}

export type AppContext = Context & { state: RequestState };
export type AppMiddleware = (ctx: AppContext, next: Next) => Promise<void> | void;

/** Milliseconds since the request arrived, rounded to 0.1 ms. */
export function elapsedMs(state: RequestState): number {
  return roundMs(performance.now() - state.startedAt);
}

export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The Server-Timing header value: the route's entries plus `total`. */
export function serverTimingHeader(state: RequestState, totalMs = elapsedMs(state)): string {
  return [...state.timing, `total;dur=${totalMs}`].join(', ');
}
