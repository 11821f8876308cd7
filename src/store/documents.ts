import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Low } from 'lowdb';
import { AgentLLMError } from '../errors.ts';
import { createFileQueue } from './file-queue.ts';
import { JsonFileAdapter } from './json-file-adapter.ts';
import { createLruCache } from './lru-cache.ts';

/** How one kind of file (session, credentials, nonces) is created, checked and reported. */
export interface DocumentKind<T> {
  /** Error code when a file of this kind cannot be read, e.g. session_unreadable. */
  unreadableCode: string;
  /** Human name for messages, e.g. 'Session history'. */
  label: string;
  create(): T;
  /** Returns the data when it has the expected shape; throws an Error saying what is wrong otherwise. */
  validate(raw: unknown): T;
  /** Optional: the JSON text in pieces (see json-file-adapter.ts); default one JSON.stringify. */
  serialize?(data: T): Buffer[];
  /** Optional: where `file` lived in an older layout. Found there (and not at `file`), it is moved to `file` on first read. */
  formerFile?(file: string): string | undefined;
}

/**
 * Open lowdb documents, one per file: every operation on a file runs in that file's queue, on a
 * cached Low instance that is read from disk only when not cached. The cache (LRU) holds at most
 * `maxOpen` files and `maxBytes` of their JSON (as last read or written).
 */
export interface Documents {
  use<T, R>(file: string, kind: DocumentKind<T>, task: (db: Low<T>) => Promise<R> | R): Promise<R>;
  /** Writes `db.data`; on failure forgets the cached copy so the next call re-reads the disk. */
  save<T>(file: string, db: Low<T>): Promise<void>;
  /** Deletes the file; call it inside `use` so it runs in the file's queue. */
  remove(file: string): Promise<void>;
  /** Drops cached documents whose path starts with `prefix` (after their writes settle). */
  forget(prefix: string): Promise<void>;
  flush(): Promise<void>;
}

export function createDocuments(options: { dataDir: string; maxOpen: number; maxBytes?: number }): Documents {
  const queue = createFileQueue();
  const cache = createLruCache<Low<unknown>>(options.maxOpen, options.maxBytes);
  const pathOf = (file: string): string => join(options.dataDir, file);

  async function open<T>(file: string, kind: DocumentKind<T>): Promise<Low<T>> {
    const cached = cache.get(file) as Low<T> | undefined;
    if (cached) return cached;
    const adapter = new JsonFileAdapter(pathOf(file), kind);
    const db = new Low<T>(adapter, kind.create());
    try {
      await db.read();
      // Nothing read (size 0): the file may still be at its place in an older layout.
      if (adapter.size === 0 && (await adoptFormerFile(file, kind))) await db.read();
    } catch (error) {
      throw unreadable(file, kind, error);
    }
    cache.set(file, db as Low<unknown>, adapter.size);
    return db;
  }

  async function adoptFormerFile(file: string, kind: DocumentKind<unknown>): Promise<boolean> {
    const former = kind.formerFile?.(file);
    if (!former) return false;
    try {
      await stat(pathOf(former));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    await mkdir(dirname(pathOf(file)), { recursive: true, mode: 0o700 });
    await rename(pathOf(former), pathOf(file));
    return true;
  }

  return {
    use(file, kind, task) {
      return queue.run(file, async () => task(await open(file, kind)));
    },
    async save(file, db) {
      try {
        await db.write();
        cache.set(file, db as Low<unknown>, (db.adapter as JsonFileAdapter<unknown>).size);
      } catch (error) {
        cache.delete(file);
        throw new AgentLLMError(`Could not write ${file} in the data directory (${describe(error)}).`, {
          status: 500,
          code: 'store_write_failed',
          cause: error,
        });
      }
    },
    async remove(file) {
      cache.delete(file);
      await unlink(join(options.dataDir, file)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    },
    async forget(prefix) {
      await queue.drain();
      for (const file of cache.keys()) if (file.startsWith(prefix)) cache.delete(file);
    },
    flush: () => queue.drain(),
  };
}

function unreadable(file: string, kind: DocumentKind<unknown>, cause: unknown): AgentLLMError {
  const message =
    `${kind.label} file ${file} (in the data directory) is unreadable: ${describe(cause)}. ` +
    'It was left untouched; restore it from a backup or delete it to start afresh.';
  return new AgentLLMError(message, { status: 500, code: kind.unreadableCode, cause });
}

function describe(error: unknown): string {
  if (error instanceof SyntaxError) return `invalid JSON (${error.message})`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code) return code;
  return error instanceof Error ? error.message : String(error);
}
