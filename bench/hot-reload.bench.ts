// Hot reload: from writing an agent file to the registry serving the change (what /v1/models
// lists), for adds, edits and deletes, with the shipped toolkits and 100 other agents loaded.
// Run alone: `npx tsx bench/hot-reload.bench.ts`.
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSilentLogger } from '../src/logger.ts';
import { createRegistry } from '../src/registry/create-registry.ts';
import type { Registry, RegistrySnapshot } from '../src/registry/registry.ts';
import { fmt, line, median, percentile } from './measure.ts';

const ROUNDS = 20;
const OTHER_AGENTS = 100;
const GOAL_MS = 300;
const TIMEOUT_MS = 5_000;

const agentFile = (name: string, text: string) => `name: ${name}\ndescription: ${text}\ninstructions: You are ${name}. ${text}\n`;

export async function benchHotReload(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'agentllm-reload-'));
  const agentsDir = join(root, 'agents');
  await mkdir(agentsDir);
  await Promise.all(Array.from({ length: OTHER_AGENTS }, (_, i) => writeFile(join(agentsDir, `other-${i}.yaml`), agentFile(`other-${i}`, 'Another agent.'))));
  const registry = await createRegistry({ agentsDir, toolkitsDir: join(import.meta.dirname, '../toolkits'), watch: true, logger: createSilentLogger() });
  const times = { add: [] as number[], edit: [] as number[], delete: [] as number[] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const name = `reload-${round}`;
      const file = join(agentsDir, `${name}.yaml`);
      times.add.push(await timeUntil(registry, () => writeFile(file, agentFile(name, 'First version.')), (s) => s.agents.has(name)));
      times.edit.push(await timeUntil(registry, () => writeFile(file, agentFile(name, 'Second version.')), (s) => s.agents.get(name)?.definition.description === 'Second version.'));
      times.delete.push(await timeUntil(registry, () => unlink(file), (s) => !s.agents.has(name)));
    }
  } finally {
    await registry.close();
    await rm(root, { recursive: true, force: true });
  }
  console.log(`hot reload: file written -> change served, ${ROUNDS} rounds, ${OTHER_AGENTS} other agents and the shipped toolkits loaded (50 ms debounce included):`);
  for (const [kind, values] of Object.entries(times)) {
    line(`${kind}: median / max`, `${fmt(median(values))} / ${fmt(Math.max(...values))}`, `goal ≤ ${GOAL_MS} ms: ${Math.max(...values) <= GOAL_MS ? 'met' : 'MISSED'}`);
  }
  line('all: p95', fmt(percentile([...times.add, ...times.edit, ...times.delete], 95)));
}

/** ms from starting `change` until a snapshot satisfying `served` is current. */
function timeUntil(registry: Registry, change: () => Promise<void>, served: (snapshot: RegistrySnapshot) => boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const timer = setTimeout(() => done(new Error(`no reload served the change within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    const unsubscribe = registry.onChange((snapshot) => {
      if (served(snapshot)) done();
    });
    function done(error?: Error): void {
      clearTimeout(timer);
      unsubscribe();
      if (error) reject(error);
      else resolve(performance.now() - started);
    }
    change().catch(done);
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchHotReload();
