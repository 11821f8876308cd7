import type { LoadedAgent } from '../config/definitions.ts';
import type { UserInfo } from '../conversation.ts';
import type { Logger } from '../logger.ts';
import type { RegistrySnapshot } from '../registry/registry.ts';
import type { SessionKey, Store } from '../store/store.ts';
import { asksForFeatures, declinesToolkit, isPlainDecline } from '../toolkit/match-message.ts';
import { looksLikeCredentialAttempt } from '../toolkit/credential-attempt.ts';
import { REDACTED } from '../toolkit/redact-credential.ts';
import { detectCredential, findRejectedSecret, redactCredentials, type DetectedCredential } from '../toolkit/detect-credential.ts';
import { fillFromEnv } from '../toolkit/fill-from-env.ts';
import { renderToolkitMessage } from '../toolkit/render-toolkit-message.ts';
import type { Env } from '../toolkit/plugin.ts';
import type { AgentCache } from './agent-cache.ts';
import { templateContext } from './build-agent.ts';
import { checkPastedState, exchangeOAuthCode } from './oauth.ts';
import { readFlowMemory, saveFlowMemory, type FlowMemory, type PendingQuestion } from './pending-question.ts';
import { promptsFor } from './credential-prompts.ts';
import { redactMessage } from './redact-conversation.ts';
import { resolveToolkits, type ToolkitState } from './resolve-toolkits.ts';
import { revokeCredentials } from './revoke-credentials.ts';
import { logSession } from './turn.ts';

export interface FlowContext {
  snapshot: RegistrySnapshot;
  agent: LoadedAgent;
  user: UserInfo;
  session: SessionKey;
  store: Store;
  env: Env;
  cache: AgentCache;
  oauth: { stateKey: Buffer; publicUrl: string };
  signal: AbortSignal;
  logger: Logger;
}

/**
 * What a turn does before (or instead of) calling the model:
 * - `reply`: answer with this text, no model call (a credential prompt, confirmation, failure, revocation);
 * - `run`: run the agent with the configured toolkits on `question`, after `prefix` (a confirmation
 *   when a credential just arrived and an interrupted question is answered right away).
 * `userText` is the user's message as it may be stored: redacted when it carried a credential.
 */
export type FlowDecision =
  | { kind: 'reply'; text: string; userText: string }
  | { kind: 'run'; configured: ToolkitState[]; question?: string; prefix: string; userText: string };

const ACKNOWLEDGEMENT = /^\s*(done|ok(ay)?|connected|finished|ready|yes|continue|go on|go ahead|thanks?|thank you)\b[\s.!]*$/i;

export async function decideTurn(context: FlowContext, message: string): Promise<FlowDecision> {
  const states = await resolveStates(context);
  const revoked = await revokeCredentials(context, states, message);
  if (revoked) {
    if (revoked.revoked.length > 0) logCredential(context, 'credential_revoked', revoked.revoked);
    return { kind: 'reply', text: revoked.text, userText: message };
  }
  if (states.length === 0) return { kind: 'run', configured: [], prefix: '', userText: message };
  const memory = await readFlowMemory(context.store.sessions, context.session);
  return (await acceptCredential(context, states, message, memory)) ?? (await promptOrRun(context, states, message, memory));
}

/**
 * "Continue response": the user message was acted on when it was first sent (a credential stored, a
 * revocation done), so it is not acted on again. The agent runs with the toolkits it has, unless a
 * required one is still missing: then the turn goes as a new one (the prompt).
 */
export async function decideContinuation(context: FlowContext, userText: string): Promise<FlowDecision> {
  const states = await resolveStates(context);
  if (states.some((state) => state.use.required && !state.credential)) return decideTurn(context, userText);
  return { kind: 'run', configured: states.filter((state) => state.credential), prefix: '', userText };
}

/** Every credential the message carries (one per toolkit) is validated and stored; the reply says how each went. */
async function acceptCredential(context: FlowContext, states: ToolkitState[], message: string, memory: FlowMemory): Promise<FlowDecision | undefined> {
  const found = states.flatMap((state) => {
    const detected = detectCredential(state.toolkit, message);
    return detected ? [{ state, detected }] : [];
  });
  if (found.length === 0) return rejectImplausible(context, states, message);
  const userText = redactCredentials(message, found.map((item) => item.detected));
  const outcomes: StoreOutcome[] = [];
  for (const { state, detected } of found) outcomes.push(await storeCredential(context, state, detected, message));
  const text = outcomes.map((outcome) => outcome.text).join('\n\n');
  if (!outcomes.some((outcome) => outcome.stored)) return { kind: 'reply', text, userText };
  return continueAfterSetup(context, text, userText, memory);
}

/**
 * A value a toolkit's pattern matched that cannot be a token ("my demo-kit token is abc123"): the
 * user hears why (the failure message), nothing is stored, the value is redacted, and a question
 * the prompt interrupted stays remembered.
 */
function rejectImplausible(context: FlowContext, states: ToolkitState[], message: string): FlowDecision | undefined {
  const texts: string[] = [];
  for (const state of states) {
    const rejected = findRejectedSecret(state.toolkit, message);
    if (!rejected) continue;
    logCredential(context, 'credential_rejected', [state], rejected.reason);
    texts.push(renderToolkitMessage(state.toolkit, 'failure', { ...templateContext(context, state), error: rejected.reason }));
  }
  return texts.length === 0 ? undefined : { kind: 'reply', text: texts.join('\n\n'), userText: redactMessage(context.snapshot, message) };
}

type StoreOutcome = { stored: boolean; text: string };

async function storeCredential(context: FlowContext, state: ToolkitState, detected: DetectedCredential, message: string): Promise<StoreOutcome> {
  const { toolkit, use } = state;
  const base = templateContext(context, state);
  const failure = (error: string): StoreOutcome => {
    logCredential(context, 'credential_rejected', [state], error);
    return { stored: false, text: renderToolkitMessage(toolkit, 'failure', { ...base, error }) };
  };
  try {
    const oauth = toolkit.manifest.credential.type === 'oauth2';
    const stateProblem = oauth ? await checkPastedState(context, message) : undefined;
    if (stateProblem) return { stored: false, text: renderToolkitMessage(toolkit, 'failure', { ...base, error: stateProblem }) };
    const given = oauth ? await exchangeOAuthCode(context, state, detected.fields.code ?? '') : fillFromEnv(toolkit.manifest, detected.fields, context.env);
    const check = await toolkit.plugin.validateCredential({ credential: given, config: use.config, env: context.env, signal: context.signal });
    if (!check.ok) return failure(check.error);
    await context.store.credentials.set(context.user.id, use.name, check.credential);
    context.cache.dropUser(context.user.id);
    logCredential(context, 'credential_stored', [state]);
    return { stored: true, text: renderToolkitMessage(toolkit, 'confirmation', { ...base, account: check.account }) };
  } catch (error) {
    return failure(errorText(error));
  }
}

/** A credential just arrived: answer the question its prompt interrupted, if nothing else is missing. */
async function continueAfterSetup(context: FlowContext, confirmation: string, userText: string, memory: FlowMemory): Promise<FlowDecision> {
  const { pending } = memory;
  if (!pending) return { kind: 'reply', text: confirmation, userText };
  const next = await promptOrRun(context, await resolveStates(context), pending.question, memory);
  if (next.kind === 'reply') return { ...next, text: `${confirmation}\n\n${next.text}`, userText };
  return { ...next, question: pending.question, prefix: `${confirmation}\n\n`, userText };
}

async function promptOrRun(context: FlowContext, states: ToolkitState[], message: string, memory: FlowMemory): Promise<FlowDecision> {
  const pending = memory.pending;
  const resumes = pending !== undefined && resumesPending(pending, states, message);
  if (pending && !resumes && looksLikeCredentialAttempt(message)) {
    const again = await promptAgain(context, states, pending);
    if (again) return again;
  }
  const declined = declinedBy(states, message, pending);
  memory.declined = [...new Set([...memory.declined, ...declined])];
  const question = pending && (resumes || declined.length > 0) ? pending.question : message;
  const missingRequired = states.filter((state) => state.use.required && !state.credential);
  const wanted = states.filter((state) => !state.use.required && !state.credential && !memory.declined.includes(state.use.name) && asksForFeatures(state.toolkit, question));
  const prompts = await promptsFor(context, missingRequired.length > 0 ? missingRequired : wanted);
  if (prompts.length > 0) {
    // The question is kept until the credential arrives: redacted, like everything stored.
    const pendingQuestion = { question: redactMessage(context.snapshot, question), waitsFor: prompts.map((prompt) => prompt.state.use.name) };
    await saveFlowMemory(context.store.sessions, context.session, { ...memory, pending: pendingQuestion });
    logCredential(context, 'credential_prompt', prompts.map((prompt) => prompt.state));
    return { kind: 'reply', text: prompts.map((prompt) => prompt.text).join('\n\n'), userText: message };
  }
  if (pending || declined.length > 0) await saveFlowMemory(context.store.sessions, context.session, { ...memory, pending: undefined });
  const configured = states.filter((state) => state.credential);
  return { kind: 'run', configured, question: question === message ? undefined : question, prefix: '', userText: message };
}

/**
 * The optional toolkits this message declines: by name ("skip jira, just answer generally"), or,
 * right after a prompt, all those the prompt asked for ("no thanks"). A required toolkit cannot be declined.
 */
function declinedBy(states: ToolkitState[], message: string, pending: PendingQuestion | undefined): string[] {
  const optional = states.filter((state) => !state.use.required && !state.credential);
  const plain = pending !== undefined && isPlainDecline(message);
  return optional.filter((state) => declinesToolkit(state.toolkit, message) || (plain && pending.waitsFor.includes(state.use.name))).map((state) => state.use.name);
}

/**
 * The interrupted question is answered instead of this message when the toolkits it waited for
 * are configured now (e.g. connected through the OAuth redirect in the browser), whatever the
 * message says ("I've approved it, thanks"); or, while they are not, on a short acknowledgement
 * ("done"), which then prompts again for the same question.
 */
function resumesPending(pending: PendingQuestion, states: ToolkitState[], message: string): boolean {
  if (pending.question === message) return false;
  const configured = (name: string) => states.some((state) => state.use.name === name && state.credential);
  if (pending.waitsFor.length > 0 && pending.waitsFor.every(configured)) return true;
  return ACKNOWLEDGEMENT.test(message);
}

/**
 * A message that looks like a credential but is none the prompted toolkits recognise (a mistyped
 * code, a bare token): the prompt again with a hint. The interrupted question stays remembered and
 * the message is stored redacted.
 */
async function promptAgain(context: FlowContext, states: ToolkitState[], pending: PendingQuestion): Promise<FlowDecision | undefined> {
  const waiting = states.filter((state) => pending.waitsFor.includes(state.use.name) && !state.credential);
  if (waiting.length === 0) return undefined;
  const titles = waiting.map((state) => state.toolkit.title).join(' or ');
  const hint = `That looks like a credential, but not one I can use for ${titles}, so nothing was stored (and the message is not kept in this chat's history). Please paste it exactly as described:`;
  const prompts = await promptsFor(context, waiting);
  logCredential(context, 'credential_unrecognised', waiting);
  return { kind: 'reply', text: [hint, ...prompts.map((prompt) => prompt.text)].join('\n\n'), userText: REDACTED };
}

/** The agent's toolkits with this user's credentials (again after one was stored). */
function resolveStates(context: FlowContext): Promise<ToolkitState[]> {
  return resolveToolkits({ snapshot: context.snapshot, agent: context.agent, userId: context.user.id, store: context.store, env: context.env });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One info line per credential event: which toolkit, which user, never a value. */
function logCredential(context: FlowContext, event: string, states: ToolkitState[], reason?: string): void {
  const toolkits = states.map((state) => state.use.name);
  context.logger.info({ event, toolkits, agent: context.agent.name, user: context.user.id, session: logSession(context.session.sessionId), reason }, event.replace('_', ' '));
}
