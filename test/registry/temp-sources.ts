import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createLogger, type Logger } from '../../src/logger.ts';
import type { Registry, RegistrySnapshot } from '../../src/registry/registry.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/registry/', import.meta.url));

export interface TempSources {
  root: string;
  agentsDir: string;
  toolkitsDir: string;
  remove(): Promise<void>;
}

/** A temp dir holding a copy of test/fixtures/registry (agents/helper.yaml, toolkits/notes). */
export async function copyFixtures(): Promise<TempSources> {
  const root = await mkdtemp(join(tmpdir(), 'agentllm-registry-'));
  await cp(FIXTURES, root, { recursive: true });
  return {
    root,
    agentsDir: join(root, 'agents'),
    toolkitsDir: join(root, 'toolkits'),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** A logger whose lines (parsed JSON) are kept for assertions. */
export function createCapturingLogger(): { logger: Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

/** Polls current() until `check` holds; returns the snapshot and how long it took. Fails after `timeoutMs`. */
export async function waitFor(
  registry: Registry,
  check: (snapshot: RegistrySnapshot) => boolean,
  timeoutMs = 2000,
): Promise<{ snapshot: RegistrySnapshot; elapsedMs: number }> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const snapshot = registry.current();
    if (check(snapshot)) return { snapshot, elapsedMs: performance.now() - started };
    await sleep(5);
  }
  throw new Error(`registry did not reach the expected state within ${timeoutMs} ms (version ${registry.current().version})`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

export function agentYaml(name: string, description: string): string {
  return `name: ${name}\ndescription: ${description}\ninstructions: You are ${name}.\n`;
}
