import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createFileStore } from '../../src/store/file-store.ts';
import { TEST_KEY, makeTempDir, removeDir } from './helpers.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dataDir);
});

it('accepts a nonce the first time and refuses a replay, also after a restart', async () => {
  const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
  const expiresAt = Date.now() + 60_000;
  expect(await store.nonces.consume('state-1', expiresAt)).toBe(true);
  expect(await store.nonces.consume('state-1', expiresAt)).toBe(false);
  expect(await store.nonces.consume('state-2', expiresAt)).toBe(true);
  const reopened = await createFileStore({ dataDir, secretKey: TEST_KEY });
  expect(await reopened.nonces.consume('state-1', expiresAt)).toBe(false);
});

it('lets exactly one of many concurrent uses of one nonce through', async () => {
  const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
  const results = await Promise.all(Array.from({ length: 20 }, () => store.nonces.consume('state', Date.now() + 60_000)));
  expect(results.filter(Boolean)).toHaveLength(1);
});

it('refuses an already expired nonce and prunes expired entries on write', async () => {
  const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
  expect(await store.nonces.consume('old', Date.now() - 1)).toBe(false);
  expect(await store.nonces.consume('short', Date.now() + 30)).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await store.nonces.consume('fresh', Date.now() + 60_000)).toBe(true);
  const doc = JSON.parse(await readFile(join(dataDir, 'nonces.json'), 'utf8'));
  expect(Object.keys(doc.used)).toHaveLength(1);
  expect(await readFile(join(dataDir, 'nonces.json'), 'utf8')).not.toContain('fresh');
});
