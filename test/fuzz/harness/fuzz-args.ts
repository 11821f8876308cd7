/** `npm run fuzz -- [--seed N] [--minutes M] [--only name,...] [--all]`, with FUZZ_SEED and FUZZ_MINUTES as defaults. */
import { parseArgs } from 'node:util';

export interface FuzzArgs {
  seed: number;
  /** How long to keep drawing inputs. */
  durationMs: number;
  /** Property names to run (all when empty). */
  only: string[];
  /** Run properties still awaiting their fix too. */
  all: boolean;
}

export const FUZZ_USAGE = `Usage: npm run fuzz -- [options]

Runs every fuzz property in rounds until the time is up, then prints a summary.

Options:
  --seed <n>       Seed of the first round (env FUZZ_SEED; default: a random one, printed)
  --minutes <m>    How long to run (env FUZZ_MINUTES, default 10; 0 runs one round)
  --only <names>   Comma-separated property names (see the summary for the list)
  --all            Also run properties still awaiting a fix (test/fuzz/awaiting-fixes.ts)
  -h, --help       Show this help`;

export function parseFuzzArgs(argv: string[], env: NodeJS.ProcessEnv): FuzzArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: { seed: { type: 'string' }, minutes: { type: 'string' }, only: { type: 'string' }, all: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return 'help';
  const seedText = values.seed ?? env.FUZZ_SEED;
  const minutesText = values.minutes ?? env.FUZZ_MINUTES ?? '10';
  const minutes = Number(minutesText);
  if (!Number.isFinite(minutes) || minutes < 0) throw new Error(`--minutes must be a number of minutes, at least 0, got '${minutesText}'`);
  return {
    seed: seedText === undefined || seedText === '' ? Math.floor(Math.random() * 2 ** 31) : parseSeed(seedText),
    durationMs: minutes * 60_000,
    only: (values.only ?? '').split(',').map((name) => name.trim()).filter(Boolean),
    all: values.all ?? false,
  };
}

function parseSeed(text: string): number {
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 31) throw new Error(`--seed must be a whole number from 0 to 2147483647, got '${text}'`);
  return seed;
}
