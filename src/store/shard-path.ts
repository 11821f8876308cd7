import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { SessionKey } from './store.ts';

/**
 * Client-supplied ids never become paths: every file name is the SHA-256 (hex) of the ids, so
 * `../../x`, `/etc/passwd`, NUL bytes or 10 kB ids all land on a fixed-length name inside dataDir.
 * Layout (relative to dataDir):
 *   sessions/<uu>/<userHash>/<sessionHash>.json   (one file per user + session)
 *   credentials/<uu>/<userHash>.json             (one file per user)
 * `<uu>` is the first two hex digits of userHash, to keep directories small.
 */
export function hashId(...parts: string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export function userHash(userId: string): string {
  return hashId('user', userId);
}

/** The folder holding every session of one user (deleting it wipes that user's history). */
export function userSessionsDir(userId: string): string {
  const user = userHash(userId);
  return join('sessions', user.slice(0, 2), user);
}

export function sessionFile(key: SessionKey): string {
  return join(userSessionsDir(key.userId), `${hashId('session', key.userId, key.sessionId)}.json`);
}

export function credentialsFile(userId: string): string {
  const user = userHash(userId);
  return join('credentials', user.slice(0, 2), `${user}.json`);
}

export const NONCES_FILE = 'nonces.json';
