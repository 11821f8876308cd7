import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, startStack, type Stack } from './stack.ts';

/** /health/ready needs no key; to the key's holder it names broken files from their folder, never by absolute path. */
describe('/health/ready over HTTP', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      agents: {
        'good.yaml': agentYaml('good'),
        'broken.yaml': 'name: broken\ndescription: [unclosed\n',
        'lost.yaml': agentYaml('lost', 'toolkits:\n  required:\n    - name: no-such-toolkit\n'),
      },
      apiKey: 'ready-key',
    });
  });
  afterAll(() => stack.close());

  it('lists load errors as <folder>/<file>:line:col without absolute paths', async () => {
    const response = await fetch(`${stack.url}/health/ready`, { headers: { authorization: 'Bearer ready-key' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; errors: string[] };
    expect(body.status).toBe('ready');
    expect(body.errors.some((error) => /^agents\/broken\.yaml:\d+:\d+ /.test(error))).toBe(true);
    expect(body.errors.some((error) => /^agents\/lost\.yaml:\d+:\d+ .*no-such-toolkit/.test(error))).toBe(true);
    const text = JSON.stringify(body);
    expect(text).not.toContain(stack.root);
    expect(text).not.toContain(process.cwd());
  });

  it('without the key says only ready or not, and the counts', async () => {
    const response = await fetch(`${stack.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', agents: 1, toolkits: expect.any(Number), error_count: 2 });
  });
});
