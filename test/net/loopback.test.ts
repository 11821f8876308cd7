import { describe, expect, it } from 'vitest';
import { isLoopbackHostname } from '../../src/net/loopback.ts';

describe('isLoopbackHostname: names and addresses of this machine only', () => {
  it('accepts localhost, 127.0.0.0/8 and ::1 in any spelling, with or without brackets', () => {
    const loopback = ['localhost', 'LocalHost', '127.0.0.1', '127.0.0.2', '127.255.255.255', '::1', '[::1]', '0:0:0:0:0:0:0:1', '[0:0:0:0:0:0:0:1]', '[0::1]'];
    for (const name of loopback) expect([name, isLoopbackHostname(name)]).toEqual([name, true]);
  });

  it('refuses other addresses, invalid or ambiguous spellings, and names resolved elsewhere', () => {
    const others = ['0.0.0.0', '::', '[::]', '192.0.2.10', '127.999.0.1', '127.0.0.01', '127.1', '::ffff:127.0.0.1', '[::ffff:127.0.0.1]', '::1%lo', '[127.0.0.1]', '[localhost]', 'localhost.', 'localhost.example', ' 127.0.0.1', ''];
    for (const name of others) expect([name, isLoopbackHostname(name)]).toEqual([name, false]);
  });

  it('accepts *.localhost only when asked to (names a browser resolves itself)', () => {
    expect(isLoopbackHostname('app.localhost')).toBe(false);
    expect(isLoopbackHostname('App.Localhost', { localhostSubdomains: true })).toBe(true);
    expect(isLoopbackHostname('localhost.example', { localhostSubdomains: true })).toBe(false);
  });
});
