import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { SessionKey } from './store.ts';

/**
 * Client-supplied ids never become paths: every file name is the SHA-256 (hex) of the ids, so
 * `../../x`, `/etc/passwd`, NUL bytes or 10 kB ids all land on a fixed-length name inside dataDir.
 * Layout (relative to dataDir):
 *   sessions/<uu>/<userHash>/<ss>/<sessionHash>.json   (one file per user + session)
 *   credentials/<uu>/<userHash>.json                  (one file per user)
 * `<uu>` and `<ss>` are the first two hex digits of userHash and sessionHash, so that no directory
 * grows without bound: not the top one, and not that of a user with many sessions (every client
 * that names no user is the one user 'anonymous').
 * Before the `<ss>` level, session files were sessions/<uu>/<userHash>/<sessionHash>.json; such a
 * file is moved to its new place when first read (see formerSessionFile).
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
  const session = hashId('session', key.userId, key.sessionId);
  return join(userSessionsDir(key.userId), session.slice(0, 2), `${session}.json`);
}

/** Where a session file (as sessionFile names it) lived before the `<ss>` level. */
export function formerSessionFile(file: string): string {
  return join(dirname(dirname(file)), basename(file));
}

export function credentialsFile(userId: string): string {
  const user = userHash(userId);
  return join('credentials', user.slice(0, 2), `${user}.json`);
}

export const NONCES_FILE = 'nonces.json';
