import { describe, expect, it } from 'vitest';
import { formatToolCallBlock } from '../../src/toolkit/format-tool-call-block.ts';

/** What Open WebUI's Collapsible.svelte does with the attributes: decode entities, JSON.parse until it is not JSON. */
function readAttribute(block: string, name: string): unknown {
  const raw = new RegExp(` ${name}="([^"]*)"`).exec(block)?.[1];
  if (raw === undefined) throw new Error(`no ${name} attribute`);
  let value: unknown = raw.replaceAll('&quot;', '"').replaceAll('&#x27;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  while (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      break;
    }
  }
  return value;
}

describe('formatToolCallBlock', () => {
  it("writes the block exactly as Open WebUI's middleware does", () => {
    const block = formatToolCallBlock({ name: 'search', args: { q: 'bug' }, result: { count: 2 }, isError: false }, { id: 'call_1' });
    expect(block).toBe(
      '<details type="tool_calls" done="true" id="call_1" name="search" ' +
        'arguments="&quot;{\\&quot;q\\&quot;:\\&quot;bug\\&quot;}&quot;" ' +
        'result="&quot;{\\&quot;count\\&quot;:2}&quot;" files="">\n' +
        '<summary>Tool Executed</summary>\n</details>\n',
    );
  });

  it('escapes " < > & and \' so the attributes cannot break out', () => {
    const args = { jql: 'summary ~ "a<b>" & x=\'y\'' };
    const block = formatToolCallBlock({ name: 'search', args, result: '</details><script>alert(1)</script>', isError: false }, { id: 'c' });
    const attributes = block.slice(1, block.indexOf('>\n'));
    expect(attributes).not.toMatch(/[<>']/);
    // type, done, id, name, arguments, result, files: 7 attributes, 14 quotes, none inside a value.
    expect(attributes.match(/"/g)?.length).toBe(14);
    expect(block).not.toContain('<script>');
    expect(readAttribute(block, 'arguments')).toEqual(args);
    expect(readAttribute(block, 'result')).toBe('</details><script>alert(1)</script>');
  });

  it('writes non-ASCII arguments as \\u escapes, like Python json.dumps', () => {
    const block = formatToolCallBlock({ name: 'search', args: { q: 'café' }, result: 'ok', isError: false }, { id: 'c' });
    expect(block).toContain('caf\\u00e9');
    expect(readAttribute(block, 'arguments')).toEqual({ q: 'café' });
  });

  it('cuts a long result at 2,000 characters with a note', () => {
    const block = formatToolCallBlock({ name: 'dump', args: {}, result: 'y'.repeat(5000), isError: false }, { id: 'c' });
    const result = readAttribute(block, 'result') as string;
    expect(result).toBe(`${'y'.repeat(2000)}… (3000 more characters not shown)`);
    const shorter = formatToolCallBlock({ name: 'dump', args: {}, result: 'y'.repeat(50), isError: false }, { id: 'c', maxResultChars: 10 });
    expect(readAttribute(shorter, 'result')).toBe(`${'y'.repeat(10)}… (40 more characters not shown)`);
  });

  it('shows error results too, and gives each block its own id by default', () => {
    const activity = { name: 'get_issue', args: {}, result: { error: 'not found' }, isError: true };
    const first = formatToolCallBlock(activity);
    expect(readAttribute(first, 'result')).toEqual({ error: 'not found' });
    expect(readAttribute(first, 'id')).not.toBe(readAttribute(formatToolCallBlock(activity), 'id'));
  });
});
