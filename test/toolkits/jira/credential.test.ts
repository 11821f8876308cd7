import { createServer as createHttpServer } from 'node:http';
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

describe('jira sites: a token goes only where it was checked, over https', () => {
  it('refuses a pasted http address of another host, and one outside JIRA_ALLOWED_HOSTS, before sending anything', async () => {
    const before = fake.requests.length;
    const clear = await plugin.validateCredential({ credential: { ...serverCredential, url: 'http://jira.internal.example' }, config: {}, env: {} });
    expect(clear).toEqual({ ok: false, error: expect.stringContaining('must start with https://') });
    // *.localhost may be looked up in DNS by this server's resolver: not a loopback host for a clear-text token.
    const subdomain = await plugin.validateCredential({ credential: { ...serverCredential, url: 'http://jira.localhost:8080' }, config: {}, env: {} });
    expect(subdomain).toEqual({ ok: false, error: expect.stringContaining('must start with https://') });
    const outside = await plugin.validateCredential({ credential: { ...serverCredential, url: 'https://evil.example' }, config: {}, env: { JIRA_ALLOWED_HOSTS: 'jira.acme.com,*.atlassian.net' } });
    expect(outside).toEqual({ ok: false, error: expect.stringContaining('evil.example is not one of them') });
    expect(fake.requests.length).toBe(before);
  });

  it('names a stored token of another site than the agent\'s server_url as a mismatch, and the same site as none', () => {
    const mismatch = plugin.credentialMismatch!({ credential: { token: 't', url: 'https://a.atlassian.net' }, config: { server_url: 'https://b.atlassian.net' }, env: {} });
    expect(mismatch).toContain('https://a.atlassian.net, but this agent works with https://b.atlassian.net');
    expect(plugin.credentialMismatch!({ credential: { token: 't', url: 'https://A.atlassian.net/' }, config: { server_url: 'https://a.atlassian.net' }, env: {} })).toBeUndefined();
    expect(plugin.credentialMismatch!({ credential: { token: 't', url: 'https://a.atlassian.net' }, config: {}, env: {} })).toBeUndefined();
  });

  it('never echoes a response body that is not Jira\'s error JSON', async () => {
    const server = createHttpServer((_req, res) => res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>internal admin page: db password hunter2</body></html>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const check = await plugin.validateCredential({ credential: { ...serverCredential, url }, config: {}, env: {} });
    await new Promise((resolve) => server.close(resolve));
    expect(check).toEqual({ ok: false, error: 'Jira answered 500.' });
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
