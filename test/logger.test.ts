import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { collectLines } from './server/test-server.ts';

function capture(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { logger: createLogger({ level: 'info', destination: collectLines(lines) }), lines };
}

describe('createLogger', () => {
  it('censors secret-named values at the top level and one level down, and keeps the rest', () => {
    const { logger, lines } = capture();
    const headers = { authorization: 'Bearer sk-live-123', accept: 'application/json' };
    logger.info({ token: 'tok-1', user: 'ada', headers, nested: { refresh_token: 'r-1', api_key: 'k-1', count: 2 } }, 'call');
    expect(lines[0]).toMatchObject({
      msg: 'call',
      service: 'agentllm',
      token: '[redacted]',
      user: 'ada',
      headers: { authorization: '[redacted]', accept: 'application/json' },
      nested: { refresh_token: '[redacted]', api_key: '[redacted]', count: 2 },
    });
    expect(JSON.stringify(lines)).not.toMatch(/sk-live-123|tok-1|r-1|k-1/);
    // The caller's objects are not changed.
    expect(headers.authorization).toBe('Bearer sk-live-123');
  });

  it('passes a line without secrets through unchanged', () => {
    const { logger, lines } = capture();
    logger.info({ requestId: 'r', status: 200, log: { agent: 'a', tokens: 12 } }, 'request');
    expect(lines[0]).toMatchObject({ requestId: 'r', status: 200, log: { agent: 'a', tokens: 12 } });
  });
});
