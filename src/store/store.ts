import type { StoredRun } from '../conversation.ts';
import type { Credential } from '../toolkit/plugin.ts';

/**
 * What the runtime needs from storage. The lowdb implementation shards files per session and per
 * user; a server-grade backend (PostgreSQL) can implement the same interface for several replicas.
 */
export interface SessionKey {
  userId: string;
  sessionId: string;
}

export interface SessionStore {
  /** The newest `limit` runs, oldest first. Throws AgentLLMError (500, code session_unreadable) for a corrupt file. */
  getRuns(key: SessionKey, limit: number): Promise<StoredRun[]>;
  appendRun(key: SessionKey, run: StoredRun): Promise<void>;
  /**
   * Stores `run` as turn `run.turn` of the conversation: the stored runs of that turn and later
   * are dropped first (a regenerated answer replaces its run, an edited question drops the runs
   * after it). A run without `turn` counts as the turn of its position among the stored runs.
   */
  putRun(key: SessionKey, run: StoredRun & { turn: number }): Promise<void>;
  /** A question interrupted by a credential prompt, answered once the credential is stored. */
  getPendingQuestion(key: SessionKey): Promise<string | undefined>;
  setPendingQuestion(key: SessionKey, question: string | undefined): Promise<void>;
}

export interface CredentialStore {
  get(userId: string, toolkit: string): Promise<Credential | undefined>;
  set(userId: string, toolkit: string, credential: Credential): Promise<void>;
  /** True when something was deleted. */
  delete(userId: string, toolkit: string): Promise<boolean>;
}

export interface NonceStore {
  /** Marks a one-time value used; false when it was used before (replay). Entries expire at `expiresAt` (ms epoch). */
  consume(nonce: string, expiresAt: number): Promise<boolean>;
}

export interface PendingStore {
  /** Holds a secret value under `id` until `expiresAt` (ms epoch), encrypted at rest. */
  hold(id: string, value: string, expiresAt: number): Promise<void>;
  /** Removes and returns the value held under `id`; undefined when there is none or it expired. */
  take(id: string): Promise<string | undefined>;
}

export interface Store {
  sessions: SessionStore;
  credentials: CredentialStore;
  nonces: NonceStore;
  /** OAuth grants waiting for the user's confirmation in chat. */
  pending: PendingStore;
  /** Waits for every queued write. */
  flush(): Promise<void>;
}
