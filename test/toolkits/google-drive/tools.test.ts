import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential, Tool } from '../../../src/toolkit/plugin.ts';
import plugin from '../../../toolkits/google-drive/index.ts';
import { SEED, startFakeGoogle, type FakeGoogle } from '../../fakes/google-server.ts';
import { fakeEnv } from './fake-env.ts';

let fake: FakeGoogle;
beforeAll(async () => {
  fake = await startFakeGoogle();
  fake.files.set('txt-long-0001', {
    id: 'txt-long-0001', name: 'long.md', mimeType: 'text/markdown', parents: ['root'], content: 'x'.repeat(3000),
  });
});
afterAll(() => fake.close());

function freshCredential(): Credential {
  const tokens = fake.issueTokens();
  return { access_token: tokens.access_token, refresh_token: tokens.refresh_token, expiry_date: String(tokens.expiry_date), token_type: 'Bearer' };
}

async function buildTools(options: { credential?: Credential; config?: Record<string, unknown>; saved?: Credential[] } = {}) {
  const tools = await plugin.buildTools({
    credential: options.credential ?? freshCredential(),
    config: options.config ?? {},
    env: fakeEnv(fake),
    user: { id: 'user-1' },
    saveCredential: async (c) => void options.saved?.push(c),
  });
  return (name: string, args: Record<string, unknown>) => {
    const tool = tools.find((t: Tool) => t.name === name);
    if (!tool) throw new Error(`no tool ${name}`);
    return tool.handler(args, { signal: new AbortController().signal }) as Promise<Record<string, any>>;
  };
}

describe('google-drive tools', () => {
  it('offers the three Drive tools with object parameter schemas', async () => {
    const tools = await plugin.buildTools({
      credential: freshCredential(), config: {}, env: fakeEnv(fake), user: { id: 'u' }, saveCredential: async () => {},
    });
    expect(tools.map((t) => t.name).sort()).toEqual(['drive_list_folder', 'drive_read_file', 'drive_search']);
    for (const tool of tools) expect(tool.parameters).toMatchObject({ type: 'object' });
  });

  it('drive_search finds files by name or text, skips the trash and returns links and owners', async () => {
    const call = await buildTools();
    const result = await call('drive_search', { query: 'playbook' });
    expect(result.files.map((f: { id: string }) => f.id).sort()).toEqual([SEED.doc, SEED.slides, SEED.text].sort());
    expect(result.files.find((f: { id: string }) => f.id === SEED.doc)).toEqual({
      id: SEED.doc,
      name: 'Incident Playbook',
      mimeType: 'application/vnd.google-apps.document',
      modifiedTime: '2025-05-01T10:00:00.000Z',
      webViewLink: `https://docs.google.com/document/d/${SEED.doc}/edit?usp=drivesdk`,
      owners: ['ada@example.com'],
    });
  });

  it('drive_search narrows by kind and by folder (the configured one by default)', async () => {
    const byKind = await (await buildTools())('drive_search', { query: 'playbook', kind: 'document' });
    expect(byKind.files.map((f: { id: string }) => f.id)).toEqual([SEED.doc]);
    const inFolder = await (await buildTools({ config: { folder_id: `https://drive.google.com/drive/folders/${SEED.folder}` } }))(
      'drive_search', { query: 'playbook' },
    );
    expect(inFolder.files.map((f: { id: string }) => f.id).sort()).toEqual([SEED.doc, SEED.slides].sort());
    await expect((await buildTools())('drive_search', { query: 'x', kind: 'video game' })).rejects.toThrow(/Unknown file kind/);
  });

  it('drive_search pages with max_results and page_token', async () => {
    const call = await buildTools({ config: { max_results: 2 } });
    const first = await call('drive_search', { query: 'playbook' });
    expect(first.files).toHaveLength(2);
    const second = await call('drive_search', { query: 'playbook', page_token: first.nextPageToken });
    expect(second.files).toHaveLength(1);
    expect(second.nextPageToken).toBeUndefined();
  });

  it('drive_list_folder lists a folder by URL, folders first, or the configured folder, or My Drive', async () => {
    const call = await buildTools();
    const byUrl = await call('drive_list_folder', { folder: `https://drive.google.com/drive/u/0/folders/${SEED.folder}` });
    expect(byUrl.files.map((f: { name: string }) => f.name)).toEqual(['Budget 2025', 'Incident Playbook', 'Kickoff deck']);
    const configured = await (await buildTools({ config: { folder_id: SEED.folder } }))('drive_list_folder', {});
    expect(configured.files).toHaveLength(3);
    const root = await call('drive_list_folder', {});
    expect(root.files[0]).toMatchObject({ id: SEED.folder, name: 'Team Handbook' });
  });

  it.each([
    [SEED.doc, 'text/markdown', '# Incident Playbook'],
    [`https://docs.google.com/document/d/${SEED.doc}/edit?tab=t.0`, 'text/markdown', '2. Open a **status page** incident.'],
    [`https://docs.google.com/spreadsheets/d/${SEED.sheet}/edit#gid=0`, 'text/csv', 'Platform,120,140'],
    [`https://docs.google.com/presentation/d/${SEED.slides}/edit`, 'text/plain', 'Goals for the quarter'],
    [`https://drive.google.com/file/d/${SEED.text}/view?usp=sharing`, 'text/plain', 'Remember: the playbook'],
    [`https://drive.google.com/open?id=${SEED.text}`, 'text/plain', 'Team Handbook folder'],
  ])('drive_read_file reads %s as %s', async (file, format, excerpt) => {
    const result = await (await buildTools())('drive_read_file', { file });
    expect(result).toMatchObject({ readable: true, format, truncated: false });
    expect(result.content).toContain(excerpt);
  });

  it('drive_read_file explains files it cannot read instead of failing', async () => {
    const call = await buildTools();
    const pdf = await call('drive_read_file', { file: SEED.pdf });
    expect(pdf).toMatchObject({ readable: false, name: 'Signed contract.pdf', message: expect.stringMatching(/Cannot read this type of file \(application\/pdf\)/) });
    expect(fake.requests.some((r) => r.path === `/drive/v3/files/${SEED.pdf}` && r.query.alt === 'media')).toBe(false);
    const folder = await call('drive_read_file', { file: SEED.folder });
    expect(folder).toMatchObject({ readable: false, message: expect.stringMatching(/drive_list_folder/) });
  });

  it('drive_read_file truncates long files to max_file_chars and says so', async () => {
    const result = await (await buildTools({ config: { max_file_chars: 1000 } }))('drive_read_file', { file: 'txt-long-0001' });
    expect(result).toMatchObject({ readable: true, truncated: true, totalChars: 3000 });
    expect(result.content.startsWith('x'.repeat(1000) + '\n\n[Truncated')).toBe(true);
    expect(result.content).toContain('first 1000 of 3000 characters');
  });

  it('drive_read_file reports unknown files and non-Drive input clearly', async () => {
    const call = await buildTools();
    await expect(call('drive_read_file', { file: 'doesNotExist123' })).rejects.toThrow(/doesNotExist123 was not found, or the user has no access/);
    await expect(call('drive_read_file', { file: 'https://example.com/a' })).rejects.toThrow(/not a Google Drive file id/);
  });

  it('refreshes an expired access token before calling Drive and saves the new credential', async () => {
    const saved: Credential[] = [];
    const old: Credential = { ...freshCredential(), expiry_date: String(Date.now() - 60_000) };
    const result = await (await buildTools({ credential: old, saved }))('drive_read_file', { file: SEED.sheet });
    expect(result.readable).toBe(true);
    expect(saved).toHaveLength(1);
    expect(saved[0]?.access_token).toMatch(/^ya29\./);
    expect(saved[0]?.access_token).not.toBe(old.access_token);
    expect(saved[0]?.refresh_token).toBe(old.refresh_token);
    expect(Number(saved[0]?.expiry_date)).toBeGreaterThan(Date.now());
    const driveCall = fake.requests.filter((r) => r.path === `/drive/v3/files/${SEED.sheet}`).at(-1);
    expect(driveCall?.token).toBe(saved[0]?.access_token);
  });

  it('refreshes when Google answers 401 to a token it revoked early, then retries', async () => {
    const saved: Credential[] = [];
    const call = await buildTools({ saved });
    fake.expireAccessTokens();
    const result = await call('drive_search', { query: 'budget' });
    expect(result.files.map((f: { id: string }) => f.id)).toEqual([SEED.sheet]);
    expect(saved).toHaveLength(1);
  });

  it('tells the model the user must reconnect when the refresh token was revoked', async () => {
    const credential = freshCredential();
    const call = await buildTools({ credential });
    fake.expireAccessTokens();
    fake.revokeRefreshToken(credential.refresh_token ?? '');
    await expect(call('drive_search', { query: 'budget' })).rejects.toThrow(/connect Google Drive again/);
  });
});
