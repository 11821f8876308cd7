import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '../src/logger.ts';
import { createRegistry } from '../src/registry/create-registry.ts';
import { line } from './measure.ts';
import { measureBaselineRss, measureServeRss } from './process-memory.ts';

const AGENTS = 1000;

/** Idle RSS of a fresh server process (with baselines), and heap per loaded agent (Agno publishes 6.6 KiB per agent). Run with --expose-gc for stable figures. */
export async function benchMemory(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const root = await mkdtemp(join(tmpdir(), 'agentllm-mem-'));
  const toolkitsDir = join(import.meta.dirname, '../toolkits');
  try {
    const heapFor = async (count: number): Promise<number> => {
      const dir = join(root, `agents-${count}`);
      await mkdir(dir);
      await Promise.all(Array.from({ length: count }, (_, i) => writeFile(join(dir, `agent-${i}.yaml`), agentFile(i))));
      gc?.();
      const before = process.memoryUsage().heapUsed;
      const registry = await createRegistry({ agentsDir: dir, toolkitsDir, watch: false, logger: createSilentLogger() });
      gc?.();
      const used = process.memoryUsage().heapUsed - before;
      if (registry.current().agents.size !== count) throw new Error(`loaded ${registry.current().agents.size} of ${count} agents`);
      await registry.close();
      return used;
    };
    await heapFor(0); // warm-up: first-load costs (plugin imports, compiled schemas) are not per agent
    const one = await heapFor(1);
    const many = await heapFor(AGENTS);
    const bareNode = await measureBaselineRss(['-e', IDLE]);
    const bareTsx = await measureBaselineRss(['--input-type=module', '-e', `import { register } from 'tsx/esm/api'; register(); ${IDLE}`]);
    const serve = await measureServeRss(join(root, 'data'), root);
    console.log(`\nMemory${gc ? '' : ' (run with node --expose-gc for stable figures)'}:`);
    line('idle RSS: bare `node -e` (baseline)', mib(bareNode));
    line('idle RSS: bare node + tsx loader (baseline)', mib(bareTsx));
    line('idle RSS: fresh `agentllm serve`, shipped agents', mib(serve), `(${mib(serve - bareTsx)} above the tsx baseline)`);
    line(`heap per loaded agent (${AGENTS} vs 1 agent files)`, `${((many - one) / (AGENTS - 1) / 1024).toFixed(2)} KiB`, "Agno's published figure: 6.6 KiB");
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const IDLE = "console.log('ready'); setInterval(() => {}, 1000);";

function mib(value: number): string {
  return `${value.toFixed(1)} MiB`;
}

function agentFile(i: number): string {
  return `name: agent-${i}
description: Generated agent number ${i} for the memory benchmark.
model:
  temperature: 0.${i % 10}
instructions:
  - You are agent ${i}. Help {{user.name}} with their questions.
  - Today is {{date}}. Answer briefly and cite sources.
history:
  runs: ${(i % 20) + 1}
`;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchMemory();
