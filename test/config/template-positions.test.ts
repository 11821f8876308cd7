import { describe, expect, it } from 'vitest';
import { loadAgent } from '../../src/config/load-agent.ts';

/** Template errors must point at a line and column that exist in the file (an editor or a GitHub annotation jumps there). */
const noToolkits = { loaded: new Map(), broken: new Map() };

function templateError(text: string): { line: number; col: number; message: string } {
  const [error, ...rest] = loadAgent({ path: '/a.yaml', file: 'a.yaml', text }, noToolkits).errors;
  expect(rest).toEqual([]);
  return { line: error!.line, col: error!.col, message: error!.message };
}

function lineOf(text: string, line: number): string {
  return text.split(/\r?\n/)[line - 1] ?? '';
}

describe('template error positions', () => {
  it('a plain scalar folded over several lines points at the value, not past the end of its first line', () => {
    const text = 'name: a\ndescription: d\ninstructions: hello\n  there {{#if x}\n';
    const error = templateError(text);
    expect(error).toMatchObject({ line: 3, col: 15 });
    expect(error.col).toBeLessThanOrEqual(lineOf(text, error.line).length);
  });

  it('an unclosed block in a literal block points at the end of its last line, not at the line after it', () => {
    const text = 'name: a\ndescription: d\ninstructions: |\n  Hello.\n  {{#if user.name}}Hi {{user.name}}\nmax_steps: 3\n';
    const error = templateError(text);
    expect(error.message).toContain('is a block like {{#if}} left open?');
    expect(error).toEqual({ line: 5, col: 36, message: error.message });
  });

  it('an unclosed block at the end of the file stays inside the file', () => {
    const text = 'name: a\ndescription: d\ninstructions: |\n\n  hello\n  {{#if x}}\n';
    const error = templateError(text);
    expect(error).toMatchObject({ line: 6, col: 12 });
  });

  it('an error in the middle of a literal block keeps its exact position', () => {
    const text = 'name: a\ndescription: d\ninstructions: |\n  Hello {{user.name}}.\n  Today is {{date}.\n  Bye.\n';
    expect(templateError(text)).toMatchObject({ line: 5, col: 18 });
  });
});
