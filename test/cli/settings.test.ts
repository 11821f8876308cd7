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
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1']) expect(resolve(['--host', host]).host).toBe(host);
    // Names the system resolver may look up in DNS (app.localhost), and spellings that are not a plain loopback address, are refused.
    for (const host of ['0.0.0.0', '::', '192.0.2.10', 'app.localhost', '127.0.0.01', '127.999.0.1', '[localhost]']) expect(failure(() => resolve(['--host', host])).message).toContain(`refusing to listen on ${host} (--host) without AGENTLLM_API_KEY`);
    expect(resolve([], { HOST: '0.0.0.0', AGENTLLM_ALLOW_NO_AUTH: 'true' })).toMatchObject({ host: '0.0.0.0', allowNoAuth: true });
  });

  it('every variable is checked here, before serve writes anything, and the error names it', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ LOG_LEVEL: 'loud' }, "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'loud'"],
      [{ AGENTLLM_PUBLIC_URL: 'notaurl' }, "AGENTLLM_PUBLIC_URL must be an absolute http(s) URL such as https://agents.example.com, got 'notaurl'"],
      [{ AGENTLLM_PUBLIC_URL: 'ftp://files.example.com' }, "AGENTLLM_PUBLIC_URL must be an absolute http(s) URL such as https://agents.example.com, got 'ftp://files.example.com'"],
      [{ GEMINI_BASE_URL: 'localhost:9999' }, "GEMINI_BASE_URL must be an absolute http(s) URL such as https://agents.example.com, got 'localhost:9999'"],
      [{ GEMINI_TIMEOUT_MS: 'soon' }, "GEMINI_TIMEOUT_MS must be a whole number of milliseconds, at least 1 and at most 2147483647, got 'soon' (unset it for the default, 300000)"],
      [{ GEMINI_RETRY_ATTEMPTS: '0' }, "GEMINI_RETRY_ATTEMPTS must be a whole number of attempts, at least 1, got '0' (unset it for the default, 3)"],
      [{ GEMINI_TRANSPORT: 'curl' }, "GEMINI_TRANSPORT must be one of node, fetch, got 'curl'"],
      // Longer than a Node timer can wait: it would fire after 1 ms.
      [{ GEMINI_TIMEOUT_MS: '3000000000' }, "GEMINI_TIMEOUT_MS must be a whole number of milliseconds, at least 1 and at most 2147483647, got '3000000000' (unset it for the default, 300000)"],
      [{ AGENTLLM_SESSION_CACHE_MB: 'lots' }, "AGENTLLM_SESSION_CACHE_MB must be a number of megabytes, above 0, got 'lots' (unset it for the default, 64)"],
      [{ AGENTLLM_SHUTDOWN_GRACE_MS: '-1' }, "AGENTLLM_SHUTDOWN_GRACE_MS must be a whole number of milliseconds, at least 0 and at most 2147483647, got '-1' (unset it for the default, 10000)"],
      [{ AGENTLLM_TOOL_TIMEOUT_MS: '-5' }, "AGENTLLM_TOOL_TIMEOUT_MS must be a whole number of milliseconds, at least 1 and at most 2147483647, got '-5' (unset it for the default, 30000)"],
    ];
    for (const [env, message] of cases) expect(failure(() => resolve([], env))).toEqual({ message, usage: false });
  });

  it('good values of those variables are taken; empty ones mean the default', () => {
    expect(resolve([], { LOG_LEVEL: 'DEBUG', AGENTLLM_PUBLIC_URL: 'https://agents.example.com/', AGENTLLM_SESSION_CACHE_MB: '2', GEMINI_TIMEOUT_MS: '1000', GEMINI_TRANSPORT: 'Fetch' })).toMatchObject({
      logLevel: 'debug',
      publicUrl: 'https://agents.example.com',
      cacheBytes: 2 * 1024 * 1024,
      gemini: { timeoutMs: 1000, transport: 'fetch' },
    });
    expect(resolve([], { LOG_LEVEL: '', AGENTLLM_PUBLIC_URL: '', GEMINI_TIMEOUT_MS: '', GEMINI_RETRY_ATTEMPTS: ' ', AGENTLLM_TOOL_TIMEOUT_MS: '' })).toMatchObject({
      logLevel: 'info',
      publicUrl: undefined,
      gemini: { timeoutMs: 300000, retry: { attempts: 3 } },
      toolTimeoutMs: 30000,
    });
  });
});
