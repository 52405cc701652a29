// IP address tests without loading node:net at start-up: importing it builds its streams and socket
// bindings (a few ms of every `ehlo match`). IPv4 is checked here in one scan, accepting exactly what
// node:net's isIPv4 accepts (four decimal parts 0-255, no leading zero, nothing else; a test compares
// the two); IPv6 and isIP are node:net's own, loaded on their first call.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let net: typeof import('node:net') | undefined;
const loadNet = (): typeof import('node:net') => (net ??= require('node:net') as typeof import('node:net'));

export function isIPv4(s: string): boolean {
  let parts = 0;
  let i = 0;
  const n = s.length;
  while (parts < 4) {
    const start = i;
    let value = 0;
    while (i < n && i - start < 4) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      i++;
    }
    const len = i - start;
    if (len === 0 || len > 3 || value > 255 || (len > 1 && s.charCodeAt(start) === 48)) return false;
    parts++;
    if (parts === 4) return i === n;
    if (s.charCodeAt(i) !== 46) return false;
    i++;
  }
  return false;
}

export function isIPv6(s: string): boolean {
  return loadNet().isIPv6(s);
}

/** 4, 6 or 0, as node:net's isIP. */
export function isIP(s: string): number {
  if (isIPv4(s)) return 4;
  return s.includes(':') && loadNet().isIPv6(s) ? 6 : 0;
}
