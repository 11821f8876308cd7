import type { StoredRun } from '../conversation.ts';
import { invalidRequest } from '../errors.ts';
import type { DocumentKind, Documents } from './documents.ts';
import { formerSessionFile, sessionFile } from './shard-path.ts';
import type { SessionKey, SessionStore } from './store.ts';

interface SessionDocument {
  version: 1;
  runs: StoredRun[];
  pendingQuestion?: string;
}

const sessionKind: DocumentKind<SessionDocument> = {
  unreadableCode: 'session_unreadable',
  label: 'Session history',
  create: () => ({ version: 1, runs: [] }),
  validate(raw) {
    const doc = raw as Partial<SessionDocument> | null;
    if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.runs)) throw new Error('expected an object with a "runs" array');
    if (doc.pendingQuestion !== undefined && typeof doc.pendingQuestion !== 'string') throw new Error('"pendingQuestion" must be a string');
    return doc as SessionDocument;
  },
  serialize: serializeSession,
  formerFile: formerSessionFile,
};

/**
 * Encoded runs, by run object. Stored runs are never mutated (they are cloned in and out), so a
 * write re-encodes only the new run and hands the rest to writev as they are: appending to a long
 * history costs no large JSON.stringify on the event loop.
 */
const encodedRuns = new WeakMap<StoredRun, Buffer>();
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

function serializeSession(doc: SessionDocument): Buffer[] {
  const { runs, ...rest } = doc;
  const head = JSON.stringify(rest);
  const chunks: Buffer[] = [Buffer.from(`${head === '{}' ? '{' : `${head.slice(0, -1)},`}"runs":[`, 'utf8')];
  runs.forEach((run, index) => {
    if (index > 0) chunks.push(COMMA);
    chunks.push(encodeRun(run));
  });
  chunks.push(CLOSE);
  return chunks;
}

function encodeRun(run: StoredRun): Buffer {
  let encoded = encodedRuns.get(run);
  if (!encoded) {
    encoded = Buffer.from(JSON.stringify(run), 'utf8');
    encodedRuns.set(run, encoded);
  }
  return encoded;
}

/** One file per user + session; at most `maxRuns` runs are kept, the oldest dropped first. */
export function createSessionFiles(documents: Documents, maxRuns: number): SessionStore {
  return {
    async getRuns(key, limit) {
      const file = fileOf(key);
      return documents.use(file, sessionKind, (db) => (limit > 0 ? structuredClone(db.data.runs.slice(-limit)) : []));
    },
    async appendRun(key, run) {
      const file = fileOf(key);
      const copy = structuredClone(run);
      return documents.use(file, sessionKind, async (db) => {
        const runs = [...db.data.runs, copy];
        db.data = { ...db.data, runs: runs.length > maxRuns ? runs.slice(runs.length - maxRuns) : runs };
        await documents.save(file, db);
      });
    },
    async putRun(key, run) {
      const file = fileOf(key);
      const copy = structuredClone(run);
      return documents.use(file, sessionKind, async (db) => {
        const kept = db.data.runs.filter((stored, index) => (stored.turn ?? index + 1) < run.turn);
        const runs = [...kept, copy];
        db.data = { ...db.data, runs: runs.length > maxRuns ? runs.slice(runs.length - maxRuns) : runs };
        await documents.save(file, db);
      });
    },
    async getPendingQuestion(key) {
      return documents.use(fileOf(key), sessionKind, (db) => db.data.pendingQuestion);
    },
    async setPendingQuestion(key, question) {
      const file = fileOf(key);
      return documents.use(file, sessionKind, async (db) => {
        if (db.data.pendingQuestion === question) return;
        const { pendingQuestion: _dropped, ...rest } = db.data;
        db.data = question === undefined ? rest : { ...rest, pendingQuestion: question };
        await documents.save(file, db);
      });
    },
  };
}

function fileOf(key: SessionKey): string {
  if (typeof key?.userId !== 'string') throw invalidRequest('A user id (string) is required to store a session.', 'user');
  if (typeof key.sessionId !== 'string') throw invalidRequest('A session id (string) is required to store a session.', 'session_id');
  return sessionFile(key);
}
