import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * A lowdb adapter for one JSON file. Writes are atomic: the data goes to a uniquely named temp
 * file in the same directory, then replaces the file with rename(2), so a crash leaves the old
 * or the new file, never half of one. (lowdb's own JSONFile, via steno, also writes temp + rename,
 * but with one fixed temp name per file, does not create missing directories, and pretty-prints;
 * this one is compact and safe if two writers ever touch one file.) Serializing writes per file
 * is the caller's job (see file-queue.ts).
 *
 * `serialize` may return the JSON text in pieces (written with one writev), so a caller can reuse
 * the encoded pieces of unchanged parts instead of re-encoding a large document on every write.
 */
export interface JsonFileOptions<T> {
  validate(raw: unknown): T;
  serialize?(data: T): Buffer[];
}

export class JsonFileAdapter<T> implements Adapter<T> {
  readonly #path: string;
  readonly #options: JsonFileOptions<T>;
  #dirReady = false;
  /** Bytes of the JSON last read or written (0 for a file that does not exist yet). */
  size = 0;

  constructor(path: string, options: JsonFileOptions<T>) {
    this.#path = path;
    this.#options = options;
  }

  /** null when the file does not exist; throws on unreadable files, invalid JSON or a wrong shape. */
  async read(): Promise<T | null> {
    let raw: Buffer;
    try {
      raw = await readFile(this.#path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const data = this.#options.validate(JSON.parse(raw.toString('utf8')));
    this.size = raw.length;
    return data;
  }

  async write(data: T): Promise<void> {
    const chunks = this.#options.serialize?.(data) ?? [Buffer.from(JSON.stringify(data), 'utf8')];
    await this.#ensureDir();
    const temp = join(dirname(this.#path), `.${basename(this.#path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeChunks(temp, chunks);
      await rename(temp, this.#path);
      this.size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  async #ensureDir(): Promise<void> {
    if (this.#dirReady) return;
    await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
    this.#dirReady = true;
  }
}

async function writeChunks(path: string, chunks: Buffer[]): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    const expected = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const { bytesWritten } = await handle.writev(chunks);
    if (bytesWritten !== expected) throw new Error(`short write: ${bytesWritten} of ${expected} bytes`);
  } finally {
    await handle.close();
  }
}
