import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import type { StoredRun } from '../../src/conversation.ts';
import { createLogger, type Logger } from '../../src/logger.ts';

/** Fixed test key (64 hex chars) so tests skip key generation. */
export const TEST_KEY = 'a'.repeat(64);

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'agentllm-store-'));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Every file under `dir`, as paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

export function makeRun(n: number, extra: Partial<StoredRun> = {}): StoredRun {
  return { at: new Date(1_700_000_000_000 + n * 1000).toISOString(), user: `question ${n}`, answer: `answer ${n}`, tools: [], ...extra };
}

/** A real pino logger writing into an array of parsed lines. */
export function captureLogger(): { logger: Logger; lines: Array<Record<string, unknown>>; text: () => string } {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      raw.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  return {
    logger,
    get lines() {
      return raw.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    text: () => raw.join(''),
  };
}
