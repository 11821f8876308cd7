import { describe, expect, it } from 'vitest';
import type { ToolCall } from '../../src/conversation.ts';
import { executeToolCall, toolDeclarations } from '../../src/toolkit/execute-tool-call.ts';
import type { Tool } from '../../src/toolkit/plugin.ts';

function tool(name: string, handler: Tool['handler']): Tool {
  return { name, description: `The ${name} tool.`, parameters: { type: 'object', properties: { q: { type: 'string' } } }, handler };
}

function call(name: string, args: Record<string, unknown> = {}): ToolCall {
  return { id: 'call-1', name, args };
}

const signal = new AbortController().signal;

describe('toolDeclarations', () => {
  it('declares name, description and parameters of each tool', () => {
    const handler = async () => null;
    expect(toolDeclarations([tool('search', handler)])).toEqual([
      { name: 'search', description: 'The search tool.', parameters: { type: 'object', properties: { q: { type: 'string' } } } },
    ]);
  });
});

describe('executeToolCall', () => {
  it('returns what the handler returned, with the call id and name', async () => {
    const tools = [tool('search', async (args) => ({ hits: [args.q] }))];
    expect(await executeToolCall(tools, call('search', { q: 'bug' }), { signal })).toEqual({
      id: 'call-1',
      name: 'search',
      result: { hits: ['bug'] },
      isError: false,
    });
  });

  it('turns a thrown error (async or not) into an error result', async () => {
    const tools = [
      tool('fails', async () => {
        throw new Error('Jira said 404: issue PROJ-9 does not exist');
      }),
      tool('sync', () => {
        throw new Error('bad argument q');
      }),
    ];
    expect(await executeToolCall(tools, call('fails'), { signal })).toEqual({
      id: 'call-1',
      name: 'fails',
      result: 'Jira said 404: issue PROJ-9 does not exist',
      isError: true,
    });
    expect((await executeToolCall(tools, call('sync'), { signal })).result).toEqual('bad argument q');
  });

  it('gives up on a slow tool after the timeout and aborts its signal', async () => {
    let aborted = false;
    const slow = tool('slow', (_args, context) => new Promise((resolve) => {
      context.signal.addEventListener('abort', () => {
        aborted = true;
        resolve('too late');
      });
    }));
    const result = await executeToolCall([slow], call('slow'), { signal, timeoutMs: 30 });
    expect(result).toEqual({ id: 'call-1', name: 'slow', result: "Tool 'slow' timed out after 30 ms.", isError: true });
    expect(aborted).toBe(true);
  });

  it('stops waiting when the request is cancelled', async () => {
    const controller = new AbortController();
    const hanging = tool('hang', () => new Promise(() => {}));
    const pending = executeToolCall([hanging], call('hang'), { signal: controller.signal });
    controller.abort();
    expect((await pending).result).toEqual("Tool 'hang' was cancelled.");
  });

  it('tells the model which tools exist when it calls an unknown one', async () => {
    const tools = [tool('search', async () => 1), tool('get_issue', async () => 2)];
    expect(await executeToolCall(tools, call('delete_everything'), { signal })).toEqual({
      id: 'call-1',
      name: 'delete_everything',
      result: "Unknown tool 'delete_everything'. Available tools: search, get_issue.",
      isError: true,
    });
  });

  it('makes results JSON-safe', async () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const run = (value: unknown) => executeToolCall([tool('t', async () => value)], call('t'), { signal }).then((result) => result.result);
    expect(await run(undefined)).toBe(null);
    expect(await run(10n)).toBe('10');
    expect(await run(circular)).toBe('[object Object]');
    expect(await run({ at: new Date('2025-01-02T03:04:05Z') })).toEqual({ at: '2025-01-02T03:04:05.000Z' });
  });

  it('caps a huge result at 100,000 characters of JSON with a note', async () => {
    const small = { rows: [1, 2, 3] };
    expect((await executeToolCall([tool('small', async () => small)], call('small'), { signal })).result).toEqual(small);
    const huge = { rows: Array.from({ length: 5000 }, (_, index) => ({ index, text: 'x'.repeat(50) })) };
    const result = await executeToolCall([tool('dump', async () => huge)], call('dump'), { signal });
    expect(result.isError).toBe(false);
    const capped = result.result as { truncated: boolean; note: string; partial: string };
    expect(capped.truncated).toBe(true);
    expect(capped.note).toMatch(/^The result was \d+ characters of JSON; only the first \d+ are shown/);
    expect(JSON.stringify(huge).startsWith(capped.partial)).toBe(true);
    expect(capped.partial.length).toBeGreaterThan(80_000);
    expect(JSON.stringify(capped).length).toBeLessThanOrEqual(100_000);
  });
});
