import { describe, expect, it } from 'vitest';
import { parseServeArgs, resolveServeSettings } from '../../src/cli/settings.ts';

const resolve = (argv: string[], env: Record<string, string> = {}) => resolveServeSettings(parseServeArgs(argv).flags, env);
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return { message: (error as Error).message, usage: (error as { usage?: boolean }).usage };
  }
  throw new Error('expected a failure');
};

describe('serve settings: flags, then environment, then defaults', () => {
  it('defaults without anything set', () => {
    expect(resolve([])).toMatchObject({ port: 8000, host: '127.0.0.1', agentsDir: 'agents', toolkitsDir: 'toolkits', dataDir: 'data', watch: false, bodyLimitBytes: 1048576, shutdownGraceMs: 10000, allowNoAuth: false });
  });

  it('an API key opens 0.0.0.0 by default; flags beat variables', () => {
    expect(resolve([], { AGENTLLM_API_KEY: 'k' }).host).toBe('0.0.0.0');
    expect(resolve(['--port', '9001', '--data', 'd2'], { PORT: '9000', AGENTLLM_DATA_DIR: 'd1' })).toMatchObject({ port: 9001, dataDir: 'd2' });
  });

  it('empty variables mean the default; numbers and booleans are checked, naming the variable', () => {
    expect(resolve([], { AGENTLLM_BODY_LIMIT: '', AGENTLLM_SHUTDOWN_GRACE_MS: ' ', PORT: '' })).toMatchObject({ bodyLimitBytes: 1048576, shutdownGraceMs: 10000, port: 8000 });
    expect(resolve([], { AGENTLLM_BODY_LIMIT: '2048', AGENTLLM_SHUTDOWN_GRACE_MS: '0', AGENTLLM_WATCH: 'on' })).toMatchObject({ bodyLimitBytes: 2048, shutdownGraceMs: 0, watch: true });
    expect(failure(() => resolve([], { AGENTLLM_BODY_LIMIT: '1MB' }))).toEqual({ message: "AGENTLLM_BODY_LIMIT must be a whole number of bytes, at least 1, got '1MB' (unset it for the default, 1048576)", usage: false });
    expect(failure(() => resolve([], { AGENTLLM_BODY_LIMIT: '0' })).message).toContain('AGENTLLM_BODY_LIMIT must be a whole number of bytes, at least 1');
    expect(failure(() => resolve([], { AGENTLLM_WATCH: 'maybe' })).message).toBe("AGENTLLM_WATCH must be one of 1, true, yes, on, 0, false, no, off, got 'maybe'");
    expect(failure(() => resolve([], { PORT: '70000' })).message).toBe("PORT must be a whole number from 0 to 65535, got '70000'");
  });

  it('bad flags are usage errors', () => {
    expect(failure(() => parseServeArgs(['--port']))).toEqual({ message: '--port needs a value', usage: true });
    expect(failure(() => parseServeArgs(['extra']))).toEqual({ message: "unexpected argument 'extra': serve takes options only", usage: true });
    expect(failure(() => parseServeArgs(['--watch', '--no-watch']))).toEqual({ message: '--watch and --no-watch contradict each other: give one', usage: true });
    expect(failure(() => parseServeArgs(['--port', '-1']))).toEqual({ message: "--port needs a value (one starting with '-' is written --port=<value>)", usage: true });
    expect(failure(() => parseServeArgs(['--port=-1']))).toEqual({ message: "--port must be a whole number from 0 to 65535, got '-1'", usage: true });
  });

  it('without a key, loopback hosts are fine and others are refused unless AGENTLLM_ALLOW_NO_AUTH', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]']) expect(resolve(['--host', host]).host).toBe(host);
    for (const host of ['0.0.0.0', '::', '192.0.2.10']) expect(failure(() => resolve(['--host', host])).message).toContain(`refusing to listen on ${host} (--host) without AGENTLLM_API_KEY`);
    expect(resolve([], { HOST: '0.0.0.0', AGENTLLM_ALLOW_NO_AUTH: 'true' })).toMatchObject({ host: '0.0.0.0', allowNoAuth: true });
  });
});
