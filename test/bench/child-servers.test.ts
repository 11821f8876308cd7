import { describe, expect, it } from 'vitest';
import { startChildServer } from '../../bench/child-servers.ts';

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('benchmark child servers', () => {
  it('runs the fake Gemini in its own process on loopback, reports its stats, and leaves no process behind', async () => {
    const fake = await startChildServer('fake');
    try {
      expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(fake.pid).not.toBe(process.pid);
      await fake.startStats();
      const response = await fetch(`${fake.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
        method: 'POST',
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'ping' }] }] }),
      });
      const body = (await response.json()) as { candidates: Array<{ content: { parts: Array<{ text: string }> } }> };
      expect(body.candidates[0]!.content.parts[0]!.text).toBe('pong');
      const stats = await fake.stopStats();
      expect(stats.cpuMs).toBeGreaterThan(0);
      expect(Array.isArray(stats.gcPauses)).toBe(true);
    } finally {
      await fake.stop();
    }
    expect(isRunning(fake.pid)).toBe(false);
  }, 30_000);
});
