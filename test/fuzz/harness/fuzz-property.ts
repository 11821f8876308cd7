/**
 * A fuzz property: what it claims, the inputs it draws, and how one input is checked against a
 * running context (a server, a temp folder). The same property runs briefly in `npm test` and for
 * minutes in `npm run fuzz`; `checkProperty` runs it with fast-check and counts what it tried.
 */
import fc from 'fast-check';

/** Counters a property updates as it goes (faults: upstream faults it injected; outcomes: what the inputs got, e.g. `400`). */
export interface FuzzCounters {
  inputs: number;
  faults: number;
  outcomes: Record<string, number>;
}

export interface FuzzProperty<Input, Context> {
  /** Short kebab-case name, used by `npm run fuzz -- --only <name>`. */
  name: string;
  /** What holds for every input, in one sentence. */
  claim: string;
  /** Inputs per run in `npm test` (a few seconds' worth). */
  shortRuns: number;
  arbitrary: fc.Arbitrary<Input>;
  start(): Promise<Context>;
  /** Throws when the claim does not hold for `input`. */
  check(context: Context, input: Input, counters: FuzzCounters): Promise<void>;
  stop(context: Context): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFuzzProperty = FuzzProperty<any, any>;

export interface CheckOptions {
  seed: number;
  /** Inputs to try (before shrinking). */
  numRuns: number;
  /** Stop drawing new inputs after this long (the run still passes if nothing failed). */
  timeLimitMs?: number;
  /** Report the first failing input as is (no shrinking): for properties known to fail. */
  noShrink?: boolean;
}

export interface CheckResult {
  name: string;
  seed: number;
  /** Inputs checked, shrinking included. */
  inputs: number;
  faults: number;
  outcomes: Record<string, number>;
  /** fast-check's report (counterexample, seed, path) when the claim failed. */
  failure?: string;
}

/** Adds one to `outcome`'s tally. */
export function tally(counters: FuzzCounters, outcome: string): void {
  counters.outcomes[outcome] = (counters.outcomes[outcome] ?? 0) + 1;
}

/** Runs `property` on a context started for the run, and stops the context whatever happens. */
export async function checkProperty(property: AnyFuzzProperty, options: CheckOptions): Promise<CheckResult> {
  const context = await property.start();
  try {
    return await checkStarted(property, context, options);
  } finally {
    await property.stop(context);
  }
}

/**
 * Started contexts, one per distinct `start` function: properties built by one factory (the
 * upstream fault kinds) share one server.
 */
export class SharedContexts {
  readonly #contexts = new Map<AnyFuzzProperty['start'], { context: unknown; stop: AnyFuzzProperty['stop'] }>();

  async contextFor(property: AnyFuzzProperty): Promise<unknown> {
    const known = this.#contexts.get(property.start);
    if (known) return known.context;
    const context = await property.start();
    this.#contexts.set(property.start, { context, stop: property.stop });
    return context;
  }

  async stopAll(): Promise<void> {
    for (const { context, stop } of this.#contexts.values()) await stop(context);
    this.#contexts.clear();
  }
}

/** Runs `property` on an already started context (a long run reuses one across rounds). */
export async function checkStarted(property: AnyFuzzProperty, context: unknown, options: CheckOptions): Promise<CheckResult> {
  const counters: FuzzCounters = { inputs: 0, faults: 0, outcomes: {} };
  const predicate = fc.asyncProperty(property.arbitrary, async (input: unknown) => {
    counters.inputs++;
    await property.check(context, input, counters);
  });
  const details = await fc.check(predicate, {
    seed: options.seed,
    numRuns: options.numRuns,
    ...(options.timeLimitMs ? { interruptAfterTimeLimit: options.timeLimitMs } : {}),
    ...(options.noShrink ? { endOnFailure: true } : {}),
  });
  const result: CheckResult = { name: property.name, seed: options.seed, inputs: counters.inputs, faults: counters.faults, outcomes: counters.outcomes };
  if (details.failed) result.failure = describeFailure(property.name, details);
  return result;
}

function describeFailure(name: string, details: fc.RunDetails<[unknown]>): string {
  const report = fc.defaultReportMessage(details) ?? `${name} failed`;
  const error = details.errorInstance;
  const why = error instanceof Error ? error.message : error === undefined ? '' : String(error);
  return why && !report.includes(why) ? `${report}\nWhy: ${why}` : report;
}

/** A seed from the environment (FUZZ_SEED) when set, else a fresh one; printed with any failure. */
export function pickSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.FUZZ_SEED);
  return Number.isInteger(given) && env.FUZZ_SEED !== '' ? given : Math.floor(Math.random() * 2 ** 31);
}
