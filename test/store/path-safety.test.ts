import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createFileStore } from '../../src/store/file-store.ts';
import { TEST_KEY, listFiles, makeRun, makeTempDir, removeDir } from './helpers.ts';

let root: string;
let dataDir: string;
beforeEach(async () => {
  root = await makeTempDir();
  dataDir = join(root, 'data');
  await mkdir(dataDir);
});
afterEach(async () => {
  await removeDir(root);
});

const hostileIds = ['../../x', '../../../../../../tmp/evil', '/etc/passwd', 'a\u0000b', 'x'.repeat(10_000), 'ünïcødé 🙂 聊天', '.', '..', 'con', ''];

it('never turns hostile ids into paths outside the data directory', async () => {
  const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
  for (const [n, id] of hostileIds.entries()) {
    await store.sessions.appendRun({ userId: id, sessionId: id }, makeRun(n));
    await store.credentials.set(id, 'jira', { api_token: `token-${n}` });
  }
  expect(await readdir(root)).toEqual(['data']);
  const files = await listFiles(dataDir);
  for (const file of files.filter((f) => f !== 'secret.key')) {
    expect(file).toMatch(/^(sessions\/[0-9a-f]{2}\/[0-9a-f]{64}\/[0-9a-f]{2}|credentials\/[0-9a-f]{2})\/[0-9a-f]{64}\.json$/);
  }
  expect(files.filter((f) => f.startsWith('sessions'))).toHaveLength(hostileIds.length);
  expect(files.filter((f) => f.startsWith('credentials'))).toHaveLength(hostileIds.length);
});

it('reads back what was stored under each hostile id, without mixing them up', async () => {
  const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
  for (const [n, id] of hostileIds.entries()) {
    await store.sessions.appendRun({ userId: id, sessionId: 'chat' }, makeRun(n));
    await store.credentials.set(id, 'jira', { api_token: `token-${n}` });
  }
  const reopened = await createFileStore({ dataDir, secretKey: TEST_KEY });
  for (const [n, id] of hostileIds.entries()) {
    expect((await reopened.sessions.getRuns({ userId: id, sessionId: 'chat' }, 5)).map((r) => r.user)).toEqual([`question ${n}`]);
    expect(await reopened.credentials.get(id, 'jira')).toEqual({ api_token: `token-${n}` });
  }
});

it('does not confuse user and session ids that concatenate to the same text', async () => {
  const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
  await store.sessions.appendRun({ userId: 'ab', sessionId: 'c' }, makeRun(1));
  expect(await store.sessions.getRuns({ userId: 'a', sessionId: 'bc' }, 5)).toEqual([]);
});

it('stores a toolkit named like a prototype key as a plain entry', async () => {
  const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
  expect(await store.credentials.get('alice', '__proto__')).toBeUndefined();
  expect(await store.credentials.get('alice', 'constructor')).toBeUndefined();
  await store.credentials.set('alice', 'constructor', { token: 't' });
  expect(await store.credentials.get('alice', 'constructor')).toEqual({ token: 't' });
});
