import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../../toolkits/jira/index.ts';
import { startFakeJira } from '../../fakes/jira-server.ts';
import type { FakeJira } from '../../fakes/jira-server.ts';
import { cloudCredential, serverCredential } from './helpers.ts';

let fake: FakeJira;
beforeAll(async () => {
  fake = await startFakeJira();
});
afterAll(() => fake.close());

describe('jira validateCredential', () => {
  it('accepts a Cloud email + API token and names the account, keeping the URL it was checked against', async () => {
    const check = await plugin.validateCredential({ credential: cloudCredential, config: { server_url: fake.url }, env: {} });
    expect(check).toEqual({ ok: true, credential: { ...cloudCredential, url: fake.url }, account: 'Ada Lovelace <ada@example.com>' });
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/rest/api/3/myself');
    expect(request.authorization).toMatch(/^Basic /);
  });

  it('accepts a Server/DC personal access token (Bearer, REST v2) with the url from the credential', async () => {
    const check = await plugin.validateCredential({ credential: { ...serverCredential, url: fake.url }, config: {}, env: {} });
    expect(check.ok).toBe(true);
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/rest/api/2/myself');
    expect(request.authorization).toBe(`Bearer ${serverCredential.token}`);
  });

  it('rejects a wrong token with a clear message', async () => {
    const check = await plugin.validateCredential({ credential: { ...cloudCredential, token: 'ATATT3-wrong' }, config: { server_url: fake.url }, env: {} });
    expect(check.ok).toBe(false);
    expect(!check.ok && check.error).toMatch(/rejected the credential \(401/);
  });

  it('reports an unreachable Jira', async () => {
    const port = await freePort();
    const check = await plugin.validateCredential({ credential: cloudCredential, config: { server_url: `http://127.0.0.1:${port}` }, env: {} });
    expect(check.ok).toBe(false);
    expect(!check.ok && check.error).toMatch(/Could not reach Jira at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });

  it('says how to give the Jira URL when none is known', async () => {
    const check = await plugin.validateCredential({ credential: cloudCredential, config: {}, env: {} });
    expect(check).toEqual({ ok: false, error: expect.stringContaining('server_url') });
  });
});

describe('jira credentialFromEnv', () => {
  it('reads JIRA_API_TOKEN, JIRA_EMAIL and JIRA_URL', () => {
    expect(plugin.credentialFromEnv?.({ JIRA_API_TOKEN: 't0k', JIRA_EMAIL: 'ops@acme.com', JIRA_URL: 'https://acme.atlassian.net' })).toEqual({
      token: 't0k',
      email: 'ops@acme.com',
      url: 'https://acme.atlassian.net',
    });
    expect(plugin.credentialFromEnv?.({ JIRA_API_TOKEN: 'pat' })).toEqual({ token: 'pat' });
    expect(plugin.credentialFromEnv?.({ JIRA_EMAIL: 'ops@acme.com' })).toBeUndefined();
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
