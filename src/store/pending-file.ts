import { invalidRequest } from '../errors.ts';
import { isSealedValue, openValue, sealValue, type SealedValue } from './cipher.ts';
import type { DocumentKind, Documents } from './documents.ts';
import { hashId } from './shard-path.ts';
import type { PendingStore } from './store.ts';

/**
 * Secrets waiting for a second step (OAuth tokens waiting for the chat's confirmation code), in one
 * small file beside nonces.json: keyed by SHA-256 of their id, sealed with AES-256-GCM (the id bound
 * as context), with their expiry. Expired entries are pruned on every write and never returned.
 */
export const PENDING_FILE = 'oauth-pending.json';

interface PendingDocument {
  version: 1;
  held: Record<string, { expiresAt: number; value: SealedValue }>;
}

const pendingKind: DocumentKind<PendingDocument> = {
  unreadableCode: 'pending_unreadable',
  label: 'Pending authorizations',
  create: () => ({ version: 1, held: {} }),
  validate(raw) {
    const held = (raw as Partial<PendingDocument> | null)?.held;
    if (typeof held !== 'object' || held === null || Array.isArray(held)) throw new Error('expected an object with a "held" object');
    for (const entry of Object.values(held)) {
      if (typeof entry?.expiresAt !== 'number' || !isSealedValue(entry.value)) throw new Error('an entry is not an expiry with an encrypted value');
    }
    return raw as PendingDocument;
  },
};

export function createPendingFile(documents: Documents, key: Buffer, now: () => number = Date.now): PendingStore {
  return {
    async hold(id, value, expiresAt) {
      if (typeof id !== 'string' || !id) throw invalidRequest('A pending value needs a non-empty id.');
      if (!Number.isFinite(expiresAt)) throw invalidRequest('A pending value needs a finite expiry time (ms since epoch).');
      const hash = hashId('pending', id);
      const sealed = sealValue(key, value, `pending:${hash}`);
      await documents.use(PENDING_FILE, pendingKind, async (db) => {
        db.data = { version: 1, held: { ...pruneExpired(db.data.held, now()), [hash]: { expiresAt, value: sealed } } };
        await documents.save(PENDING_FILE, db);
      });
    },
    async take(id) {
      if (typeof id !== 'string' || !id) return undefined;
      const hash = hashId('pending', id);
      return documents.use(PENDING_FILE, pendingKind, async (db) => {
        const entry = Object.hasOwn(db.data.held, hash) ? db.data.held[hash] : undefined;
        if (!entry) return undefined;
        const { [hash]: _taken, ...rest } = db.data.held;
        db.data = { version: 1, held: pruneExpired(rest, now()) };
        await documents.save(PENDING_FILE, db);
        return entry.expiresAt > now() ? openValue(key, entry.value, `pending:${hash}`) : undefined;
      });
    },
  };
}

function pruneExpired<T extends { expiresAt: number }>(held: Record<string, T>, time: number): Record<string, T> {
  return Object.fromEntries(Object.entries(held).filter(([, entry]) => entry.expiresAt > time));
}
