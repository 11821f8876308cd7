/**
 * A broken model upstream never breaks the server: whatever bytes a faulty Gemini (or a proxy in
 * between) sends, the client gets an OpenAI error (non-streaming) or a stream ending in an error
 * event, nothing of the failed turn is stored in its session, the process stays up, and the next
 * request to a healthy upstream is answered.
 */
import { agentYaml } from '../../e2e/stack.ts';
import { HEALTHY_TEXT, healthyAnswer, startFaultyGemini, type FaultyGemini } from '../../fakes/faulty-gemini-server.ts';
import { toPlannedAnswer, upstreamFault, type FaultKind, type UpstreamFault } from '../arbitraries/upstream-fault.ts';
import { expectErrorResponse, expectServerUp, expectStreamEndsInError, postChat, withDeathReport } from '../harness/chat-outcome.ts';
import { tally, type FuzzCounters, type FuzzProperty } from '../harness/fuzz-property.ts';
import { startFuzzServer, type FuzzServer } from '../harness/fuzz-server.ts';

interface Context {
  fake: FaultyGemini;
  server: FuzzServer;
  turns: number;
}

const AGENT = 'fuzz-agent';
const USER = 'fuzzer';
/** How long a hang-up may take to reach the turn; then, a window longer than any retry backoff of the fuzz server. */
const ABORT_GRACE_MS = 50;
const RETRY_WINDOW_MS = 400;

/** The property over faults of `kinds`; every such property shares one server (same `start`). */
export function upstreamFaultsProperty(name: string, kinds: readonly FaultKind[], shortRuns: number): FuzzProperty<UpstreamFault, Context> {
  return {
    name,
    claim: `an upstream fault (${kinds.join(', ')}) ends in an OpenAI error or a stream's error event; nothing is stored; the server stays up`,
    shortRuns,
    arbitrary: upstreamFault(kinds),
    start: startContext,
    check: checkFault,
    stop: stopContext,
  };
}

async function startContext(): Promise<Context> {
  const fake = await startFaultyGemini();
  const server = await startFuzzServer({ agents: { 'fuzz.yaml': agentYaml(AGENT) }, upstreamUrl: fake.url }).catch(async (error: unknown) => {
    await fake.close();
    throw error;
  });
  return { fake, server, turns: 0 };
}

async function stopContext(context: Context): Promise<void> {
  await context.server.stop();
  await context.fake.close();
}

async function checkFault(context: Context, fault: UpstreamFault, counters: FuzzCounters): Promise<void> {
  await context.server.ensureUp();
  await withDeathReport(context.server, () => checkFaultOnce(context, fault, counters));
}

async function checkFaultOnce(context: Context, fault: UpstreamFault, counters: FuzzCounters): Promise<void> {
  const { fake, server } = context;
  fake.setPlan((request) => toPlannedAnswer(fault, request.stream));
  counters.faults++;
  const turn = ++context.turns;
  const body = JSON.stringify({ model: AGENT, stream: fault.stream, messages: [{ role: 'user', content: `question ${turn}` }] });
  const headers = { 'X-OpenWebUI-User-Id': USER, 'X-OpenWebUI-Chat-Id': `fuzz-chat-${turn}` };
  if (fault.clientAbortMs !== null) {
    // The client hangs up mid-way: what it got is moot; the turn must stop (no new call to Gemini
    // after a moment's grace, so nothing healthy can arrive for it later), store nothing, and the server stay up.
    tally(counters, `${fault.kind}: client hung up`);
    await postChat(server.url, body, headers, fault.clientAbortMs).catch(() => undefined);
    await sleep(ABORT_GRACE_MS);
    const calls = fake.requests;
    await sleep(RETRY_WINDOW_MS);
    if (fake.requests > calls) throw new Error(`Gemini was called again ${RETRY_WINDOW_MS} ms after the client hung up`);
  } else {
    const outcome = await postChat(server.url, body, headers);
    tally(counters, `${fault.kind}: ${outcome.status}`);
    if (fault.stream) expectStreamEndsInError(outcome);
    else expectErrorResponse(outcome);
  }
  await expectHealthyAnswer(context);
  const stored = await server.readSessionFile({ userId: USER, sessionId: `fuzz-chat-${turn}` });
  if (stored !== undefined) throw new Error(`the failed turn was stored: ${stored.slice(0, 600)}`);
}

/** After the fault: the upstream is healthy again, and an ordinary question (no session) is answered. */
async function expectHealthyAnswer({ fake, server }: Context): Promise<void> {
  fake.setPlan(healthyAnswer);
  await expectServerUp(server);
  const outcome = await postChat(server.url, JSON.stringify({ model: AGENT, messages: [{ role: 'user', content: 'are you there?' }] }));
  const content = (JSON.parse(outcome.text) as { choices?: { message?: { content?: string } }[] }).choices?.[0]?.message?.content;
  if (outcome.status !== 200 || content !== HEALTHY_TEXT) throw new Error(`after the fault, a healthy turn got ${outcome.status}: ${outcome.text.slice(0, 300)}`);
  await expectServerUp(server);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
