import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AgentLLMError } from '../../src/errors.ts';
import { createFileStore } from '../../src/store/file-store.ts';
import { userSessionsDir } from '../../src/store/shard-path.ts';
import { TEST_KEY, listFiles, makeRun, makeTempDir, removeDir } from './helpers.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dataDir);
});

const alice = { userId: 'alice', sessionId: 'chat' };
const bob = { userId: 'bob', sessionId: 'chat' };

async function corruptOnlyFile(prefix: string, content: string): Promise<string> {
  const [file] = (await listFiles(dataDir)).filter((f) => f.startsWith(prefix));
  await writeFile(join(dataDir, file!), content);
  return file!;
}

it('answers session_unreadable (500) for a corrupt session, leaves the file alone, and serves other sessions', async () => {
  const first = await createFileStore({ dataDir, secretKey: TEST_KEY });
  await first.sessions.appendRun(alice, makeRun(1));
  const file = await corruptOnlyFile('sessions', '{"runs": [ {"at": "trunc');
  const store = await createFileStore({ dataDir, secretKey: TEST_KEY });

  const error = (await store.sessions.getRuns(alice, 5).catch((e: unknown) => e)) as AgentLLMError;
  expect(error).toMatchObject({ status: 500, code: 'session_unreadable' });
  expect(error.message).toContain(file);
  expect(error.message).toMatch(/invalid JSON/);
  expect(error.message).not.toContain(dataDir);

  await expect(store.sessions.appendRun(alice, makeRun(2))).rejects.toMatchObject({ code: 'session_unreadable' });
  await expect(store.sessions.setPendingQuestion(alice, 'q')).rejects.toMatchObject({ code: 'session_unreadable' });
  expect(await readFile(join(dataDir, file), 'utf8')).toBe('{"runs": [ {"at": "trunc');

  await store.sessions.appendRun(bob, makeRun(3));
  expect(await store.sessions.getRuns(bob, 5)).toHaveLength(1);
});

it('answers session_unreadable for valid JSON of the wrong shape', async () => {
  const first = await createFileStore({ dataDir, secretKey: TEST_KEY });
  await first.sessions.appendRun(alice, makeRun(1));
  await corruptOnlyFile('sessions', '{"runs": "not a list"}');
  const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
  await expect(store.sessions.getRuns(alice, 5)).rejects.toMatchObject({ status: 500, code: 'session_unreadable' });
});

it('works again once the operator deletes the corrupt file', async () => {
  const first = await createFileStore({ dataDir, secretKey: TEST_KEY });
  await first.sessions.appendRun(alice, makeRun(1));
  const file = await corruptOnlyFile('sessions', 'garbage');
  const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
  await expect(store.sessions.getRuns(alice, 5)).rejects.toMatchObject({ code: 'session_unreadable' });
  await rm(join(dataDir, file));
  expect(await store.sessions.getRuns(alice, 5)).toEqual([]);
});

it('answers credentials_unreadable for a corrupt credentials file and serves other users', async () => {
  const first = await createFileStore({ dataDir, secretKey: TEST_KEY });
  await first.credentials.set('alice', 'jira', { api_token: 'a' });
  await corruptOnlyFile('credentials', '\u0000\u0001binary');
  await first.credentials.set('bob', 'jira', { api_token: 'b' });
  const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
  await expect(store.credentials.get('alice', 'jira')).rejects.toMatchObject({ status: 500, code: 'credentials_unreadable' });
  await expect(store.credentials.set('alice', 'jira', { api_token: 'new' })).rejects.toMatchObject({ code: 'credentials_unreadable' });
  expect(await store.credentials.get('bob', 'jira')).toEqual({ api_token: 'b' });
});

it('answers store_write_failed when a write fails, and does not report the lost run as stored', async () => {
  const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
  await store.sessions.appendRun(alice, makeRun(1));
  const userDir = join(dataDir, userSessionsDir('alice'));
  await rename(userDir, `${userDir}.moved`);
  await writeFile(userDir, 'a file where the user folder should be');
  await expect(store.sessions.appendRun(alice, makeRun(2))).rejects.toMatchObject({ status: 500, code: 'store_write_failed' });
  await rm(userDir);
  await rename(`${userDir}.moved`, userDir);
  expect((await store.sessions.getRuns(alice, 5)).map((r) => r.user)).toEqual(['question 1']);
  await store.sessions.appendRun(bob, makeRun(3));
  expect(await store.sessions.getRuns(bob, 5)).toHaveLength(1);
});
