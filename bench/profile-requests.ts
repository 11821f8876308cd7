/**
 * Ad-hoc profiler of the request path (not part of `npm run bench`):
 *   node --import tsx bench/profile-requests.ts [--stream] [--floor] [--load] [--alloc] [--out /tmp/prof/requests.cpuprofile]
 * Starts the fake Gemini and the server each in its own process (as the server benchmark does),
 * warms up, then profiles the SERVER process during the request loop only (start-up module loading
 * and the client are left out). Prints the time and the server's CPU time per request.
 * `--alloc` records a sampling heap profile (allocations by function, .heapprofile) instead.
 * `--load` drives 50 concurrent connections with autocannon for 4 s instead of one request at a time.
 * `--floor` profiles floor (b) (node:http + @google/genai) instead of AgentLLM, `--floor-node` floor (b′) (the same on AgentLLM's transport).
 */
import autocannon from 'autocannon';
import { deployedLogging, startServers } from './child-servers.ts';
import { post } from './measure.ts';

const ROUNDS = Number(process.env.PROFILE_ROUNDS ?? 4000);
const stream = process.argv.includes('--stream');
const alloc = process.argv.includes('--alloc');
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1]! : `/tmp/prof/requests.${alloc ? 'heapprofile' : 'cpuprofile'}`;
const role = process.argv.includes('--floor-node') ? 'floor-b-node' : process.argv.includes('--floor') ? 'floor-b' : 'agentllm';

// AgentLLM logs at info to a file, as the server benchmark runs it.
const { servers, stop } = await startServers([role], { agentllm: deployedLogging('/tmp/agentllm-profile.log') });
const target = servers[role];
try {
  const body = { model: 'bench', messages: [{ role: 'user', content: 'ping' }], stream };
  for (let i = 0; i < 500; i++) await post(target.url + '/v1/chat/completions', body);
  await target.startStats();
  await target.startProfile(alloc);
  const start = performance.now();
  const rounds = process.argv.includes('--load') ? await runLoad(target.url, body) : await runSequential(target.url, body);
  const perRequest = (performance.now() - start) / rounds;
  await target.stopProfile(out);
  const { cpuMs, gcPauses } = await target.stopStats();
  console.log(`${role}: ${rounds} requests, ${perRequest.toFixed(3)} ms per request, server CPU ${(cpuMs / rounds).toFixed(3)} ms per request (profiler on), ${gcPauses.length} young-gen GC pauses; profile: ${out}`);
} finally {
  await stop();
}
process.exit(0);

async function runSequential(url: string, payload: object): Promise<number> {
  for (let i = 0; i < ROUNDS; i++) await post(url + '/v1/chat/completions', payload);
  return ROUNDS;
}

async function runLoad(url: string, payload: object): Promise<number> {
  const result = await autocannon({ url: url + '/v1/chat/completions', method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' }, connections: 50, duration: 4 });
  return result.requests.total;
}
