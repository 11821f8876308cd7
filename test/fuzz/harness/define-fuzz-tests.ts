/**
 * The short run of fuzz properties inside `npm test`: each property gets its `shortRuns` inputs
 * from a fresh seed (FUZZ_SEED to replay one), and a failure says how to replay it. A property
 * waiting for another change's fix runs as an expected failure until that fix lands.
 */
import { afterAll, describe, it } from 'vitest';
import { awaitedFix } from '../awaiting-fixes.ts';
import { checkStarted, pickSeed, SharedContexts, type AnyFuzzProperty } from './fuzz-property.ts';

const TIMEOUT_MS = 120_000;

export function defineFuzzTests(title: string, properties: AnyFuzzProperty[]): void {
  describe(title, () => {
    const contexts = new SharedContexts();
    afterAll(() => contexts.stopAll(), TIMEOUT_MS);
    const seed = pickSeed();
    for (const property of properties) {
      const fix = awaitedFix(property.name);
      const run = async (): Promise<void> => {
        const context = await contexts.contextFor(property);
        const result = await checkStarted(property, context, { seed, numRuns: property.shortRuns, noShrink: fix !== undefined });
        if (result.failure) throw new Error(`${result.failure}\nReplay: FUZZ_SEED=${seed} npx vitest run test/fuzz, or npm run fuzz -- --seed ${seed} --only ${property.name}`);
      };
      if (fix) it.fails(`${property.name} fails until the fix it awaits lands: ${fix} (then remove it from test/fuzz/awaiting-fixes.ts)`, run, TIMEOUT_MS);
      else it(`${property.name}: ${property.claim}`, run, TIMEOUT_MS);
    }
  });
}
