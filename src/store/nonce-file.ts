import { invalidRequest } from '../errors.ts';
import type { DocumentKind, Documents } from './documents.ts';
import { hashId, NONCES_FILE } from './shard-path.ts';
import type { NonceStore } from './store.ts';

/**
 * Used one-time values (OAuth states) in one small file, keyed by SHA-256 of the nonce, with their
 * expiry. Expired entries are pruned on every write, so the file holds only live nonces.
 */
interface NoncesDocument {
  version: 1;
  used: Record<string, number>;
}

const noncesKind: DocumentKind<NoncesDocument> = {
  unreadableCode: 'nonces_unreadable',
  label: 'Nonces',
  create: () => ({ version: 1, used: {} }),
  validate(raw) {
    const used = (raw as Partial<NoncesDocument> | null)?.used;
    if (typeof used !== 'object' || used === null || Array.isArray(used)) throw new Error('expected an object with a "used" object');
    return raw as NoncesDocument;
  },
};

export function createNonceFile(documents: Documents, now: () => number = Date.now): NonceStore {
  return {
    async consume(nonce, expiresAt) {
      if (typeof nonce !== 'string' || !nonce) throw invalidRequest('A nonce must be a non-empty string.');
      if (!Number.isFinite(expiresAt)) throw invalidRequest('A nonce needs a finite expiry time (ms since epoch).');
      const id = hashId('nonce', nonce);
      return documents.use(NONCES_FILE, noncesKind, async (db) => {
        const time = now();
        if (Object.hasOwn(db.data.used, id) && (db.data.used[id] ?? 0) > time) return false;
        // An expired value is never accepted: nothing would remember it to stop a replay.
        if (expiresAt <= time) return false;
        db.data = { version: 1, used: { ...pruneExpired(db.data.used, time), [id]: expiresAt } };
        await documents.save(NONCES_FILE, db);
        return true;
      });
    },
  };
}

function pruneExpired(used: Record<string, number>, time: number): Record<string, number> {
  return Object.fromEntries(Object.entries(used).filter(([, expiresAt]) => expiresAt > time));
}
