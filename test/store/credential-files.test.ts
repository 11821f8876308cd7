import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore } from '../../src/store/file-store.ts';
import { TEST_KEY, listFiles, makeTempDir, removeDir } from './helpers.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dataDir);
});

const jiraToken = { email: 'alice@example.com', api_token: 'ATATT3xFfGF0-very-secret-token' };

async function credentialFiles(): Promise<string[]> {
  return (await listFiles(dataDir)).filter((f) => f.startsWith('credentials'));
}

describe('credentials', () => {
  it('stores, reads back after a restart and deletes a credential', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await store.credentials.set('alice', 'jira', jiraToken);
    expect(await store.credentials.get('alice', 'jira')).toEqual(jiraToken);
    const reopened = await createFileStore({ dataDir, secretKey: TEST_KEY });
    expect(await reopened.credentials.get('alice', 'jira')).toEqual(jiraToken);
    expect(await reopened.credentials.delete('alice', 'jira')).toBe(true);
    expect(await reopened.credentials.delete('alice', 'jira')).toBe(false);
    expect(await reopened.credentials.get('alice', 'jira')).toBeUndefined();
    expect(await credentialFiles()).toEqual([]);
  });

  it('keeps other toolkits of a user when one is deleted', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await store.credentials.set('alice', 'jira', jiraToken);
    await store.credentials.set('alice', 'gdrive', { access_token: 'ya29.abc', refresh_token: '1//xyz' });
    await store.credentials.delete('alice', 'jira');
    const reopened = await createFileStore({ dataDir, secretKey: TEST_KEY });
    expect(await reopened.credentials.get('alice', 'gdrive')).toEqual({ access_token: 'ya29.abc', refresh_token: '1//xyz' });
  });

  it('isolates users: one user never sees another user\'s credential', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await store.credentials.set('alice', 'jira', jiraToken);
    expect(await store.credentials.get('bob', 'jira')).toBeUndefined();
    expect(await store.credentials.delete('bob', 'jira')).toBe(false);
    expect(await store.credentials.get('alice', 'jira')).toEqual(jiraToken);
    expect(await credentialFiles()).toHaveLength(1);
  });

  it('writes no plaintext token, email or toolkit field value to disk', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await store.credentials.set('alice', 'jira', jiraToken);
    await store.flush();
    const [file] = await credentialFiles();
    const raw = await readFile(join(dataDir, file!), 'utf8');
    expect(raw).not.toContain('very-secret-token');
    expect(raw).not.toContain('alice@example.com');
    expect(raw).not.toContain('api_token');
    expect(JSON.parse(raw).toolkits.jira).toEqual({ iv: expect.any(String), tag: expect.any(String), data: expect.any(String) });
  });

  it('uses a fresh IV each time, so equal credentials do not look equal on disk', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await store.credentials.set('alice', 'jira', jiraToken);
    await store.credentials.set('bob', 'jira', jiraToken);
    const files = await credentialFiles();
    const [a, b] = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dataDir, f), 'utf8')).toolkits.jira));
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
  });

  it('answers credentials_unreadable (500) for a wrong key, and the store keeps working', async () => {
    const first = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await first.credentials.set('alice', 'jira', jiraToken);
    const wrong = await createFileStore({ dataDir, secretKey: 'b'.repeat(64) });
    const error = await wrong.credentials.get('alice', 'jira').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, code: 'credentials_unreadable' });
    expect(String((error as Error).message)).toMatch(/secret key/);
    expect(String((error as Error).message)).not.toContain(dataDir);
    await wrong.credentials.set('bob', 'jira', { api_token: 'bob-token' });
    expect(await wrong.credentials.get('bob', 'jira')).toEqual({ api_token: 'bob-token' });
    expect(await first.credentials.get('alice', 'jira')).toEqual(jiraToken);
  });

  it('refuses a sealed value copied into another user\'s file', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await store.credentials.set('alice', 'jira', jiraToken);
    await store.credentials.set('mallory', 'other', { token: 'x' });
    const files = await credentialFiles();
    const docs = await Promise.all(files.map(async (f) => ({ f, doc: JSON.parse(await readFile(join(dataDir, f), 'utf8')) })));
    const alice = docs.find((d) => d.doc.toolkits.jira)!;
    const mallory = docs.find((d) => d.doc.toolkits.other)!;
    mallory.doc.toolkits.jira = alice.doc.toolkits.jira;
    await writeFile(join(dataDir, mallory.f), JSON.stringify(mallory.doc));
    const reopened = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await expect(reopened.credentials.get('mallory', 'jira')).rejects.toMatchObject({ code: 'credentials_unreadable' });
  });

  it('rejects a credential whose fields are not strings', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await expect(store.credentials.set('alice', 'jira', { n: 1 } as unknown as Record<string, string>)).rejects.toMatchObject({ status: 400 });
  });
});

describe('wipeUser', () => {
  it('removes every session and credential of one user and nothing of others', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    for (const userId of ['alice', 'bob']) {
      await store.credentials.set(userId, 'jira', jiraToken);
      for (const sessionId of ['s1', 's2']) await store.sessions.appendRun({ userId, sessionId }, { at: 'now', user: 'q', answer: 'a', tools: [] });
    }
    await store.wipeUser('alice');
    expect(await store.credentials.get('alice', 'jira')).toBeUndefined();
    expect(await store.sessions.getRuns({ userId: 'alice', sessionId: 's1' }, 5)).toEqual([]);
    expect(await store.credentials.get('bob', 'jira')).toEqual(jiraToken);
    expect(await store.sessions.getRuns({ userId: 'bob', sessionId: 's2' }, 5)).toHaveLength(1);
    const files = (await listFiles(dataDir)).filter((f) => f !== 'secret.key');
    expect(files).toHaveLength(3);
  });
});
