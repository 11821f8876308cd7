import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../fakes/google-server.ts';
import { JWT_BEARER } from '../fakes/google-jwt-grant.ts';
import type { Env } from '../../src/toolkit/plugin.ts';
import { chat } from './chat-client.ts';
import { readDataFiles, startStack, type Stack } from './stack.ts';

const EMAIL = 'drive-reader@agentllm-test.iam.gserviceaccount.com';
const AGENT = 'name: drive-bot\ndescription: Reads the team docs.\ninstructions: You read Drive.\ntoolkits:\n  required: [google-drive]\n';
const model = 'drive-bot';

/** A service account key file as Google Cloud console downloads it, for a key pair made here. */
function makeKey(): { json: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const json = JSON.stringify({
    type: 'service_account', project_id: 'agentllm-test', private_key_id: 'key-0001', private_key: pem,
    client_email: EMAIL, client_id: '1234567890', token_uri: 'https://oauth2.googleapis.com/token',
  });
  return { json, publicKey };
}

/** Google's endpoints, all pointed at the fake, and no OAuth client: the service account needs none. */
function endpoints(google: FakeGoogle, extra: Env): Env {
  return { GOOGLE_TOKEN_BASE_URL: google.url, GOOGLE_API_BASE_URL: google.url, GOOGLE_OAUTH_BASE_URL: google.url, ...extra };
}

function claimsOfLastAssertion(google: FakeGoogle): Record<string, unknown> {
  const grant = google.requests.filter((r) => r.form?.grant_type === JWT_BEARER).at(-1)!;
  return JSON.parse(Buffer.from(grant.form!.assertion!.split('.')[1]!, 'base64url').toString('utf8'));
}

describe('Google Drive through an operator service account (no user credential)', () => {
  let google: FakeGoogle;
  let stack: Stack | undefined;
  const key = makeKey();
  beforeAll(async () => {
    google = await startFakeGoogle();
    google.addServiceAccount({ email: EMAIL, publicKey: key.publicKey, delegates: ['ada@example.com'] });
  });
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });
  afterAll(() => google.close());

  it('answers a Drive search with the service account (GOOGLE_SERVICE_ACCOUNT_KEY), without asking the user to connect', async () => {
    stack = await startStack({ agents: { 'drive-bot.yaml': AGENT }, env: endpoints(google, { GOOGLE_SERVICE_ACCOUNT_KEY: key.json }) });
    stack.gemini.enqueue(
      { chunks: [{ functionCall: { name: 'drive_search', args: { query: 'playbook' } } }] },
      { chunks: [{ text: 'I found the Incident Playbook.' }] },
    );
    const reply = await chat(stack.url, { user: 'grace', session: 'g1', text: 'Find the playbook in Drive', model });
    expect(reply.status).toBe(200);
    expect(reply.content).not.toContain('/o/oauth2/v2/auth');
    expect(reply.content).toContain('name="drive_search"');
    expect(reply.content).toContain('I found the Incident Playbook.');
    const toolResult = JSON.stringify(stack.gemini.requests.at(-1)!.body.contents.at(-1));
    expect(toolResult).toContain('Incident Playbook');
    expect(toolResult).toContain('notes.txt');

    const claims = claimsOfLastAssertion(google);
    expect(claims).toMatchObject({ iss: EMAIL, scope: 'https://www.googleapis.com/auth/drive.readonly', aud: 'https://oauth2.googleapis.com/token' });
    expect(claims.sub).toBeUndefined();
    const stored = await readDataFiles(stack.dataDir);
    expect(stored).not.toContain('PRIVATE KEY');
    expect(stored).not.toMatch(/ya29\./);
  });

  it('reads the key file GOOGLE_APPLICATION_CREDENTIALS names and impersonates GOOGLE_SERVICE_ACCOUNT_SUBJECT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agentllm-sa-'));
    const path = join(dir, 'service-account.json');
    await writeFile(path, key.json, { mode: 0o600 });
    stack = await startStack({
      agents: { 'drive-bot.yaml': AGENT },
      env: endpoints(google, { GOOGLE_APPLICATION_CREDENTIALS: path, GOOGLE_SERVICE_ACCOUNT_SUBJECT: 'ada@example.com' }),
    });
    stack.gemini.enqueue(
      { chunks: [{ functionCall: { name: 'drive_read_file', args: { file: 'txt-notes-0001' } } }] },
      { chunks: [{ text: 'Your notes point to the Team Handbook.' }] },
    );
    const reply = await chat(stack.url, { user: 'heidi', session: 'h1', text: 'read notes.txt from my drive', model });
    expect(reply.content).toContain('Your notes point to the Team Handbook.');
    expect(JSON.stringify(stack.gemini.requests.at(-1)!.body.contents.at(-1))).toContain('the playbook lives in the Team Handbook folder');
    expect(claimsOfLastAssertion(google)).toMatchObject({ iss: EMAIL, sub: 'ada@example.com' });
    await rm(dir, { recursive: true, force: true });
  });

  it('tells the operator what is wrong when the key is not a service account key, or Google refuses it', async () => {
    const other = makeKey();
    for (const [extra, expected] of [
      [{ GOOGLE_SERVICE_ACCOUNT_KEY: '{"type": "authorized_user"}' }, 'GOOGLE_SERVICE_ACCOUNT_KEY is not a service account key'],
      [{ GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent/key.json' }, 'cannot read the key file'],
      [{ GOOGLE_SERVICE_ACCOUNT_KEY: other.json }, 'invalid_grant (Invalid JWT Signature.)'],
      [{ GOOGLE_SERVICE_ACCOUNT_KEY: key.json, GOOGLE_SERVICE_ACCOUNT_SUBJECT: 'mallory@example.com' }, 'unauthorized_client'],
    ] as const) {
      stack = await startStack({ agents: { 'drive-bot.yaml': AGENT }, env: endpoints(google, extra) });
      stack.gemini.enqueue(
        { chunks: [{ functionCall: { name: 'drive_search', args: { query: 'budget' } } }] },
        { chunks: [{ text: 'Drive is not available.' }] },
      );
      const reply = await chat(stack.url, { user: 'ivan', session: 'i1', text: 'find the budget sheet in drive', model });
      expect(reply.status).toBe(503);
      expect(reply.content).toContain('The Google service account is not set up correctly on this server');
      expect(reply.content).toContain(expected);
      expect(reply.content).not.toContain('PRIVATE KEY');
      expect((await fetch(`${stack.url}/health`)).status).toBe(200);
      await stack.close();
      stack = undefined;
    }
  });
});
