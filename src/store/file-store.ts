import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readEnvNumber } from '../config/env-number.ts';
import { createSilentLogger, type Logger } from '../logger.ts';
import { createCredentialFiles } from './credential-files.ts';
import { createDocuments } from './documents.ts';
import { createNonceFile } from './nonce-file.ts';
import { createPendingFile } from './pending-file.ts';
import { deriveKey, resolveSecretKey } from './secret-key.ts';
import { createSessionFiles } from './session-files.ts';
import { credentialsFile, userSessionsDir } from './shard-path.ts';
import type { Store } from './store.ts';

export interface FileStoreOptions {
  /** Folder for all data (sessions/, credentials/, nonces.json, oauth-pending.json, secret.key). Created if missing. */
  dataDir: string;
  /** AGENTLLM_SECRET_KEY: 64 hex chars, base64 of 32 bytes, or a passphrase. */
  secretKey?: string;
  logger?: Logger;
  /** Runs kept per session, oldest dropped first. Default 200. */
  maxRunsPerSession?: number;
  /** Files kept open (parsed) in memory, least recently used dropped first. Default 1,000. */
  maxOpenFiles?: number;
  /** Bytes of JSON those open files may hold in total (AGENTLLM_SESSION_CACHE_MB). Default 64 MiB. */
  cacheBytes?: number;
}

export const DEFAULT_CACHE_MB = 64;

/** AGENTLLM_SESSION_CACHE_MB: megabytes of session (and credential) files kept parsed in memory; default 64. */
export function cacheBytesFromEnv(env: Record<string, string | undefined>): number {
  const megabytes = readEnvNumber(env, 'AGENTLLM_SESSION_CACHE_MB', { unit: 'megabytes', min: 0, above: true, fractions: true, numberLiterals: true, fallback: DEFAULT_CACHE_MB });
  return Math.round(megabytes * 1024 * 1024);
}

export interface FileStore extends Store {
  /** Deletes every session and credential of one user (use while that user is not active). */
  wipeUser(userId: string): Promise<void>;
}

export async function createFileStore(options: FileStoreOptions): Promise<FileStore> {
  const maxRuns = checkPositive(options.maxRunsPerSession ?? 200, 'maxRunsPerSession');
  const maxOpen = checkPositive(options.maxOpenFiles ?? 1000, 'maxOpenFiles');
  const maxBytes = checkPositive(options.cacheBytes ?? DEFAULT_CACHE_MB * 1024 * 1024, 'cacheBytes');
  const logger = options.logger ?? createSilentLogger();
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const master = await resolveSecretKey({ dataDir: options.dataDir, secretKey: options.secretKey, logger });
  const documents = createDocuments({ dataDir: options.dataDir, maxOpen, maxBytes });
  const credentials = createCredentialFiles(documents, deriveKey(master, 'credentials'));

  async function wipeUser(userId: string): Promise<void> {
    const sessionsDir = userSessionsDir(userId);
    await documents.forget(sessionsDir);
    await rm(join(options.dataDir, sessionsDir), { recursive: true, force: true });
    const file = credentialsFile(userId);
    await documents.forget(file);
    await rm(join(options.dataDir, file), { force: true });
    logger.info('Wiped the stored sessions and credentials of one user');
  }

  return {
    sessions: createSessionFiles(documents, maxRuns),
    credentials,
    nonces: createNonceFile(documents),
    pending: createPendingFile(documents, deriveKey(master, 'oauth-pending')),
    flush: () => documents.flush(),
    wipeUser,
  };
}

function checkPositive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`createFileStore: ${name} must be a positive integer, got ${value}`);
  return value;
}

export { deriveKey, resolveSecretKey } from './secret-key.ts';
