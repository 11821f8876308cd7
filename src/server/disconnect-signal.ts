import type { ServerResponse } from 'node:http';

/** An AbortSignal that aborts when the client goes away before the response is finished. */
export function watchDisconnect(res: ServerResponse): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  // Methods rather than arrow functions in constants: tsx (esbuild `keepNames`) wraps every named
  // closure in a defineProperty call, paid again on each request.
  const watch = {
    signal: controller.signal,
    onClose(): void {
      if (!res.writableFinished) controller.abort(new Error('client disconnected'));
    },
    dispose(): void {
      res.off('close', watch.onClose);
    },
  };
  res.on('close', watch.onClose);
  return watch;
}
