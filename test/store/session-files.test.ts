import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheBytesFromEnv, createFileStore } from '../../src/store/file-store.ts';
import { formerSessionFile, sessionFile } from '../../src/store/shard-path.ts';
import { TEST_KEY, listFiles, makeRun, makeTempDir, removeDir } from './helpers.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dataDir);
});

const alice = { userId: 'alice', sessionId: 'chat-1' };

/** Changes the first run's answer in the only session file, behind the store's back. */
async function editFirstAnswerOnDisk(answer: string): Promise<void> {
  const [file] = (await listFiles(dataDir)).filter((f) => f.startsWith('sessions'));
  const onDisk = JSON.parse(await readFile(join(dataDir, file!), 'utf8'));
  onDisk.runs[0].answer = answer;
  await writeFile(join(dataDir, file!), JSON.stringify(onDisk));
}

/** Writes alice's session file where the former layout (no session subdirectory) kept it. */
async function writeFormerFile(text: string): Promise<void> {
  const former = formerSessionFile(sessionFile(alice));
  await mkdir(join(dataDir, dirname(former)), { recursive: true });
  await writeFile(join(dataDir, former), text);
}

describe('session history', () => {
  it('returns an empty history for a new session', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    expect(await store.sessions.getRuns(alice, 10)).toEqual([]);
  });

  it('returns the newest runs, oldest first, up to the limit', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    for (let n = 1; n <= 5; n++) await store.sessions.appendRun(alice, makeRun(n));
    const runs = await store.sessions.getRuns(alice, 3);
    expect(runs.map((r) => r.user)).toEqual(['question 3', 'question 4', 'question 5']);
    expect(await store.sessions.getRuns(alice, 0)).toEqual([]);
  });

  it('putRun stores a turn in place of the runs from that turn on (regenerate, edit)', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    for (let n = 1; n <= 3; n++) await store.sessions.putRun(alice, { ...makeRun(n), turn: n });
    await store.sessions.putRun(alice, { ...makeRun(30), turn: 3 });
    expect((await store.sessions.getRuns(alice, 10)).map((r) => [r.turn, r.user])).toEqual([[1, 'question 1'], [2, 'question 2'], [3, 'question 30']]);
    await store.sessions.putRun(alice, { ...makeRun(10), turn: 1 });
    expect((await store.sessions.getRuns(alice, 10)).map((r) => r.user)).toEqual(['question 10']);
    // Runs stored without a turn (a client that sent only its newest message) count by position.
    await store.sessions.appendRun(alice, makeRun(11));
    await store.sessions.putRun(alice, { ...makeRun(12), turn: 2 });
    expect((await store.sessions.getRuns(alice, 10)).map((r) => r.user)).toEqual(['question 10', 'question 12']);
  });

  it('keeps every one of 50 concurrent appends to one session', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await Promise.all(Array.from({ length: 50 }, (_, n) => store.sessions.appendRun(alice, makeRun(n))));
    const runs = await store.sessions.getRuns(alice, 100);
    expect(runs).toHaveLength(50);
    expect(new Set(runs.map((r) => r.user)).size).toBe(50);
    const reopened = await createFileStore({ dataDir, secretKey: TEST_KEY });
    expect(await reopened.sessions.getRuns(alice, 100)).toHaveLength(50);
  });

  it('drops the oldest runs beyond maxRunsPerSession', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY, maxRunsPerSession: 3 });
    for (let n = 1; n <= 5; n++) await store.sessions.appendRun(alice, makeRun(n));
    const runs = await store.sessions.getRuns(alice, 10);
    expect(runs.map((r) => r.user)).toEqual(['question 3', 'question 4', 'question 5']);
    const reopened = await createFileStore({ dataDir, secretKey: TEST_KEY });
    expect((await reopened.sessions.getRuns(alice, 10)).map((r) => r.user)).toEqual(['question 3', 'question 4', 'question 5']);
  });

  it('reads the data back from a new store on the same directory (restart)', async () => {
    const first = await createFileStore({ dataDir, secretKey: TEST_KEY });
    const run = makeRun(1, { tools: [{ name: 'search', args: { q: 'x' }, result: { hits: 2 }, isError: false }] });
    await first.sessions.appendRun(alice, run);
    await first.sessions.setPendingQuestion(alice, 'What are my "open" issues? 🙂');
    await first.flush();
    const second = await createFileStore({ dataDir, secretKey: TEST_KEY });
    expect(await second.sessions.getRuns(alice, 10)).toEqual([run]);
    expect(await second.sessions.getPendingQuestion(alice)).toBe('What are my "open" issues? 🙂');
  });

  it('keeps two users with the same session id apart', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await store.sessions.appendRun({ userId: 'alice', sessionId: 'same' }, makeRun(1));
    await store.sessions.appendRun({ userId: 'bob', sessionId: 'same' }, makeRun(2));
    expect((await store.sessions.getRuns({ userId: 'alice', sessionId: 'same' }, 10)).map((r) => r.user)).toEqual(['question 1']);
    expect((await store.sessions.getRuns({ userId: 'bob', sessionId: 'same' }, 10)).map((r) => r.user)).toEqual(['question 2']);
    expect((await listFiles(dataDir)).filter((f) => f.startsWith('sessions'))).toHaveLength(2);
  });

  it('does not let callers change stored runs through returned or passed objects', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    const run = makeRun(1);
    await store.sessions.appendRun(alice, run);
    run.answer = 'changed after append';
    const [read] = await store.sessions.getRuns(alice, 1);
    read!.answer = 'changed after read';
    expect((await store.sessions.getRuns(alice, 1))[0]!.answer).toBe('answer 1');
  });

  it('serves a busy session from memory and re-reads it once evicted from the cache', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY, maxOpenFiles: 1 });
    await store.sessions.appendRun(alice, makeRun(1));
    await editFirstAnswerOnDisk('edited on disk');
    expect((await store.sessions.getRuns(alice, 1))[0]!.answer).toBe('answer 1');
    await store.sessions.getRuns({ userId: 'bob', sessionId: 'other' }, 1);
    expect((await store.sessions.getRuns(alice, 1))[0]!.answer).toBe('edited on disk');
  });

  it('bounds the cache by bytes: a session pushed out by bigger ones is re-read from disk', async () => {
    const big = (n: number) => makeRun(n, { answer: 'x'.repeat(600) });
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY, cacheBytes: 1000 });
    await store.sessions.appendRun(alice, big(1));
    await editFirstAnswerOnDisk('edited on disk');
    expect((await store.sessions.getRuns(alice, 1))[0]!.answer).toBe('x'.repeat(600));
    await store.sessions.appendRun({ userId: 'bob', sessionId: 'other' }, big(2));
    expect((await store.sessions.getRuns(alice, 1))[0]!.answer).toBe('edited on disk');
  });

  it('rejects a cache size that is not positive', async () => {
    await expect(createFileStore({ dataDir, secretKey: TEST_KEY, cacheBytes: 0 })).rejects.toThrow(/cacheBytes/);
    expect(cacheBytesFromEnv({})).toBe(64 * 1024 * 1024);
    expect(cacheBytesFromEnv({ AGENTLLM_SESSION_CACHE_MB: '0.5' })).toBe(512 * 1024);
    expect(() => cacheBytesFromEnv({ AGENTLLM_SESSION_CACHE_MB: 'lots' })).toThrow("AGENTLLM_SESSION_CACHE_MB must be a number of megabytes, above 0, got 'lots' (unset it for the default, 64)");
    expect(() => cacheBytesFromEnv({ AGENTLLM_SESSION_CACHE_MB: '0' })).toThrow('above 0');
  });

  it('shards the sessions of one user into subdirectories by session hash', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await store.sessions.appendRun(alice, makeRun(1));
    const [file] = await listFiles(join(dataDir, 'sessions'));
    const [uu, user, ss, name] = file!.split('/');
    expect(user!.slice(0, 2)).toBe(uu);
    expect(name!.slice(0, 2)).toBe(ss);
    expect(file).toBe(sessionFile(alice).replace(/^sessions\//, ''));
  });

  it('reads a session file of the former layout (no session subdirectory) and moves it to its new place', async () => {
    await writeFormerFile(JSON.stringify({ version: 1, runs: [makeRun(1)], pendingQuestion: 'waiting' }));
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    expect((await store.sessions.getRuns(alice, 5)).map((r) => r.user)).toEqual(['question 1']);
    expect(await store.sessions.getPendingQuestion(alice)).toBe('waiting');
    await store.sessions.appendRun(alice, makeRun(2));
    expect((await listFiles(dataDir)).filter((f) => f.startsWith('sessions'))).toEqual([sessionFile(alice)]);
    const reopened = await createFileStore({ dataDir, secretKey: TEST_KEY });
    expect((await reopened.sessions.getRuns(alice, 5)).map((r) => r.user)).toEqual(['question 1', 'question 2']);
  });

  it('reports a corrupt file of the former layout as unreadable, its content untouched', async () => {
    await writeFormerFile('{"runs": [');
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await expect(store.sessions.getRuns(alice, 5)).rejects.toMatchObject({ status: 500, code: 'session_unreadable' });
    expect(await readFile(join(dataDir, sessionFile(alice)), 'utf8')).toBe('{"runs": [');
  });

  it('rejects a non-string id with a 400', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    const bad = { userId: 42, sessionId: 'x' } as unknown as typeof alice;
    await expect(store.sessions.getRuns(bad, 1)).rejects.toMatchObject({ status: 400 });
  });

  it('appends to a hand-written file that has only a runs array', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await store.sessions.appendRun(alice, makeRun(1));
    const [file] = (await listFiles(dataDir)).filter((f) => f.startsWith('sessions'));
    await writeFile(join(dataDir, file!), JSON.stringify({ runs: [makeRun(7)] }));
    const reopened = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await reopened.sessions.appendRun(alice, makeRun(8));
    const again = await createFileStore({ dataDir, secretKey: TEST_KEY });
    expect((await again.sessions.getRuns(alice, 5)).map((r) => r.user)).toEqual(['question 7', 'question 8']);
  });
});

describe('pending question', () => {
  it('is set, read, replaced and deleted', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    expect(await store.sessions.getPendingQuestion(alice)).toBeUndefined();
    await store.sessions.setPendingQuestion(alice, 'first');
    await store.sessions.setPendingQuestion(alice, 'second');
    expect(await store.sessions.getPendingQuestion(alice)).toBe('second');
    await store.sessions.setPendingQuestion(alice, undefined);
    expect(await store.sessions.getPendingQuestion(alice)).toBeUndefined();
    const reopened = await createFileStore({ dataDir, secretKey: TEST_KEY });
    expect(await reopened.sessions.getPendingQuestion(alice)).toBeUndefined();
  });

  it('is kept apart from the run history', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    await store.sessions.setPendingQuestion(alice, 'pending');
    await store.sessions.appendRun(alice, makeRun(1));
    expect(await store.sessions.getPendingQuestion(alice)).toBe('pending');
    expect(await store.sessions.getRuns(alice, 5)).toHaveLength(1);
  });
});

describe('flush', () => {
  it('waits for queued writes to reach the disk', async () => {
    const store = await createFileStore({ dataDir, secretKey: TEST_KEY });
    const writes = Array.from({ length: 20 }, (_, n) => store.sessions.appendRun({ userId: 'u', sessionId: `s${n % 4}` }, makeRun(n)));
    await store.flush();
    const files = (await listFiles(dataDir)).filter((f) => f.startsWith('sessions'));
    expect(files).toHaveLength(4);
    const counts = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dataDir, f), 'utf8')).runs.length));
    expect(counts).toEqual([5, 5, 5, 5]);
    await Promise.all(writes);
  });
});
