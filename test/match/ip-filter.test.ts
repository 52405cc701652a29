// isIp (classify.ts) asks node's IP regexes only of pieces that can be addresses: its answers must be
// exactly node's, on addresses, near-addresses (times, versions, zones) and random strings of their characters.
import { isIPv4, isIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isIp, mayBeIPv6 } from '../../src/match/classify.ts';
import { rng } from '../helpers/rng.ts';

/** What isIp answered before the filter: node's regexes on every piece of digits and dots, or with a colon. */
function reference(s: string): boolean {
  if (s.length > 45) return false;
  if (s.includes(':')) return isIPv6(s);
  return /^[0-9.]*$/.test(s) && isIPv4(s);
}

/** Colon-separated groups of hex, some empty (a "::"), maybe a dotted tail, a zone, a leading or trailing colon. */
function addressLike(r: () => number): string {
  const groups = Array.from({ length: 1 + Math.floor(r() * 9) }, () => Math.floor(r() * 65536).toString(16).slice(0, 1 + Math.floor(r() * 4)));
  if (r() < 0.5) groups[Math.floor(r() * groups.length)] = '';
  if (r() < 0.3) groups.push(Array.from({ length: 4 }, () => Math.floor(r() * 300)).join('.'));
  let s = groups.join(':');
  if (r() < 0.2) s = `:${s}`;
  if (r() < 0.2) s = `${s}:`;
  if (r() < 0.2) s = `${s}%eth${Math.floor(r() * 9)}${r() < 0.5 ? ':x.y-z' : ''}`;
  return s;
}

function randomOf(r: () => number, alphabet: string): string {
  let s = '';
  for (let n = 1 + Math.floor(r() * 40); n > 0; n--) s += alphabet[Math.floor(r() * alphabet.length)] as string;
  return s;
}

describe('isIp', () => {
  it('answers as node does on addresses and on what only looks like one', () => {
    const cases = [
      'fe80::1', '::', '::1', '1::', '2001:db8::8a2e:370:7334', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::',
      '::ffff:10.0.0.1', '1:2:3:4:5:6:10.0.0.1', 'fe80::1%eth0', 'fe80::1%eth0:1.2', '12:34:56', '12:34:56.789', '2023-01-01T12:34:56',
      '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', 'Server:Error:Foo', 'abc::def::1', '10.0.0.1', '255.255.255.255', '256.1.1.1', '1.2.3', '1.2.3.4.5',
      '15.1.2507.6', '01.2.3.4', '',
    ];
    for (const s of cases) expect(isIp(s), s).toBe(reference(s));
    expect(isIp('fe80::1')).toBe(true);
    expect(isIp('12:34:56')).toBe(false);
  });

  it('answers as node does on generated strings, and its filter never turns down an address', () => {
    const r = rng(20);
    let addresses = 0;
    for (let k = 0; k < 60_000; k++) {
      const s = k % 3 === 0 ? addressLike(r) : k % 3 === 1 ? randomOf(r, '0123456789abcdefABCDEFgG::::...%-zZ ') : Array.from({ length: 1 + Math.floor(r() * 6) }, () => String(Math.floor(r() * 300))).join('.');
      const want = reference(s);
      if (want) addresses++;
      if (isIp(s) !== want) expect(isIp(s), s).toBe(want);
      if (s.includes(':') && isIPv6(s) && !mayBeIPv6(s)) expect(mayBeIPv6(s), s).toBe(true);
    }
    // The generator reaches real addresses, so the comparison means something.
    expect(addresses).toBeGreaterThan(2000);
  });
});
