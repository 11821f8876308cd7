import type { SessionKey, SessionStore } from '../store/store.ts';

/** A question a credential prompt interrupted, and the toolkits it waits for. */
export interface PendingQuestion {
  question: string;
  /** Names of the toolkits whose prompt interrupted it: once all are configured, it is answered. */
  waitsFor: string[];
}

/** What the credential flow remembers per session: the interrupted question, the optional toolkits declined. */
export interface FlowMemory {
  pending?: PendingQuestion;
  /** Optional toolkits the user declined in this session ("skip jira"): never prompted for again here. */
  declined: string[];
}

/** Marks the stored form (the store keeps a string); anything else is a plain question of an older version. */
const PREFIX = 'agentllm-pending:v1:';

export async function readFlowMemory(sessions: SessionStore, session: SessionKey): Promise<FlowMemory> {
  const stored = await sessions.getPendingQuestion(session);
  if (stored === undefined) return { declined: [] };
  if (!stored.startsWith(PREFIX)) return { pending: { question: stored, waitsFor: [] }, declined: [] };
  try {
    const parsed = JSON.parse(stored.slice(PREFIX.length)) as { question?: unknown; waitsFor?: unknown; declined?: unknown };
    const pending = typeof parsed.question === 'string' ? { question: parsed.question, waitsFor: names(parsed.waitsFor) } : undefined;
    return { pending, declined: names(parsed.declined) };
  } catch {
    // An unreadable entry is dropped like no entry.
    return { declined: [] };
  }
}

export function saveFlowMemory(sessions: SessionStore, session: SessionKey, memory: FlowMemory): Promise<void> {
  if (!memory.pending && memory.declined.length === 0) return sessions.setPendingQuestion(session, undefined);
  const stored = { ...memory.pending, declined: memory.declined.length > 0 ? memory.declined : undefined };
  return sessions.setPendingQuestion(session, PREFIX + JSON.stringify(stored));
}

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : [];
}
