import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, startServe, type ServeProcess } from '../cli/cli-process.ts';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-server.ts';

/**
 * Gemini is https in production: `agentllm serve` (the real binary) against a fake Gemini on TLS
 * with a certificate of its own, over both transports. Trusted through NODE_EXTRA_CA_CERTS (as
 * behind a company's TLS proxy) it answers; untrusted it refuses to talk to it.
 */
let dir: string;
let caFile: string;
let fake: FakeGemini;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agentllm-tls-'));
  await mkdir(join(dir, 'agents'));
  await writeFile(join(dir, 'agents', 'tls.yaml'), 'name: tls\ndescription: Talks to Gemini over TLS.\ninstructions: Be brief.\n');
  const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    notAfterDate: new Date(Date.now() + 24 * 3600_000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  caFile = join(dir, 'ca.pem');
  await writeFile(caFile, pems.cert);
  fake = await startFakeGemini({ tls: { key: pems.private, cert: pems.cert } });
});
afterAll(async () => {
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

async function serve(env: Record<string, string>): Promise<ServeProcess> {
  const settings = { GEMINI_API_KEY: 'tls-test-key', GEMINI_BASE_URL: fake.url, GEMINI_RETRY_ATTEMPTS: '1', ...env };
  return startServe(['--port', '0', '--agents', 'agents', '--data', 'data'], dir, cleanEnv(settings));
}

describe.each(['node', 'fetch'])('Gemini over https, GEMINI_TRANSPORT=%s', (transport) => {
  it('answers, streaming and not, when the certificate is trusted', async () => {
    const server = await serve({ GEMINI_TRANSPORT: transport, NODE_EXTRA_CA_CERTS: caFile });
    try {
      expect(fake.url).toMatch(/^https:/);
      const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused' });
      const completion = await client.chat.completions.create({ model: 'tls', messages: [{ role: 'user', content: 'over tls' }] });
      expect(completion.choices[0]?.message.content).toBe('echo: over tls');
      const stream = await client.chat.completions.create({ model: 'tls', stream: true, messages: [{ role: 'user', content: 'streamed' }] });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe('echo: streamed');
    } finally {
      await server.stop();
    }
  });

  it('refuses a certificate it does not trust with 502 upstream_unreachable', async () => {
    const server = await serve({ GEMINI_TRANSPORT: transport });
    try {
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'tls', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(502);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('upstream_unreachable');
      expect(body.error.message).toMatch(/CERT/);
    } finally {
      await server.stop();
    }
  });
});
