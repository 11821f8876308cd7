import type { BuildToolsInput } from 'agentllm/toolkit';
import { requireFileId } from './drive-ids.ts';
import { openDriveSession } from './drive-session.ts';
import { readFileText } from './read-file.ts';
import { readSettings } from './settings.ts';

const TEN_MINUTES = 10 * 60 * 1000;
const MAX_ENTRIES = 1000;

export interface InstructionsLoaderOptions {
  ttlMs?: number;
  now?: () => number;
}

export type LoadInstructions = (input: BuildToolsInput) => Promise<string | undefined>;

/**
 * Reads the agent's `instructions_doc` with the user's credential, cached per (doc, user) so a
 * chat does not fetch the playbook on every turn. Failures are not cached; they reject with a
 * message saying why (no access, not a Google Doc, ...), which the runtime logs.
 */
export function createInstructionsLoader(options: InstructionsLoaderOptions = {}): LoadInstructions {
  const ttlMs = options.ttlMs ?? TEN_MINUTES;
  const now = options.now ?? (() => Date.now());
  const cache = new Map<string, { text: string; expires: number }>();

  return async function loadInstructions(input) {
    const settings = readSettings(input.config);
    if (!settings.instructionsDoc) return undefined;
    const docId = requireFileId(settings.instructionsDoc, 'instructions_doc');
    const key = `${docId}\u0000${input.user.id}`;
    const hit = cache.get(key);
    if (hit && hit.expires > now()) return hit.text;

    const session = await openDriveSession(input);
    const file = await readFileText(session.drive, docId, settings.maxFileChars);
    await session.flush();
    if (!file.readable) throw new Error(`instructions_doc ${docId} (${file.name}): ${file.message}`);
    remember(cache, key, { text: file.content, expires: now() + ttlMs }, now());
    return file.content;
  };
}

function remember<T extends { expires: number }>(cache: Map<string, T>, key: string, entry: T, at: number): void {
  if (cache.size >= MAX_ENTRIES) {
    for (const [k, v] of cache) if (v.expires <= at) cache.delete(k);
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  }
  cache.set(key, entry);
}
