import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * A fresh Node process imports the toolkit plugins the way the registry does at start-up, with a
 * module hook that records every module URL resolved, and reports which ones were heavy client libraries.
 */
const PROBE = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const seen = [];
port1.on('message', (url) => seen.push(url));
const hook = 'let port; export function initialize(data) { port = data.port; }'
  + ' export async function resolve(specifier, context, next) { const result = await next(specifier, context); port.postMessage(result.url); return result; }';
register('data:text/javascript,' + encodeURIComponent(hook), { data: { port: port2 }, transferList: [port2] });
const { register: registerTsx } = await import('tsx/esm/api');
registerTsx();
const [drive, jira] = await Promise.all([import('./toolkits/google-drive/index.ts'), import('./toolkits/jira/index.ts')]);
if (typeof drive.default.buildTools !== 'function' || typeof jira.default.buildTools !== 'function') throw new Error('plugins did not load');
const step = process.argv[1];
if (step === 'use') {
  await drive.default.exchangeCode({ env: { GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'secret', GOOGLE_TOKEN_BASE_URL: 'http://127.0.0.1:9' }, redirectUri: 'http://127.0.0.1:9/cb', scopes: [], config: {}, code: 'x', codeVerifier: 'v' }).catch(() => undefined);
  await jira.default.validateCredential({ credential: { token: 't', url: 'http://127.0.0.1:9' }, config: {}, env: {} });
}
await new Promise((resolve) => setTimeout(resolve, 200));
const heavy = (name) => seen.some((url) => url.includes('/node_modules/' + name + '/'));
console.log(JSON.stringify({ google: heavy('@googleapis/drive') && heavy('google-auth-library'), googleAny: heavy('@googleapis/drive') || heavy('google-auth-library'), jira: heavy('jira.js'), modules: seen.length }));
process.exit(0);
`;

async function probe(step: 'import' | 'use'): Promise<{ google: boolean; googleAny: boolean; jira: boolean; modules: number }> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', PROBE, step], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('toolkit plugins load their client libraries lazily', () => {
  it('importing the plugins (as the registry does at start-up) loads neither the Google clients nor jira.js', async () => {
    const loaded = await probe('import');
    expect(loaded.modules).toBeGreaterThan(10);
    expect(loaded).toMatchObject({ googleAny: false, jira: false });
  }, 30_000);

  it('loads them on first use', async () => {
    expect(await probe('use')).toMatchObject({ google: true, jira: true });
  }, 30_000);
});
