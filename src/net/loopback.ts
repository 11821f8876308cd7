import { isIPv4, isIPv6 } from 'node:net';

/**
 * Is this host name (no port) a name or address of this machine only? `localhost`, an IPv4
 * address in 127.0.0.0/8 (dotted quad, as a URL parser writes it), and ::1 in any spelling, with
 * or without brackets (`[::1]`, `0:0:0:0:0:0:0:1`). Any case. `*.localhost` only with
 * `localhostSubdomains`: browsers resolve those names to loopback themselves, but the system
 * resolver may ask DNS for them, so a name we resolve ourselves (to bind or to connect) is not one.
 * Not accepted: a trailing dot, IPv4-mapped IPv6 (`::ffff:127.0.0.1`), zone ids, short IPv4 forms.
 */
export function isLoopbackHostname(name: string, options: { localhostSubdomains?: boolean } = {}): boolean {
  const lower = name.toLowerCase();
  const bracketed = /^\[(.*)\]$/.exec(lower);
  if (bracketed) return isIPv6Loopback(bracketed[1]!);
  if (lower === 'localhost') return true;
  if (options.localhostSubdomains && lower.endsWith('.localhost')) return true;
  return (isIPv4(lower) && lower.startsWith('127.')) || isIPv6Loopback(lower);
}

function isIPv6Loopback(address: string): boolean {
  if (!isIPv6(address) || address.includes('%')) return false;
  // The URL parser writes an IPv6 address in its shortest form.
  return new URL(`http://[${address}]/`).hostname === '[::1]';
}
