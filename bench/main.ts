/**
 * `npm run bench`: every benchmark, side by side in one run on this machine. Figures and ratios,
 * never pass/fail: the goals are printed next to the figures.
 */
import { benchHotReload } from './hot-reload.bench.ts';
import { benchLoadAgents } from './load-agents.bench.ts';
import { benchMemory } from './memory.bench.ts';
import { benchMessageMatching } from './message-matching.bench.ts';
import { benchServer } from './server.bench.ts';
import { benchSessionsHttp } from './sessions-http.bench.ts';
import { benchStore } from './store.bench.ts';

const all: Record<string, () => Promise<void>> = {
  load: benchLoadAgents,
  'hot-reload': benchHotReload,
  server: benchServer,
  sessions: benchSessionsHttp,
  store: benchStore,
  memory: benchMemory,
  'message-matching': benchMessageMatching,
};

const only = process.argv.slice(2);
console.log(`AgentLLM benchmarks on Node ${process.version}, ${new Date().toISOString()}`);
for (const [name, bench] of Object.entries(all)) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n=== ${name} ===`);
  await bench();
}
process.exit(0);
