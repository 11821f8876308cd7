import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveServeSettings } from '../../src/cli/settings.ts';

/** `docker run --env-file .env` with .env copied from .env.example: what serve sees inside the image. */
const root = join(import.meta.dirname, '../..');
const read = (name: string): string => readFileSync(join(root, name), 'utf8');

/** The Dockerfile's ENV values (`ENV A=1 \` continuation lines joined). */
function readImageEnv(dockerfile: string): Record<string, string> {
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((line) => line.trim());
  const pairs = lines.filter((line) => /^ENV\s/i.test(line)).flatMap((line) => line.replace(/^ENV\s+/i, '').split(/\s+/));
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

/** Docker's env-file rules: `#` lines are comments, `NAME=value` sets value verbatim (an empty one too). */
function readEnvFile(text: string): Record<string, string> {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1)]));
}

const containerEnv = (extra: Record<string, string> = {}) => ({ ...readImageEnv(read('Dockerfile')), ...readEnvFile(read('.env.example')), ...extra });

describe('docker run --env-file .env (copied from .env.example)', () => {
  it('reads the image defaults the test relies on', () => {
    expect(readImageEnv(read('Dockerfile'))).toMatchObject({ HOST: '0.0.0.0', PORT: '8000', AGENTLLM_DATA_DIR: '/app/data' });
    expect(readEnvFile('A=\n# B=1\nC=x=y')).toEqual({ A: '', C: 'x=y' });
  });

  it('keeps the image HOST, so serve refuses to start without AGENTLLM_API_KEY instead of binding 127.0.0.1 unreachably', () => {
    expect(containerEnv().HOST).toBe('0.0.0.0');
    expect(() => resolveServeSettings({}, containerEnv())).toThrow(/refusing to listen on 0\.0\.0\.0 \(HOST\) without AGENTLLM_API_KEY/);
  });

  it('with a key, listens on the published port on every interface and keeps data on the volume', () => {
    expect(resolveServeSettings({}, containerEnv({ AGENTLLM_API_KEY: 'k' }))).toMatchObject({ host: '0.0.0.0', port: 8000, dataDir: '/app/data' });
  });
});
