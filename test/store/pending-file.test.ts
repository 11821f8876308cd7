import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createFileStore } from '../../src/store/file-store.ts';
import { createDocuments } from '../../src/store/documents.ts';
import { createPendingFile } from '../../src/store/pending-file.ts';
import { TEST_KEY, makeTempDir, removeDir } from './helpers.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dataDir);
});

it('gives a held value back once, also after a restart, and keeps it encrypted on disk', async () => {
  const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
  await store.pending.hold('ABCDE-23456', '{"refresh_token":"1//secret-refresh"}', Date.now() + 60_000);
  await store.flush();
  const file = await readFile(join(dataDir, 'oauth-pending.json'), 'utf8');
  expect(file).not.toContain('secret-refresh');
  expect(file).not.toContain('ABCDE-23456');

  const reopened = await createFileStore({ dataDir, secretKey: TEST_KEY });
  expect(await reopened.pending.take('ABCDE-23456')).toBe('{"refresh_token":"1//secret-refresh"}');
  expect(await reopened.pending.take('ABCDE-23456')).toBeUndefined();
  expect(await reopened.pending.take('ZZZZZ-99999')).toBeUndefined();
});

it('never returns an expired value, and prunes expired values from the file', async () => {
  let now = 1_000_000;
  const documents = createDocuments({ dataDir, maxOpen: 10 });
  const pending = createPendingFile(documents, Buffer.alloc(32, 7), () => now);
  await pending.hold('old', 'stale', now + 1000);
  now += 2000;
  expect(await pending.take('old')).toBeUndefined();
  await pending.hold('new', 'fresh', now + 1000);
  await pending.hold('old2', 'stale', now + 10);
  now += 20;
  await pending.hold('newer', 'fresh', now + 1000);
  await documents.flush();
  const doc = JSON.parse(await readFile(join(dataDir, 'oauth-pending.json'), 'utf8'));
  expect(Object.keys(doc.held)).toHaveLength(2);
});

it('lets exactly one of many concurrent takes have the value', async () => {
  const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
  await store.pending.hold('code', 'value', Date.now() + 60_000);
  const results = await Promise.all(Array.from({ length: 10 }, () => store.pending.take('code')));
  expect(results.filter(Boolean)).toEqual(['value']);
});
