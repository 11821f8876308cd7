/**
 * Store benchmark. Run alone with `npx tsx bench/store.bench.ts`, or through bench/main.ts.
 * (a) per-request cost (getRuns + appendRun on one session) with 10 vs 100,000 stored sessions;
 * (b) the longest event-loop stall while appending to a session of 200 long runs.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { StoredRun } from '../src/conversation.ts';
import { createFileStore } from '../src/store/file-store.ts';
import { sessionFile } from '../src/store/shard-path.ts';
import type { SessionKey, Store } from '../src/store/store.ts';

const BENCH_KEY = '0'.repeat(64);
const OPS = 2_000;
const WARMUP_OPS = 200;
const ACTIVE_SESSIONS = 10;
const BIG_COUNT = 100_000;
const SESSIONS_PER_USER = 20;

export async function benchStore(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'agentllm-bench-store-'));
  try {
    console.log('## store');
    await benchRequestCost(root);
    await benchEventLoopStall(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function benchRequestCost(root: string): Promise<void> {
  const small = await prepareStore(join(root, 'small'), ACTIVE_SESSIONS);
  const big = await prepareStore(join(root, 'big'), BIG_COUNT);
  // Ops alternate between the two stores, so load from other processes hits both alike.
  const timings = { small: [] as number[], big: [] as number[] };
  for (let op = 0; op < WARMUP_OPS + OPS; op++) {
    for (const [name, target] of [['small', small], ['big', big]] as const) {
      const elapsed = await timeRequest(target.store, target.keys[op % ACTIVE_SESSIONS]!, op);
      if (op >= WARMUP_OPS) timings[name].push(elapsed);
    }
  }
  await Promise.all([small.store.flush(), big.store.flush()]);
  const [s, b] = [summarize(timings.small), summarize(timings.big)];
  const ratio = b.median / s.median;
  console.log(`per request (getRuns + appendRun), ${OPS} ops over ${ACTIVE_SESSIONS} sessions:`);
  console.log(`  ${ACTIVE_SESSIONS.toLocaleString('en')} stored sessions:      median ${fmt(s.median)} ms, p99 ${fmt(s.p99)} ms`);
  console.log(`  ${BIG_COUNT.toLocaleString('en')} stored sessions: median ${fmt(b.median)} ms, p99 ${fmt(b.p99)} ms (files generated in ${fmt(big.setupMs / 1000)} s)`);
  console.log(`  ratio of medians: ${ratio.toFixed(2)} (goal <= 1.2) ${ratio <= 1.2 ? 'OK' : 'MISSED'}`);
}

async function prepareStore(dataDir: string, stored: number): Promise<{ store: Store; keys: SessionKey[]; setupMs: number }> {
  const started = performance.now();
  const keys = await writeSessionFiles(dataDir, stored);
  const setupMs = performance.now() - started;
  return { store: await createFileStore({ dataDir, secretKey: BENCH_KEY }), keys, setupMs };
}

async function timeRequest(store: Store, key: SessionKey, op: number): Promise<number> {
  const t0 = performance.now();
  await store.sessions.getRuns(key, 20);
  await store.sessions.appendRun(key, shortRun(op));
  return performance.now() - t0;
}

function summarize(timings: number[]): { median: number; p99: number } {
  const sorted = [...timings].sort((a, b) => a - b);
  return { median: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

/** Writes `count` session files straight to disk (the store's layout), in parallel batches. */
export async function writeSessionFiles(dataDir: string, count: number): Promise<SessionKey[]> {
  const keys = Array.from({ length: count }, (_, n) => ({ userId: `user-${Math.floor(n / SESSIONS_PER_USER)}`, sessionId: `chat-${n}` }));
  const content = JSON.stringify({ version: 1, runs: [shortRun(0), shortRun(1), shortRun(2)] });
  const dirs = new Set(keys.map((key) => dirname(join(dataDir, sessionFile(key)))));
  await inBatches([...dirs], 64, (dir) => mkdir(dir, { recursive: true }));
  await inBatches(keys, 256, (key) => writeFile(join(dataDir, sessionFile(key)), content));
  return keys;
}

async function inBatches<T>(items: T[], size: number, action: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(action));
}

async function benchEventLoopStall(root: string): Promise<void> {
  const dataDir = join(root, 'long');
  const key = { userId: 'bench-user', sessionId: 'long-history' };
  const seeding = await createFileStore({ dataDir, secretKey: BENCH_KEY });
  for (let n = 0; n < 200; n++) await seeding.sessions.appendRun(key, longRun(n));
  await seeding.flush();

  const store = await createFileStore({ dataDir, secretKey: BENCH_KEY });
  const loading = monitorEventLoopDelay({ resolution: 1 });
  loading.enable();
  await store.sessions.getRuns(key, 1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  loading.disable();
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  for (let n = 0; n < 50; n++) {
    await store.sessions.getRuns(key, 20);
    await store.sessions.appendRun(key, longRun(200 + n));
  }
  await store.flush();
  histogram.disable();
  const fileKb = JSON.stringify({ runs: Array.from({ length: 200 }, (_, n) => longRun(n)) }).length / 1024;
  const stall = histogram.max / 1e6;
  console.log(`event-loop stall while appending 50 runs to a session of 200 long runs (~${Math.round(fileKb)} KB file):`);
  console.log(`  longest stall ${fmt(stall)} ms, p99 ${fmt(histogram.percentile(99) / 1e6)} ms (goal <= 20 ms) ${stall <= 20 ? 'OK' : 'MISSED'}`);
  console.log(`  (for information: first read of that file into the cache, one JSON.parse, stalled ${fmt(loading.max / 1e6)} ms)`);
}

function shortRun(n: number): StoredRun {
  return { at: new Date(1_700_000_000_000 + n * 1000).toISOString(), user: `Question number ${n}?`, answer: `Answer number ${n}.`, tools: [] };
}

function longRun(n: number): StoredRun {
  const text = (label: string, size: number) => `${label} ${n}: ${'lorem ipsum dolor sit amet '.repeat(Math.ceil(size / 27))}`.slice(0, size);
  return {
    at: new Date(1_700_000_000_000 + n * 1000).toISOString(),
    user: text('question', 1_000),
    answer: text('answer', 6_000),
    tools: [
      { name: 'jira_search', args: { jql: `project = BENCH AND key > ${n}` }, result: { issues: text('issues', 4_000) }, isError: false },
      { name: 'drive_read', args: { fileId: `file-${n}` }, result: text('document', 4_000), isError: false },
    ],
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function fmt(value: number): string {
  return value.toFixed(value < 10 ? 3 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchStore();
}
