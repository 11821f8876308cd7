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
    agent?: string | null;
    /** Chat requests: the user id (null until the body is read). */
    user?: string | null;
    /** Chat requests: the session id, null when the client sent none. */
    session?: string | null;
    stream?: boolean;
    /** Chat requests: tokens of the turn, partial when it failed or was aborted (0 when no model call answered). */
    tokens?: number;
    /** The client went away before the answer was complete. */
    aborted?: boolean;
    /** Code (else type) of the error the request failed with, in a response or inside a started stream. */
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

/** upstream = time waiting on the model; app = the rest (our own code: session, credentials, tools, rendering). */
export function addTiming(timing: string[], upstreamMs: number, totalMs: number): void {
  const upstream = roundMs(upstreamMs);
  timing.push(`upstream;dur=${upstream}`, `app;dur=${roundMs(Math.max(0, totalMs - upstream))}`);
}
