import type { ConversationItem, StoredRun, UserInfo } from '../conversation.ts';
import { invalidRequest } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ModelClient } from '../model/model-client.ts';
import type { SessionKey, Store } from '../store/store.ts';
import type { Env } from '../toolkit/plugin.ts';
import type { AgentCache, BuiltAgent } from './agent-cache.ts';
import { assembleConversation, CONTINUE_INSTRUCTION, splitTurn, type SplitTurn } from './assemble-history.ts';
import { buildAgent } from './build-agent.ts';
import { decideContinuation, decideTurn, type FlowContext, type FlowDecision } from './credential-flow.ts';
import { isBackgroundTask } from './detect-task.ts';
import { loadToolkitInstructions, mergeInstructions } from './load-instructions.ts';
import { resolveSettings } from './model-settings.ts';
import { redactConversation, redactMessage } from './redact-conversation.ts';
import { createCredentialRejectedHandler, type OnCredentialRejected } from './reject-credential.ts';
import { renderSystem } from './render-system.ts';
import { emptyOutcome, runToolLoop, type LoopInput, type LoopOutcome } from './tool-loop.ts';
import { NO_SESSION, type RunTurn, type TurnEvent, type TurnRequest } from './turn.ts';

export interface RunDependencies {
  model: ModelClient;
  store: Store;
  env: Env;
  logger: Logger;
  cache: AgentCache;
  oauth: { stateKey: Buffer; publicUrl: string };
  /** Tool timeout of agents without `tool_timeout_ms` (AGENTLLM_TOOL_TIMEOUT_MS, read by serve's settings). */
  toolTimeoutMs: number;
}

const NO_TOOLS: BuiltAgent = { tools: [], toolkitInstructions: {} };

export function createRunTurn(deps: RunDependencies): RunTurn {
  return async function* runTurn(sent: TurnRequest): AsyncGenerator<TurnEvent> {
    // A client may put a token in a system message too: none reaches the model.
    const request = { ...sent, system: sent.system.map((text) => redactMessage(sent.snapshot, text)) };
    const split = splitTurn(request.messages);
    if (!split) throw invalidRequest('the conversation must end with a user message, or with an assistant answer to continue after one', 'messages');
    if (isBackgroundTask(request.messages, request.task)) return yield* answerTask(deps, request, redactConversation(request.snapshot, request.messages));
    // The question is redacted by the credential flow (decision.userText), which must see it whole.
    const turn = { ...split, earlier: redactConversation(request.snapshot, split.earlier), partial: split.partial && redactMessage(request.snapshot, split.partial) };
    const session = { userId: request.user.id, sessionId: request.sessionId ?? NO_SESSION };
    const storedRuns = await readStoredRuns(deps, request, session);
    const decision = redactUserText(request, await decide(deps, request, session, turn));
    if (decision.kind === 'reply') return yield* reply(deps, request, session, decision);
    // The agent's run is inlined here rather than delegated to another generator: every generator
    // layer costs a few promise hops per event.
    const { loop, question } = await prepareRun(deps, request, { turn, storedRuns }, decision);
    if (decision.prefix) yield { type: 'text', text: decision.prefix };
    const outcome = emptyOutcome(request.meter);
    yield* runToolLoop(loop, outcome);
    const answer = (turn.partial ?? '') + decision.prefix + outcome.answer;
    await saveRun(deps, request, session, { at: new Date().toISOString(), user: question, answer, tools: outcome.tools });
    yield doneEvent(outcome);
  };
}

/** A new question goes through the credential flow; a continued answer does not act on its question again. */
function decide(deps: RunDependencies, request: TurnRequest, session: SessionKey, turn: SplitTurn): Promise<FlowDecision> {
  const context = flowContext(deps, request, session);
  if (turn.partial === undefined) return decideTurn(context, turn.question);
  return decideContinuation(context, redactMessage(request.snapshot, turn.question));
}

function doneEvent(outcome: LoopOutcome): TurnEvent {
  return { type: 'done', finishReason: outcome.finishReason, usage: { ...outcome.meter.usage } };
}

function flowContext(deps: RunDependencies, request: TurnRequest, session: SessionKey): FlowContext {
  const { snapshot, agent, user, signal } = request;
  return { snapshot, agent, user, session, signal, store: deps.store, env: deps.env, cache: deps.cache, oauth: deps.oauth, logger: deps.logger };
}

/**
 * The flow redacts the credential it acted on; a message may carry more (two toolkits' credentials,
 * or a token pasted in a message that revokes): none may reach the history or the model.
 */
function redactUserText<T extends FlowDecision>(request: TurnRequest, decision: T): T {
  return { ...decision, userText: redactMessage(request.snapshot, decision.userText) };
}

/** Open WebUI background tasks: the agent's model, no tools, no history, nothing stored. */
async function* answerTask(deps: RunDependencies, request: TurnRequest, messages: ConversationItem[]): AsyncGenerator<TurnEvent> {
  const outcome = emptyOutcome(request.meter);
  const settings = resolveSettings(request.agent, request.settings);
  const loop = { model: deps.model, modelId: request.agent.model.id, system: request.system.join('\n\n'), messages, tools: [], settings, maxSteps: 1, toolTimeoutMs: 0, stream: request.stream, signal: request.signal };
  yield* runToolLoop(loop, outcome);
  yield doneEvent(outcome);
}

async function* reply(deps: RunDependencies, request: TurnRequest, session: SessionKey, decision: FlowDecision & { kind: 'reply' }): AsyncGenerator<TurnEvent> {
  yield { type: 'text', text: decision.text };
  await saveRun(deps, request, session, { at: new Date().toISOString(), user: decision.userText, answer: decision.text, tools: [] });
  yield { type: 'done', finishReason: 'stop', usage: { ...request.meter.usage } };
}

/** Everything the agent's tool loop needs: history, the user's tools, the rendered system instruction. */
async function prepareRun(
  deps: RunDependencies,
  request: TurnRequest,
  { turn, storedRuns }: { turn: SplitTurn; storedRuns: StoredRun[] },
  decision: FlowDecision & { kind: 'run' },
): Promise<{ loop: LoopInput; question: string }> {
  const { agent, user } = request;
  const question = decision.question ?? decision.userText;
  const latest: ConversationItem[] = [{ role: 'user', text: question }];
  if (turn.partial !== undefined) latest.push({ role: 'assistant', text: turn.partial }, { role: 'user', text: CONTINUE_INSTRUCTION });
  const settings = resolveSettings(agent, request.settings);
  const onCredentialRejected = createCredentialRejectedHandler({ store: deps.store, cache: deps.cache, logger: deps.logger, user, agent: agent.name });
  const [built, loaded] = await Promise.all([
    userAgent(deps, request, decision, settings, onCredentialRejected),
    loadToolkitInstructions({ configured: decision.configured, user, store: deps.store, env: deps.env, logger: deps.logger, agent: agent.name, onCredentialRejected }),
  ]);
  const toolkitInstructions = mergeInstructions(built.toolkitInstructions, loaded);
  const system = renderSystem({ agent, user, toolkitInstructions, clientSystem: request.system });
  const conversation = assembleConversation({ earlier: turn.earlier, latest, wholeConversation: sentWhole(request), storedRuns, historyRuns: agent.historyRuns });
  const loop = { model: deps.model, modelId: agent.model.id, system, messages: conversation, tools: built.tools, settings, maxSteps: agent.maxSteps, toolTimeoutMs: agent.toolTimeoutMs ?? deps.toolTimeoutMs, stream: request.stream, signal: request.signal };
  return { loop, question };
}

/**
 * Opens the session before anything acts on the turn, so that a corrupt file fails the request
 * now (session_unreadable) rather than after the model answered. Its runs are only used when the
 * client sent just its newest message; a client that sends the whole conversation gets none.
 */
function readStoredRuns(deps: RunDependencies, request: TurnRequest, session: SessionKey): Promise<StoredRun[]> {
  if (!request.sessionId) return Promise.resolve([]);
  return deps.store.sessions.getRuns(session, sentWhole(request) ? 0 : request.agent.historyRuns);
}

/** The request's messages are the conversation (see TurnRequest.wholeConversation). */
function sentWhole(request: TurnRequest): boolean {
  return request.wholeConversation ?? request.messages.length > 1;
}

function userAgent(
  deps: RunDependencies,
  request: TurnRequest,
  decision: FlowDecision & { kind: 'run' },
  settings: { temperature?: number; maxTokens?: number },
  onCredentialRejected: OnCredentialRejected,
): Promise<BuiltAgent> {
  const { agent, user, snapshot } = request;
  if (decision.configured.length === 0) return Promise.resolve(NO_TOOLS);
  const key = {
    snapshotVersion: snapshot.version,
    agent: agent.name,
    temperature: settings.temperature,
    maxTokens: settings.maxTokens,
    userId: user.id,
    toolkits: decision.configured.map((state) => state.use.name),
  };
  return deps.cache.getOrBuild(key, () => buildAgent({ agent, configured: decision.configured, user, store: deps.store, env: deps.env, onCredentialRejected }));
}

/**
 * The conversation's stored copy follows what the client sent: a run answering turn n of a whole
 * conversation replaces the stored runs from turn n on (regenerate, edit, continue); a client
 * that sends only its newest message adds one run.
 */
async function saveRun(deps: RunDependencies, request: TurnRequest, session: SessionKey, run: StoredRun): Promise<void> {
  if (!request.sessionId) return;
  if (!sentWhole(request)) return deps.store.sessions.appendRun(session, run);
  const turn = request.messages.filter((item) => item.role === 'user').length;
  await deps.store.sessions.putRun(session, { ...run, turn });
}

export type { UserInfo };
