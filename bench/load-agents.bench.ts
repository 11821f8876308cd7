// Times loadDefinitions on 1,000 generated agent files. Run alone: `npx tsx bench/load-agents.bench.ts`.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDefinitions } from '../src/config/load-definitions.ts';

const AGENT_COUNT = 1000;
const RUNS = 5;
const GOAL_MS = 1000;

function agentYaml(i: number): string {
  return [
    '# yaml-language-server: $schema=../schemas/agent.schema.json',
    `name: bench-agent-${i}`,
    `description: Benchmark agent number ${i}.`,
    'model:',
    '  id: gemini-2.5-flash',
    '  temperature: 0.4',
    'instructions:',
    `  - You are agent ${i}. Help {{user.name}} on {{date}}.`,
    '  - |',
    '    {{#if user.email}}Their email is {{user.email}}.{{/if}}',
    '    {{toolkit_instructions}}',
    'history:',
    '  runs: 5',
    'max_steps: 8',
    '',
  ].join('\n');
}

async function writeAgents(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await Promise.all(Array.from({ length: AGENT_COUNT }, (_, i) => writeFile(join(dir, `agent-${i}.yaml`), agentYaml(i))));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchLoadAgents(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'agentllm-bench-'));
  try {
    const agentsDir = join(root, 'agents');
    await writeAgents(agentsDir);
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      const result = await loadDefinitions({ agentsDir, toolkitsDir: join(root, 'toolkits') });
      times.push(performance.now() - start);
      if (result.errors.length > 0 || result.agents.length !== AGENT_COUNT) throw new Error(`bench agents did not load: ${result.errors[0]?.message}`);
    }
    const ms = median(times);
    const first = times[0]!;
    console.log(`load-agents: ${AGENT_COUNT} files, median ${ms.toFixed(1)} ms over ${RUNS} runs (first run ${first.toFixed(1)} ms), ${Math.round((AGENT_COUNT / ms) * 1000)} files/s; goal < ${GOAL_MS} ms: ${ms < GOAL_MS ? 'met' : 'MISSED'}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchLoadAgents();
