import type { SessionKey, SessionStore } from '../store/store.ts';

/** A question a credential prompt interrupted, and the toolkits it waits for. */
export interface PendingQuestion {
  question: string;
  /** Names of the toolkits whose prompt interrupted it: once all are configured, it is answered. */
  waitsFor: string[];
}

/** Marks the stored form (the store keeps a string); anything else is a plain question of an older version. */
const PREFIX = 'agentllm-pending:v1:';

export async function readPendingQuestion(sessions: SessionStore, session: SessionKey): Promise<PendingQuestion | undefined> {
  const stored = await sessions.getPendingQuestion(session);
  if (stored === undefined) return undefined;
  if (!stored.startsWith(PREFIX)) return { question: stored, waitsFor: [] };
  try {
    const parsed = JSON.parse(stored.slice(PREFIX.length)) as Partial<PendingQuestion>;
    if (typeof parsed.question === 'string') return { question: parsed.question, waitsFor: Array.isArray(parsed.waitsFor) ? parsed.waitsFor.filter((name) => typeof name === 'string') : [] };
  } catch {
    // An unreadable entry is dropped like no entry.
  }
  return undefined;
}

export function savePendingQuestion(sessions: SessionStore, session: SessionKey, pending: PendingQuestion | undefined): Promise<void> {
  return sessions.setPendingQuestion(session, pending ? PREFIX + JSON.stringify(pending) : undefined);
}
