/**
 * One benchmark server in its own process, as deployed:
 *   node --import tsx bench/serve-child.ts <fake|floor-a|floor-b|floor-b-node|agentllm> [fake URL]
 * Started by bench/child-servers.ts with an IPC channel. Binds 127.0.0.1:0 and announces
 * `{ url }` over IPC; exits when the parent goes away (the channel closes), so no orphans.
 *
 * Messages from the parent (each answered with `{ reply: id, ... }`):
 *   { id, type: 'stats-start' }                 start counting CPU time and young-gen GC pauses
 *   { id, type: 'stats-stop' }                  -> { cpuMs, gcPauses: number[], eventLoopMaxMs }
 *   { id, type: 'set-default', reply }          the fake's default reply (fake only)
 *   { id, type: 'profile-start', alloc }        CPU (or sampling heap) profile of this process
 *   { id, type: 'profile-stop', out }           writes it to `out`
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { resolveServeSettings } from '../src/cli/settings.ts';
import { startApp } from '../src/cli/start-app.ts';
import { createLogger } from '../src/logger.ts';
import { startFakeGemini, type FakeReply } from '../test/fakes/gemini-server.ts';
import { startPassThroughProxy, startSdkProxy } from './floors.ts';

export type ServerRole = 'fake' | 'floor-a' | 'floor-b' | 'floor-b-node' | 'agentllm';

interface Running {
  url: string;
  close(): Promise<void>;
  setDefault?(reply: FakeReply): void;
}

type Message = { id: number; type: string; reply?: FakeReply; alloc?: boolean; out?: string };

const [role, fakeUrl = ''] = process.argv.slice(2) as [ServerRole, string?];
const server = await start(role, fakeUrl);
const stats = createStats();
const profiler = createProfiler();
process.on('message', (message: Message) => void answer(message));
process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
process.send!({ url: server.url });

async function start(name: ServerRole, upstream: string): Promise<Running> {
  if (name === 'fake') {
    const fake = await startFakeGemini({ record: false, defaultReply: { chunks: [{ text: 'pong' }] } });
    return { url: fake.url, close: () => fake.close(), setDefault: (reply) => fake.setDefault(reply) };
  }
  if (name === 'floor-a') return startPassThroughProxy(upstream);
  if (name === 'floor-b') return startSdkProxy(upstream);
  if (name === 'floor-b-node') return startSdkProxy(upstream, 'node');
  if (name === 'agentllm') return startAgentLLM(upstream);
  throw new Error(`unknown server role ${String(name)}: fake, floor-a, floor-b, floor-b-node or agentllm`);
}

/**
 * `agentllm serve` as a user starts it (startApp, logger from LOG_LEVEL), one bench agent, a temp
 * data dir, or BENCH_DATA_DIR (sessions seeded by the benchmark).
 */
async function startAgentLLM(upstream: string): Promise<Running> {
  const root = await mkdtemp(join(tmpdir(), 'agentllm-bench-'));
  await mkdir(join(root, 'agents'));
  await writeFile(join(root, 'agents', 'bench.yaml'), 'name: bench\ndescription: Bench agent.\ninstructions: You are a bench agent.\n');
  const data = process.env.BENCH_DATA_DIR || join(root, 'data');
  const flags = { port: '0', host: '127.0.0.1', agents: join(root, 'agents'), toolkits: join(import.meta.dirname, '../toolkits'), data, 'no-watch': true };
  const app = await startApp(resolveServeSettings(flags, { ...process.env, GEMINI_API_KEY: 'bench-key', GEMINI_BASE_URL: upstream }), createLogger());
  return {
    url: app.url,
    async close() {
      await app.close(1000);
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function answer(message: Message): Promise<void> {
  let result: object = {};
  if (message.type === 'stats-start') stats.start();
  else if (message.type === 'stats-stop') result = stats.stop();
  else if (message.type === 'set-default') server.setDefault?.(message.reply!);
  else if (message.type === 'profile-start') await profiler.start(message.alloc === true);
  else if (message.type === 'profile-stop') await profiler.stop(message.out!);
  process.send!({ reply: message.id, ...result });
}

/** CPU time of this process, its minor (scavenge) GC pauses and its longest event-loop delay, between start() and stop(). */
function createStats(): { start(): void; stop(): { cpuMs: number; gcPauses: number[]; eventLoopMaxMs: number } } {
  let pauses: number[] = [];
  let cpu = process.cpuUsage();
  let loop = monitorEventLoopDelay({ resolution: 1 });
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) pauses.push(entry.duration);
  });
  return {
    start() {
      pauses = [];
      cpu = process.cpuUsage();
      loop = monitorEventLoopDelay({ resolution: 1 });
      loop.enable();
      observer.observe({ entryTypes: ['gc'] });
    },
    stop() {
      observer.disconnect();
      loop.disable();
      const used = process.cpuUsage(cpu);
      return { cpuMs: (used.user + used.system) / 1000, gcPauses: pauses, eventLoopMaxMs: loop.max / 1e6 };
    },
  };
}

function createProfiler(): { start(alloc: boolean): Promise<void>; stop(out: string): Promise<void> } {
  const session = new Session();
  session.connect();
  let sampling = false;
  return {
    async start(alloc) {
      sampling = alloc;
      if (alloc) return void (await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }));
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
    },
    async stop(out) {
      const { profile } = sampling ? await session.post('HeapProfiler.stopSampling') : await session.post('Profiler.stop');
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, JSON.stringify(profile));
    },
  };
}
