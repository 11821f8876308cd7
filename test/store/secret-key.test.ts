import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore, deriveKey, resolveSecretKey } from '../../src/store/file-store.ts';
import { captureLogger, makeTempDir, removeDir } from './helpers.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dataDir);
});

describe('resolveSecretKey', () => {
  it('takes 64 hex characters as the key bytes', async () => {
    const hex = randomBytes(32).toString('hex');
    expect((await resolveSecretKey({ dataDir, secretKey: hex })).toString('hex')).toBe(hex);
  });

  it('takes base64 of 32 bytes as the key bytes', async () => {
    const bytes = randomBytes(32);
    expect(await resolveSecretKey({ dataDir, secretKey: bytes.toString('base64') })).toEqual(bytes);
  });

  it('stretches any other text (a passphrase) into a stable 32-byte key', async () => {
    const a = await resolveSecretKey({ dataDir, secretKey: 'correct horse battery staple' });
    const b = await resolveSecretKey({ dataDir, secretKey: 'correct horse battery staple' });
    const c = await resolveSecretKey({ dataDir, secretKey: 'correct horse battery stapler' });
    expect(a).toHaveLength(32);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('generates a key file with mode 0600 once, warns without printing the key, and reuses it', async () => {
    const log = captureLogger();
    const first = await resolveSecretKey({ dataDir, logger: log.logger });
    const keyFile = join(dataDir, 'secret.key');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(log.lines.some((l) => l.level === 40 && String(l.msg).includes('AGENTLLM_SECRET_KEY'))).toBe(true);
    expect(log.text()).not.toContain(first.toString('hex'));
    expect(log.text()).not.toContain(first.toString('base64'));
    const second = await resolveSecretKey({ dataDir, logger: log.logger });
    expect(second).toEqual(first);
    expect((await readFile(keyFile, 'utf8')).trim()).toBe(first.toString('hex'));
  });

  it('generates one key even when starts race, and never reads a half-written key file', async () => {
    for (let round = 0; round < 20; round++) {
      const dir = join(dataDir, `round-${round}`);
      const keys = await Promise.all(Array.from({ length: 6 }, () => resolveSecretKey({ dataDir: dir })));
      expect(new Set(keys.map((key) => key.toString('hex'))).size).toBe(1);
      expect(await readdir(dir)).toEqual(['secret.key']);
    }
  });

  it('fails with a clear error when the key file is empty', async () => {
    await writeFile(join(dataDir, 'secret.key'), '', { mode: 0o600 });
    await expect(resolveSecretKey({ dataDir })).rejects.toMatchObject({ status: 500, code: 'secret_key_invalid' });
  });

  it('ignores the key file when AGENTLLM_SECRET_KEY is given', async () => {
    await resolveSecretKey({ dataDir, secretKey: 'f'.repeat(64) });
    await expect(stat(join(dataDir, 'secret.key'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('deriveKey', () => {
  it('derives different, stable 32-byte keys per purpose', () => {
    const master = randomBytes(32);
    const credentials = deriveKey(master, 'credentials');
    expect(credentials).toHaveLength(32);
    expect(deriveKey(master, 'credentials')).toEqual(credentials);
    expect(deriveKey(master, 'oauth-state')).not.toEqual(credentials);
    expect(credentials).not.toEqual(master);
  });
});

describe('a store without AGENTLLM_SECRET_KEY', () => {
  it('reads credentials back after a restart with the generated key file', async () => {
    const first = await createFileStore({ dataDir });
    await first.credentials.set('alice', 'jira', { api_token: 'tok' });
    const second = await createFileStore({ dataDir });
    expect(await second.credentials.get('alice', 'jira')).toEqual({ api_token: 'tok' });
  });
});
