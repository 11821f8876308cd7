import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { resolveServeSettings } from '../src/cli/settings.ts';
import { startApp } from '../src/cli/start-app.ts';
import { createSilentLogger } from '../src/logger.ts';
import { startFakeGemini, type FakeGemini } from '../test/fakes/gemini-server.ts';
import { startPassThroughProxy, startSdkProxy } from './floors.ts';
import { fmt, line, median, percentile, post, ratio } from './measure.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1500);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 500);
const CANNON_SECONDS = Number(process.env.BENCH_SECONDS ?? 4);

const GEMINI_PATH = '/v1beta/models/gemini-2.5-flash:generateContent';
const geminiBody = { contents: [{ role: 'user', parts: [{ text: 'ping' }] }], systemInstruction: { parts: [{ text: 'You are a bench agent.' }] } };
const openAiBody = { model: 'bench', messages: [{ role: 'user', content: 'ping' }] };

/** The server in front of a fake Gemini vs the fake directly, side by side in one run. */
export async function benchServer(): Promise<void> {
  const fake = await startFakeGemini({ record: false, defaultReply: { chunks: [{ text: 'pong' }] } });
  const root = await mkdtemp(join(tmpdir(), 'agentllm-bench-'));
  await mkdir(join(root, 'agents'));
  await writeFile(join(root, 'agents', 'bench.yaml'), 'name: bench\ndescription: Bench agent.\ninstructions: You are a bench agent.\n');
  const env = { GEMINI_API_KEY: 'bench-key', GEMINI_BASE_URL: fake.url };
  const settings = resolveServeSettings({ port: '0', host: '127.0.0.1', agents: join(root, 'agents'), toolkits: join(import.meta.dirname, '../toolkits'), data: join(root, 'data') }, env);
  const app = await startApp(settings, createSilentLogger());
  const floorA = await startPassThroughProxy(fake.url);
  const floorB = await startSdkProxy(fake.url);
  try {
    await addedLatency(fake, app.url, floorA.url, floorB.url);
    await throughput(fake, app.url, floorB.url);
    await streaming(fake, app.url, floorB.url);
  } finally {
    await Promise.all([app.close(1000), floorA.close(), floorB.close()]);
    await fake.close();
    await rm(root, { recursive: true, force: true });
  }
}

async function addedLatency(fake: FakeGemini, app: string, floorA: string, floorB: string): Promise<void> {
  const targets = {
    direct: () => post(fake.url + GEMINI_PATH, geminiBody),
    floorA: () => post(floorA + GEMINI_PATH, geminiBody),
    floorB: () => post(floorB + '/v1/chat/completions', openAiBody),
    agentllm: () => post(app + '/v1/chat/completions', openAiBody),
  };
  const samples: Record<keyof typeof targets, number[]> = { direct: [], floorA: [], floorB: [], agentllm: [] };
  for (let i = 0; i < 200; i++) for (const run of Object.values(targets)) await run();
  const gc = watchGarbageCollection();
  for (let i = 0; i < ROUNDS; i++) {
    for (const [name, run] of Object.entries(targets) as [keyof typeof targets, () => ReturnType<typeof post>][]) {
      const result = await run();
      if (result.status !== 200) throw new Error(`${name} answered ${result.status}: ${result.body.slice(0, 200)}`);
      samples[name].push(result.ms);
    }
  }
  const pauses = gc.stop();
  const added = (name: keyof typeof targets) => samples[name].map((ms, i) => ms - samples.direct[i]!);
  const [a, b, us] = [added('floorA'), added('floorB'), added('agentllm')];
  console.log(`\nAdded latency, one request at a time, ${ROUNDS} interleaved rounds (non-streaming, no session):`);
  line('fake Gemini directly: median / p99', `${fmt(median(samples.direct))} / ${fmt(percentile(samples.direct, 99))}`);
  line('floor (a) node:http keep-alive proxy: median / p99', `${fmt(median(a))} / ${fmt(percentile(a, 99))}`);
  line('floor (b) proxy through @google/genai: median / p99', `${fmt(median(b))} / ${fmt(percentile(b, 99))}`);
  line('AgentLLM: median / p99', `${fmt(median(us))} / ${fmt(percentile(us, 99))}`);
  line('AgentLLM median − floor (b) median', fmt(median(us) - median(b)), '(our own share)');
  line('AgentLLM median ÷ floor (b)', ratio(median(us), median(b)), 'goal ≤ 1.2×');
  line('AgentLLM median ÷ floor (a)', ratio(median(us), median(a)), '(the SDK HTTP path is most of the gap)');
  line('AgentLLM p99 added', fmt(percentile(us, 99)), 'goal ≤ 3 ms');
  line('young-gen GC pauses in this process: count / median', `${pauses.length} / ${fmt(median(pauses))}`, `(one per ${Math.round((ROUNDS * 4) / pauses.length)} requests: they set p99)`);
}

/** Durations of the minor (scavenge) GC pauses from now until stop(). */
function watchGarbageCollection(): { stop(): number[] } {
  const pauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) pauses.push(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      observer.disconnect();
      return pauses;
    },
  };
}

async function throughput(fake: FakeGemini, app: string, floorB: string): Promise<void> {
  const run = (url: string, body: unknown) =>
    autocannon({ url, method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, connections: 50, duration: CANNON_SECONDS });
  const direct = await run(fake.url + GEMINI_PATH, geminiBody);
  const floor = await run(floorB + '/v1/chat/completions', openAiBody);
  const through = await run(app + '/v1/chat/completions', openAiBody);
  console.log(`\nThroughput, 50 connections, ${CANNON_SECONDS} s each (client, server and fake share this process):`);
  line('fake Gemini directly (req/s)', direct.requests.average.toFixed(0), `errors ${direct.errors + direct.non2xx}`);
  line('floor (b) proxy through @google/genai (req/s)', floor.requests.average.toFixed(0), `errors ${floor.errors + floor.non2xx}`);
  line('through AgentLLM (req/s)', through.requests.average.toFixed(0), `errors ${through.errors + through.non2xx}`);
  line('AgentLLM ÷ floor (b)', ratio(through.requests.average, floor.requests.average), 'as close to 1× as possible');
  line('AgentLLM ÷ direct', ratio(through.requests.average, direct.requests.average));
}

async function streaming(fake: FakeGemini, app: string, floorB: string): Promise<void> {
  fake.setDefault({ chunks: [{ text: 'FIRST' }, { text: ' two' }, { text: ' three' }, { text: ' four' }, { text: ' five' }], delayMs: 50 });
  const streamPath = '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse';
  const firstChunk = async (url: string, body: unknown) => (await post(url, body, { marker: 'FIRST' })).markerMs!;
  const samples = { direct: [] as number[], floor: [] as number[], through: [] as number[] };
  for (let i = 0; i < 100; i++) {
    samples.direct.push(await firstChunk(fake.url + streamPath, geminiBody));
    samples.floor.push(await firstChunk(floorB + '/v1/chat/completions', { ...openAiBody, stream: true }));
    samples.through.push(await firstChunk(app + '/v1/chat/completions', { ...openAiBody, stream: true }));
  }
  const added = (values: number[]) => values.map((ms, i) => ms - samples.direct[i]!);
  console.log('\nStreaming (first chunk: fake → client, added delay, 100 interleaved rounds):');
  line('floor (b) generateContentStream proxy: median / p95', `${fmt(median(added(samples.floor)))} / ${fmt(percentile(added(samples.floor), 95))}`);
  line('AgentLLM: median / p95', `${fmt(median(added(samples.through)))} / ${fmt(percentile(added(samples.through), 95))}`, 'goal ≤ 1 ms median');
  line('AgentLLM median − floor (b) median', fmt(median(added(samples.through)) - median(added(samples.floor))), '(our own share)');

  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const start = performance.now();
  const results = await Promise.allSettled(Array.from({ length: STREAMS }, () => post(app + '/v1/chat/completions', { ...openAiBody, stream: true })));
  loop.disable();
  const failed = results.filter((result) => result.status === 'rejected' || result.value.status !== 200 || !result.value.body.includes('data: [DONE]')).length;
  line(`${STREAMS} concurrent streams, 5 chunks × 50 ms: errors`, String(failed), 'goal 0');
  line(`${STREAMS} concurrent streams: wall time`, fmt(performance.now() - start), '(≥ 250 ms by construction)');
}

if (import.meta.url === `file://${process.argv[1]}`) await benchServer();
