import { describe, expect, it } from 'vitest';
import { createCompletionId } from '../../src/openai/to-completion.ts';

describe('createCompletionId', () => {
  it('stays unique and well-formed across many ids (the random pool is refilled)', () => {
    const ids = Array.from({ length: 2000 }, createCompletionId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^chatcmpl-[\w-]{24}$/);
  });
});
