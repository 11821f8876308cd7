/**
 * The long run of `npm run fuzz`: every property in rounds, round r drawing its inputs from seed
 * + r (so `--seed <that> --only <property>` replays a failing round alone), until the time is up.
 * A property that failed is reported once and left out of later rounds.
 */
import { awaitedFix } from '../awaiting-fixes.ts';
import type { FuzzArgs } from './fuzz-args.ts';
import { checkStarted, SharedContexts, type AnyFuzzProperty, type CheckResult } from './fuzz-property.ts';

/** Inputs per round: this many times a property's short run. */
const ROUND_FACTOR = 5;

export interface PropertyTotals {
  name: string;
  runs: number;
  inputs: number;
  faults: number;
  outcomes: Record<string, number>;
  failure?: string;
}

export interface LongRunReport {
  seed: number;
  elapsedMs: number;
  rounds: number;
  totals: PropertyTotals[];
  skipped: { name: string; fix: string }[];
}

export async function runLong(properties: AnyFuzzProperty[], args: FuzzArgs, log: (line: string) => void): Promise<LongRunReport> {
  const chosen = properties.filter((property) => args.only.length === 0 || args.only.includes(property.name));
  const skipped = args.all || args.only.length > 0 ? [] : chosen.flatMap((p) => (awaitedFix(p.name) ? [{ name: p.name, fix: awaitedFix(p.name)! }] : []));
  const running = chosen.filter((property) => !skipped.some((skip) => skip.name === property.name));
  const totals = new Map(running.map((property) => [property.name, { name: property.name, runs: 0, inputs: 0, faults: 0, outcomes: {} } as PropertyTotals]));
  const contexts = new SharedContexts();
  const started = Date.now();
  let rounds = 0;
  try {
    do {
      const seed = (args.seed + rounds) % 2 ** 31;
      for (const property of running) {
        const total = totals.get(property.name)!;
        // Every property runs in the first round; later rounds stop where the time is up.
        if (total.failure || (rounds > 0 && Date.now() - started >= args.durationMs)) continue;
        const result = await checkStarted(property, await contexts.contextFor(property), { seed, numRuns: property.shortRuns * ROUND_FACTOR });
        addResult(total, result);
        if (result.failure) log(`FAILED ${property.name} (round ${rounds}, seed ${seed}); replay: npm run fuzz -- --seed ${seed} --only ${property.name} --minutes 0\n${result.failure}`);
      }
      rounds++;
      log(`round ${rounds} done after ${Math.round((Date.now() - started) / 1000)} s: ${sum(totals, 'inputs')} inputs, ${sum(totals, 'faults')} faults injected`);
    } while (Date.now() - started < args.durationMs && [...totals.values()].some((total) => !total.failure));
  } finally {
    await contexts.stopAll();
  }
  return { seed: args.seed, elapsedMs: Date.now() - started, rounds, totals: [...totals.values()], skipped };
}

function addResult(total: PropertyTotals, result: CheckResult): void {
  total.runs++;
  total.inputs += result.inputs;
  total.faults += result.faults;
  for (const [outcome, count] of Object.entries(result.outcomes)) total.outcomes[outcome] = (total.outcomes[outcome] ?? 0) + count;
  if (result.failure) total.failure = result.failure;
}

function sum(totals: Map<string, PropertyTotals>, key: 'inputs' | 'faults'): number {
  return [...totals.values()].reduce((acc, total) => acc + total[key], 0);
}

/** The summary printed at the end: one line per property, the totals, how to replay. */
export function formatReport(report: LongRunReport): string {
  const failures = report.totals.filter((total) => total.failure);
  const lines = [
    '',
    `fuzz summary: seed ${report.seed}, ${formatDuration(report.elapsedMs)}, ${report.rounds} round(s)`,
    `${'property'.padEnd(30)}${'runs'.padStart(6)}${'inputs'.padStart(9)}${'faults'.padStart(9)}  result`,
    ...report.totals.map((t) => `${t.name.padEnd(30)}${String(t.runs).padStart(6)}${String(t.inputs).padStart(9)}${String(t.faults).padStart(9)}  ${t.failure ? 'FAILED' : 'ok'}`),
    ...report.skipped.map((skip) => `${skip.name.padEnd(30)}  skipped: awaits ${skip.fix} (--all runs it)`),
    `total: ${report.totals.reduce((a, t) => a + t.runs, 0)} runs, ${report.totals.reduce((a, t) => a + t.inputs, 0)} inputs tried, ${report.totals.reduce((a, t) => a + t.faults, 0)} faults injected, ${failures.length} failure(s)`,
    ...report.totals.filter((t) => Object.keys(t.outcomes).length > 0).map((t) => `outcomes of ${t.name}: ${formatOutcomes(t.outcomes)}`),
    `replay: npm run fuzz -- --seed ${report.seed}`,
  ];
  return lines.join('\n');
}

function formatOutcomes(outcomes: Record<string, number>): string {
  return Object.entries(outcomes).sort(([a], [b]) => (a < b ? -1 : 1)).map(([outcome, count]) => `${outcome} ×${count}`).join(', ');
}

function formatDuration(ms: number): string {
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
