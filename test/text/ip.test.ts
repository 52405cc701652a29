import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as net from 'node:net';
import { isIP, isIPv4, isIPv6 } from '../../src/text/ip.ts';

// Our IPv4 scan must accept exactly what node:net accepts: compared on hand-picked edges and on
// generated dotted strings (digits, dots and a few other characters, the shapes a paste holds).
const EDGES = ['1.2.3.4', '0.0.0.0', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.02.3.4', '1.2.3.04', '1.2.3', '1.2.3.4.', '.1.2.3.4', '1..2.3', '1.2.3.4.5',
  '1.2.3.4 ', ' 1.2.3.4', '1.2.3.a', '1234.1.1.1', '10.0.0.255', '192.168.1.1', '0.1.2.3', '00.1.2.3', '1.2.3.-4', '1.2.3.4:25', '', '...', '1.2.3.４', '999.999.999.999', '127.000.0.1'];

describe('isIPv4, isIPv6, isIP without node:net at start-up', () => {
  it('agrees with node:net on the edges', () => {
    for (const s of EDGES) {
      expect(isIPv4(s), s).toBe(net.isIPv4(s));
      expect(isIP(s), s).toBe(net.isIP(s));
    }
  });

  it('agrees with node:net on generated dotted strings', () => {
    const piece = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('0', '00', '01', '007', '', 'a', ' ', '-1', '1e2', '٣'));
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.constantFrom('.', '.', '.', ':', '..'), (parts, sep) => {
      const s = parts.join(sep);
      return isIPv4(s) === net.isIPv4(s) && isIP(s) === net.isIP(s);
    }), { numRuns: 20_000 });
  });

  it('leaves IPv6 to node:net', () => {
    for (const s of ['::1', '2001:db8::7', 'fe80::1%eth0', '1:2:3:4:5:6:7:8', '::ffff:1.2.3.4', '12:34:56', '1::2::3', 'gggg::1']) {
      expect(isIPv6(s), s).toBe(net.isIPv6(s));
      expect(isIP(s), s).toBe(net.isIP(s));
    }
  });
});
