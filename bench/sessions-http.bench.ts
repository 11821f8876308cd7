// Sessions through HTTP: what a chat request with a stored session costs (history read, the run
// appended) with 10 vs 100,000 sessions in the data directory, and the longest event-loop stall in
// the server meanwhile. Open WebUI-style headers; each request sends only its newest message, so
// the server puts the stored runs before it and appends the new run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deployedLogging, startChildServer, type ChildServer } from './child-servers.ts';
import { fmt, line, median, percentile, post, ratio } from './measure.ts';
import { writeSessionFiles } from './store.bench.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1500);
const ACTIVE_SESSIONS = 10;
const BIG_COUNT = 100_000;

export async function benchSessionsHttp(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'agentllm-bench-sessions-'));
  const started: ChildServer[] = [];
  try {
    const seeded = performance.now();
    const [smallKeys] = await Promise.all([writeSessionFiles(join(root, 'small'), ACTIVE_SESSIONS), writeSessionFiles(join(root, 'big'), BIG_COUNT)]);
    const seedSeconds = (performance.now() - seeded) / 1000;
    const fake = await startChildServer('fake');
    started.push(fake);
    const start = async (name: string) => {
      const options = deployedLogging(join(root, `${name}.log`));
      const server = await startChildServer('agentllm', fake.url, { ...options, env: { ...options.env, BENCH_DATA_DIR: join(root, name) } });
      started.push(server);
      return server;
    };
    const small = await start('small');
    const big = await start('big');
    const request = (server: ChildServer, n: number) => {
      const key = smallKeys[n % ACTIVE_SESSIONS]!; // the same user/chat ids exist in both data directories
      const headers = { 'X-OpenWebUI-User-Id': key.userId, 'X-OpenWebUI-Chat-Id': key.sessionId! };
      return post(`${server.url}/v1/chat/completions`, { model: 'bench', messages: [{ role: 'user', content: `question ${n}` }] }, { headers });
    };
    const noSession = (server: ChildServer) => post(`${server.url}/v1/chat/completions`, { model: 'bench', messages: [{ role: 'user', content: 'ping' }] });
    for (let n = 0; n < 200; n++) for (const server of [small, big]) await request(server, n);
    await Promise.all([small.startStats(), big.startStats()]);
    const samples = { small: [] as number[], big: [] as number[], none: [] as number[] };
    for (let n = 0; n < ROUNDS; n++) {
      samples.small.push(await timed(request(small, n)));
      samples.big.push(await timed(request(big, n)));
      samples.none.push(await timed(noSession(small)));
    }
    const [statsSmall, statsBig] = await Promise.all([small.stopStats(), big.stopStats()]);
    console.log(`Chat requests with a stored session (history read + run appended), ${ROUNDS} interleaved rounds over ${ACTIVE_SESSIONS} active sessions; ${BIG_COUNT.toLocaleString('en')} session files seeded in ${seedSeconds.toFixed(1)} s:`);
    line('no session: median / p99', `${fmt(median(samples.none))} / ${fmt(percentile(samples.none, 99))}`);
    line(`${ACTIVE_SESSIONS} stored sessions: median / p99`, `${fmt(median(samples.small))} / ${fmt(percentile(samples.small, 99))}`);
    line(`${BIG_COUNT.toLocaleString('en')} stored sessions: median / p99`, `${fmt(median(samples.big))} / ${fmt(percentile(samples.big, 99))}`);
    line('session cost (10 sessions, median − no session)', fmt(median(samples.small) - median(samples.none)));
    line(`${BIG_COUNT.toLocaleString('en')} ÷ ${ACTIVE_SESSIONS} sessions, medians`, ratio(median(samples.big), median(samples.small)), 'goal ≤ 1.2×');
    line('longest event-loop stall in the server (10 / 100,000)', `${fmt(statsSmall.eventLoopMaxMs)} / ${fmt(statsBig.eventLoopMaxMs)}`, 'goal ≤ 20 ms');
  } finally {
    await Promise.all(started.map((server) => server.stop()));
    await rm(root, { recursive: true, force: true });
  }
}

async function timed(pending: ReturnType<typeof post>): Promise<number> {
  const result = await pending;
  if (result.status !== 200) throw new Error(`answered ${result.status}: ${result.body.slice(0, 200)}`);
  return result.ms;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchSessionsHttp();
  process.exit(0);
}
