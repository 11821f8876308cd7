/**
 * Ad-hoc profiler of the request path (not part of `npm run bench`):
 *   node --import tsx bench/profile-requests.ts [--stream] [--floor] [--alloc] [--out /tmp/prof/requests.cpuprofile]
 * Warms up, then records a CPU profile of the request loop only (start-up module loading is left
 * out), and prints the time per request and how many connections the fake Gemini saw.
 * `--alloc` records a sampling heap profile (allocations by function, .heapprofile) instead.
 * `--load` drives 50 concurrent connections with autocannon for 4 s instead of one request at a time.
 * `--floor` profiles floor (b) (node:http + @google/genai) instead of AgentLLM.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveServeSettings } from '../src/cli/settings.ts';
import { startApp } from '../src/cli/start-app.ts';
import { createSilentLogger } from '../src/logger.ts';
import { startFakeGemini } from '../test/fakes/gemini-server.ts';
import { startSdkProxy } from './floors.ts';
import autocannon from 'autocannon';
import { countConnections, post } from './measure.ts';

const ROUNDS = Number(process.env.PROFILE_ROUNDS ?? 4000);
const stream = process.argv.includes('--stream');
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1]! : '/tmp/prof/requests.cpuprofile';

const fake = await startFakeGemini({ record: false, defaultReply: { chunks: [{ text: 'pong' }] } });
const connections = countConnections(fake.url);
const target = process.argv.includes('--floor') ? await startSdkProxy(fake.url) : await startAgentLLM(fake.url);
const body = { model: 'bench', messages: [{ role: 'user', content: 'ping' }], stream };
for (let i = 0; i < 500; i++) await post(target.url + '/v1/chat/completions', body);

const session = new Session();
session.connect();
const alloc = process.argv.includes('--alloc');
if (alloc) await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
else {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}
const start = performance.now();
const rounds = process.argv.includes('--load') ? await runLoad(target.url, body) : await runSequential(target.url, body);
const perRequest = (performance.now() - start) / rounds;
const { profile } = alloc ? await session.post('HeapProfiler.stopSampling') : await session.post('Profiler.stop');
await mkdir(dirname(out), { recursive: true });
await writeFile(out, JSON.stringify(profile));
console.log(`${rounds} requests, ${perRequest.toFixed(3)} ms per request; fake Gemini saw ${connections.count()} connection(s); profile: ${out}`);
await target.close(100);
await fake.close();
process.exit(0);

async function startAgentLLM(fakeUrl: string): Promise<{ url: string; close(graceMs?: number): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'agentllm-prof-'));
  await mkdir(join(root, 'agents'));
  await writeFile(join(root, 'agents', 'bench.yaml'), 'name: bench\ndescription: Bench agent.\ninstructions: You are a bench agent.\n');
  const settings = resolveServeSettings(
    { port: '0', host: '127.0.0.1', agents: join(root, 'agents'), toolkits: join(import.meta.dirname, '../toolkits'), data: join(root, 'data') },
    { GEMINI_API_KEY: 'k', GEMINI_BASE_URL: fakeUrl },
  );
  return startApp(settings, createSilentLogger());
}

async function runSequential(url: string, payload: object): Promise<number> {
  for (let i = 0; i < ROUNDS; i++) await post(url + '/v1/chat/completions', payload);
  return ROUNDS;
}

async function runLoad(url: string, payload: object): Promise<number> {
  const result = await autocannon({ url: url + '/v1/chat/completions', method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' }, connections: 50, duration: 4 });
  return result.requests.total;
}
