import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI, { NotFoundError } from 'openai';
import { createServer } from '../../src/server/create-server.ts';
import { createSilentLogger } from '../../src/logger.ts';
import { helloScript, makeRegistry, startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const model = (id: string): unknown => ({
  id,
  object: 'model',
  created: Math.floor(Date.parse('2025-01-02T03:04:05Z') / 1000),
  owned_by: 'agentllm',
  name: id,
  description: `The ${id} agent.`,
});

describe('models', () => {
  it('lists every agent through the openai client', async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused' });
    const page = await client.models.list();
    expect(page.data).toEqual([model('helper'), model('writer')]);
  });

  it('serves the same list without the /v1 prefix', async () => {
    const response = await fetch(`${server.url}/models`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ object: 'list', data: [model('helper'), model('writer')] });
  });

  it('gets one model, with and without /v1', async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused' });
    expect(await client.models.retrieve('writer')).toEqual(model('writer'));
    expect(await (await fetch(`${server.url}/models/helper`)).json()).toEqual(model('helper'));
  });

  it('answers an unknown model with a 404 listing the available ones', async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const error = await client.models.retrieve('nope').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toContain("The model 'nope' does not exist. Available models: helper, writer");
  });
});

describe('health', () => {
  it('is ok and ready with agents loaded', async () => {
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', agents: 2, toolkits: 0, errors: [], setup_problems: [] });
  });

  it('is not ready (503) with zero agents, listing load errors by file:line:col', async () => {
    const empty = createServer({
      registry: makeRegistry([], [{ file: 'agents/bad.yaml', line: 3, col: 5, message: 'name is required' }]),
      runTurn: helloScript,
      logger: createSilentLogger(),
    });
    const running = await empty.listen(0, '127.0.0.1');
    try {
      const ready = await fetch(`${running.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: 'not_ready',
        agents: 0,
        toolkits: 0,
        errors: ['agents/bad.yaml:3:5 name is required'],
        setup_problems: [],
      });
      expect((await fetch(`${running.url}/health`)).status).toBe(200);
    } finally {
      await running.close();
    }
  });
});

describe('routing', () => {
  it('answers an unknown route with a 404 OpenAI error', async () => {
    const response = await fetch(`${server.url}/v1/embeddings`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { message: 'Unknown route: POST /v1/embeddings', type: 'not_found_error', param: null, code: 'unknown_route' },
    });
  });

  it('answers a wrong method with a 405 OpenAI error and Allow', async () => {
    const response = await fetch(`${server.url}/v1/chat/completions`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toContain('POST');
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('method_not_allowed');
    expect(body.error.message).toContain('GET');
  });

  it('sends X-Request-Id and Server-Timing total on every response', async () => {
    for (const path of ['/health', '/v1/models', '/nowhere']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
      expect(response.headers.get('server-timing')).toMatch(/total;dur=\d+(\.\d)?$/);
    }
  });
});
