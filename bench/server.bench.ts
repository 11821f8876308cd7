import autocannon from 'autocannon';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployedLogging, startServers, type ChildServer } from './child-servers.ts';
import { fmt, line, median, percentile, post, ratio } from './measure.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1500);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 500);
const CANNON_SECONDS = Number(process.env.BENCH_SECONDS ?? 4);

const GEMINI_PATH = '/v1beta/models/gemini-2.5-flash:generateContent';
const geminiBody = { contents: [{ role: 'user', parts: [{ text: 'ping' }] }], systemInstruction: { parts: [{ text: 'You are a bench agent.' }] } };
const openAiBody = { model: 'bench', messages: [{ role: 'user', content: 'ping' }] };

type Stats = Awaited<ReturnType<ChildServer['stopStats']>>;

interface Targets {
  fake: ChildServer;
  floorA: ChildServer;
  floorB: ChildServer;
  /** Floor (b) with the SDK on AgentLLM's node:http transport: AgentLLM minus this is our own code. */
  floorBNode: ChildServer;
  agentllm: ChildServer;
}

/**
 * The server in front of a fake Gemini vs the fake directly, side by side in one run. Each server
 * runs in its own process as deployed (the fake, floor (a), floor (b), AgentLLM); this process is
 * only the measuring client.
 */
export async function benchServer(): Promise<void> {
  const logDir = await mkdtemp(join(tmpdir(), 'agentllm-bench-logs-'));
  const logFile = join(logDir, 'agentllm.log');
  const { fake, servers, stop } = await startServers(['floor-a', 'floor-b', 'floor-b-node', 'agentllm'], { agentllm: deployedLogging(logFile) });
  const targets: Targets = { fake, floorA: servers['floor-a'], floorB: servers['floor-b'], floorBNode: servers['floor-b-node'], agentllm: servers.agentllm };
  try {
    console.log('AgentLLM logs at info level (one JSON line per request) to a file, as deployed.');
    await addedLatency(targets);
    await longConversation(targets);
    await throughput(targets);
    await streaming(targets);
    const lines = (await readFile(logFile, 'utf8')).split('\n').filter((entry) => entry.includes('"msg":"request"')).length;
    line('request log lines written by AgentLLM', lines.toLocaleString('en'));
  } finally {
    await stop();
    await rm(logDir, { recursive: true, force: true });
  }
}

async function addedLatency(targets: Targets): Promise<void> {
  const runs = {
    direct: () => post(targets.fake.url + GEMINI_PATH, geminiBody),
    floorA: () => post(targets.floorA.url + GEMINI_PATH, geminiBody),
    floorB: () => post(targets.floorB.url + '/v1/chat/completions', openAiBody),
    floorBNode: () => post(targets.floorBNode.url + '/v1/chat/completions', openAiBody),
    agentllm: () => post(targets.agentllm.url + '/v1/chat/completions', openAiBody),
  };
  const samples: Record<keyof typeof runs, number[]> = { direct: [], floorA: [], floorB: [], floorBNode: [], agentllm: [] };
  for (let i = 0; i < 200; i++) for (const run of Object.values(runs)) await run();
  const processes = [targets.floorA, targets.floorB, targets.floorBNode, targets.agentllm];
  await Promise.all(processes.map((server) => server.startStats()));
  for (let i = 0; i < ROUNDS; i++) {
    for (const [name, run] of Object.entries(runs) as [keyof typeof runs, () => ReturnType<typeof post>][]) {
      const result = await run();
      if (result.status !== 200) throw new Error(`${name} answered ${result.status}: ${result.body.slice(0, 200)}`);
      samples[name].push(result.ms);
    }
  }
  const [statsA, statsB, statsBNode, statsUs] = (await Promise.all(processes.map((server) => server.stopStats()))) as [Stats, Stats, Stats, Stats];
  const added = (name: keyof typeof runs) => samples[name].map((ms, i) => ms - samples.direct[i]!);
  const [a, b, bNode, us] = [added('floorA'), added('floorB'), added('floorBNode'), added('agentllm')];
  const cpu = (stats: Stats) => stats.cpuMs / ROUNDS;
  const gc = (stats: Stats) => `${stats.gcPauses.length} / ${stats.gcPauses.length ? fmt(median(stats.gcPauses)) : '-'}`;
  console.log(`\nAdded latency, one request at a time, ${ROUNDS} interleaved rounds (non-streaming, no session; each server in its own process):`);
  line('fake Gemini directly: median / p99', `${fmt(median(samples.direct))} / ${fmt(percentile(samples.direct, 99))}`);
  line('floor (a) node:http keep-alive proxy: median / p99', `${fmt(median(a))} / ${fmt(percentile(a, 99))}`);
  line('floor (b) proxy through @google/genai: median / p99', `${fmt(median(b))} / ${fmt(percentile(b, 99))}`);
  line("floor (b′) the same on AgentLLM's transport: median / p99", `${fmt(median(bNode))} / ${fmt(percentile(bNode, 99))}`);
  line('AgentLLM: median / p99', `${fmt(median(us))} / ${fmt(percentile(us, 99))}`);
  line('AgentLLM median ÷ floor (b)', ratio(median(us), median(b)), 'goal ≤ 1.2×');
  line("transport's saving: floor (b) − floor (b′) median", fmt(median(b) - median(bNode)), '(the SDK HTTP path, shrunk)');
  line("our own code: AgentLLM − floor (b′) median", fmt(median(us) - median(bNode)), `(${ratio(median(us), median(bNode))} floor (b′))`);
  line('AgentLLM median ÷ floor (a)', ratio(median(us), median(a)), '(what is left of the SDK, and our code)');
  line('AgentLLM p99 added', fmt(percentile(us, 99)), 'goal ≤ 3 ms');
  line("server CPU per request: floor (a) / (b) / (b′)", `${fmt(cpu(statsA))} / ${fmt(cpu(statsB))} / ${fmt(cpu(statsBNode))}`);
  line('server CPU per request: AgentLLM', fmt(cpu(statsUs)), `(${fmt(cpu(statsUs) - cpu(statsBNode))} above floor (b′))`);
  line('young-gen GC pauses, floor (b) process: count / median', gc(statsB));
  line('young-gen GC pauses, AgentLLM process: count / median', gc(statsUs), `(over ${ROUNDS} requests)`);
}

/**
 * Open WebUI resends the whole conversation on every turn: 20 earlier exchanges (about 24 KB) and
 * the new question. Our own cost should not grow with what was already said (every earlier user
 * message is checked for credentials; the outcome is remembered).
 */
async function longConversation(targets: Targets): Promise<void> {
  const exchange = 'We are planning the release of the billing service. The migration touches the invoices table, the payment gateway adapter and the nightly reconciliation job; the team wants a rollback plan and a list of risks before Friday. ';
  const messages = Array.from({ length: 20 }, (_, i) => [
    { role: 'user', content: `${i + 1}. ${exchange.repeat(3)}` },
    { role: 'assistant', content: exchange.repeat(2) },
  ]).flat();
  const body = { model: 'bench', messages: [...messages, { role: 'user', content: 'So what is the plan?' }] };
  const rounds = Math.max(100, Math.round(ROUNDS / 3));
  const samples = { floor: [] as number[], agentllm: [] as number[] };
  for (let i = 0; i < rounds + 100; i++) {
    const floor = await post(targets.floorBNode.url + '/v1/chat/completions', body);
    const through = await post(targets.agentllm.url + '/v1/chat/completions', body);
    if (floor.status !== 200 || through.status !== 200) throw new Error(`long conversation answered ${floor.status} / ${through.status}: ${through.body.slice(0, 200)}`);
    if (i < 100) continue;
    samples.floor.push(floor.ms);
    samples.agentllm.push(through.ms);
  }
  console.log(`\nA ${body.messages.length}-message conversation resent whole (${(JSON.stringify(body).length / 1024).toFixed(0)} KB, as Open WebUI does), ${rounds} interleaved rounds:`);
  line("floor (b′) / AgentLLM: median", `${fmt(median(samples.floor))} / ${fmt(median(samples.agentllm))}`);
  line("our own code: AgentLLM − floor (b′) median", fmt(median(samples.agentllm) - median(samples.floor)), '(vs a one-message request above)');
}

async function throughput(targets: Targets): Promise<void> {
  const run = (url: string, body: unknown) =>
    autocannon({ url, method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, connections: 50, duration: CANNON_SECONDS });
  const direct = await run(targets.fake.url + GEMINI_PATH, geminiBody);
  const floor = await run(targets.floorB.url + '/v1/chat/completions', openAiBody);
  const floorNode = await run(targets.floorBNode.url + '/v1/chat/completions', openAiBody);
  const through = await run(targets.agentllm.url + '/v1/chat/completions', openAiBody);
  console.log(`\nThroughput, 50 connections, ${CANNON_SECONDS} s each (client, server and fake in separate processes, 2 cores shared):`);
  line('fake Gemini directly (req/s)', direct.requests.average.toFixed(0), `errors ${direct.errors + direct.non2xx}`);
  line('floor (b) proxy through @google/genai (req/s)', floor.requests.average.toFixed(0), `errors ${floor.errors + floor.non2xx}`);
  line("floor (b′) the same on AgentLLM's transport (req/s)", floorNode.requests.average.toFixed(0), `errors ${floorNode.errors + floorNode.non2xx}`);
  line('through AgentLLM (req/s)', through.requests.average.toFixed(0), `errors ${through.errors + through.non2xx}`);
  line('AgentLLM ÷ floor (b)', ratio(through.requests.average, floor.requests.average), 'as close to 1× as possible');
  line("AgentLLM ÷ floor (b′)", ratio(through.requests.average, floorNode.requests.average), '(our own code under load)');
  line('AgentLLM ÷ direct', ratio(through.requests.average, direct.requests.average));
}

async function streaming(targets: Targets): Promise<void> {
  await targets.fake.setDefault({ chunks: [{ text: 'FIRST' }, { text: ' two' }, { text: ' three' }, { text: ' four' }, { text: ' five' }], delayMs: 50, stampChunks: true });
  const streamPath = '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse';
  const samples = { direct: [] as number[], floor: [] as number[], floorNode: [] as number[], through: [] as number[] };
  const timeToFirst = { floor: [] as number[], through: [] as number[] };
  const sample = async (url: string, body: unknown, delays: number[], sinceRequest?: number[]) => {
    const first = await firstChunk(url, body);
    delays.push(first.delayMs);
    sinceRequest?.push(first.sinceRequestMs);
  };
  for (let i = 0; i < 100; i++) {
    await sample(targets.fake.url + streamPath, geminiBody, samples.direct);
    await sample(targets.floorB.url + '/v1/chat/completions', { ...openAiBody, stream: true }, samples.floor, timeToFirst.floor);
    await sample(targets.floorBNode.url + '/v1/chat/completions', { ...openAiBody, stream: true }, samples.floorNode);
    await sample(targets.agentllm.url + '/v1/chat/completions', { ...openAiBody, stream: true }, samples.through, timeToFirst.through);
  }
  const added = (values: number[]) => values.map((ms, i) => ms - samples.direct[i]!);
  console.log('\nStreaming, first chunk: from the fake writing it to the client reading it (same monotonic clock), 100 interleaved rounds:');
  line('fake Gemini directly (loopback only): median / p95', `${fmt(median(samples.direct))} / ${fmt(percentile(samples.direct, 95))}`);
  line('floor (b) generateContentStream proxy: median / p95', `${fmt(median(samples.floor))} / ${fmt(percentile(samples.floor, 95))}`);
  line("floor (b′) the same on AgentLLM's transport: median / p95", `${fmt(median(samples.floorNode))} / ${fmt(percentile(samples.floorNode, 95))}`);
  line('AgentLLM: median / p95', `${fmt(median(samples.through))} / ${fmt(percentile(samples.through, 95))}`, 'goal ≤ 1 ms median');
  line("our own code: AgentLLM − floor (b′) median", fmt(median(samples.through) - median(samples.floorNode)));
  line('AgentLLM added to loopback: median', fmt(median(added(samples.through))));
  line('time to first chunk from the request: floor (b) / AgentLLM', `${fmt(median(timeToFirst.floor))} / ${fmt(median(timeToFirst.through))}`, '(includes request set-up)');

  const start = performance.now();
  const results = await Promise.allSettled(Array.from({ length: STREAMS }, () => post(targets.agentllm.url + '/v1/chat/completions', { ...openAiBody, stream: true })));
  const failed = results.filter((result) => result.status === 'rejected' || result.value.status !== 200 || !result.value.body.includes('data: [DONE]')).length;
  line(`${STREAMS} concurrent streams, 5 chunks × 50 ms: errors`, String(failed), 'goal 0');
  line(`${STREAMS} concurrent streams: wall time`, fmt(performance.now() - start), '(≥ 250 ms by construction)');
}

const FIRST_STAMP = /FIRST@(\d+)\D/;

/** From the fake writing its first chunk (the stamp in its text) to this process reading it, and from the request. */
async function firstChunk(url: string, body: unknown): Promise<{ delayMs: number; sinceRequestMs: number }> {
  const result = await post(url, body, { marker: FIRST_STAMP });
  const stamp = FIRST_STAMP.exec(result.body);
  if (result.status !== 200 || !stamp || result.markerAt === undefined) throw new Error(`${url} streamed no stamped first chunk: ${result.body.slice(0, 200)}`);
  return { delayMs: Number(result.markerAt - BigInt(stamp[1]!)) / 1e6, sinceRequestMs: result.markerMs! };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchServer();
  process.exit(0);
}
