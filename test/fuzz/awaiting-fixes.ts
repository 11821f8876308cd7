/**
 * Properties that find a fault of issue 13 another change is fixing: each runs in `npm test` as
 * an expected failure (`it.fails`), so the suite stays green and turns red the moment the fix
 * lands (then delete its line here: the property runs for real, in `npm run fuzz` too).
 */
export const AWAITING_FIXES: Readonly<Record<string, string>> = {
  // Not covered by item 14's fix as written (harden-runtime at 60d01d4 still fails these two): they need their own change on top of it.
  'upstream-wrong-types': 'a fix beyond issue 13 item 14 (JSON of the wrong shape from the upstream, e.g. `null` or `candidates: [7]`, is a 500 or an empty 200)',
  'upstream-unfinished': 'a fix beyond issue 13 item 14 (an answer cut short at a chunk boundary, without a finishReason, is a 200 and stored)',
};

/** The fix a property waits for, if any. */
export function awaitedFix(name: string): string | undefined {
  return AWAITING_FIXES[name];
}

export function awaits(name: string): boolean {
  return awaitedFix(name) !== undefined;
}
