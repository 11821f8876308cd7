/**
 * `npm run fuzz`: the fuzz properties for 10 minutes (or --minutes), printing the seed first and
 * a summary (runs, inputs tried, faults injected, failures) last. Exit code 1 on any failure.
 */
import { FUZZ_USAGE, parseFuzzArgs } from './harness/fuzz-args.ts';
import { formatReport, runLong } from './harness/long-run.ts';
import { ALL_PROPERTIES } from './properties/all-properties.ts';

async function main(): Promise<number> {
  let args;
  try {
    args = parseFuzzArgs(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`npm run fuzz: ${(error as Error).message}\n\n${FUZZ_USAGE}`);
    return 2;
  }
  if (args === 'help') {
    console.log(FUZZ_USAGE);
    return 0;
  }
  console.log(`fuzz: seed ${args.seed} for ${args.durationMs / 60_000} min; replay with: npm run fuzz -- --seed ${args.seed}`);
  const report = await runLong(ALL_PROPERTIES, args, (line) => console.log(line));
  console.log(formatReport(report));
  return report.totals.some((total) => total.failure) ? 1 : 0;
}

process.exitCode = await main();
