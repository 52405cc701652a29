// IP addresses as numbers: parsing, CIDR containment and the special-purpose classes the policy refuses.
import { isIP } from 'node:net';

export type AddressClass = 'public' | 'private' | 'loopback' | 'link-local' | 'metadata' | 'multicast' | 'reserved';

export interface Cidr {
  family: 4 | 6;
  base: bigint;
  bits: number;
}

export interface Classified {
  cls: AddressClass;
  /** The special-purpose block the address falls in (absent for public addresses). */
  block?: Cidr;
}

/** Parses an IPv4 or IPv6 literal; IPv4-mapped IPv6 (::ffff:a.b.c.d) comes back as IPv4. */
export function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  const family = isIP(text);
  if (family === 4) return { family: 4, value: parseV4(text) };
  if (family !== 6) return undefined;
  const value = parseV6(text);
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr = '', bitsText] = text.split('/');
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const width = ip.family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return undefined;
  return { family: ip.family, base: ip.value & mask(ip.family, bits), bits };
}

export function cidrContains(cidr: Cidr, ip: { family: 4 | 6; value: bigint }): boolean {
  return cidr.family === ip.family && (ip.value & mask(cidr.family, cidr.bits)) === cidr.base;
}

function mask(family: 4 | 6, bits: number): bigint {
  const width = family === 4 ? 32n : 128n;
  const all = (1n << width) - 1n;
  return bits === 0 ? 0n : (all >> (width - BigInt(bits))) << (width - BigInt(bits));
}

function parseV4(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseV6(text: string): bigint {
  let t = text.split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    const n = parseV4(v4[1]!);
    t = `${t.slice(0, -v4[1]!.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = t.split('::');
  const h = head ? head.split(':') : [];
  const tl = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - tl.length).fill('0'), ...tl];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Special-purpose blocks, most specific first (IANA IPv4/IPv6 special-purpose registries, RFC 6890). */
const SPECIAL: [string, AddressClass][] = [
  ['169.254.169.254/32', 'metadata'],
  ['fd00:ec2::254/128', 'metadata'],
  ['0.0.0.0/8', 'reserved'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'private'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'reserved'],
  ['::1/128', 'loopback'],
  ['64:ff9b::/96', 'reserved'],
  ['100::/64', 'reserved'],
  ['2001:db8::/32', 'reserved'],
  ['fc00::/7', 'private'],
  ['fec0::/10', 'private'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
];

const SPECIAL_BLOCKS = SPECIAL.map(([c, cls]) => ({ block: parseCidr(c)!, cls }));
const GLOBAL_UNICAST_V6 = parseCidr('2000::/3')!;
const ALL_V6 = parseCidr('::/0')!;
const SIX_TO_FOUR = parseCidr('2002::/16')!;
const TEREDO = parseCidr('2001::/32')!;
const V4_COMPATIBLE = parseCidr('::/96')!;
const V4_MASK = 0xffffffffn;

export function classify(address: string): Classified {
  const ip = parseIp(address);
  if (!ip) return { cls: 'reserved', block: ALL_V6 };
  return classifyIp(ip);
}

function classifyIp(ip: { family: 4 | 6; value: bigint }): Classified {
  for (const s of SPECIAL_BLOCKS) if (cidrContains(s.block, ip)) return { cls: s.cls, block: s.block };
  if (ip.family === 4) return { cls: 'public' };
  const embedded = embeddedV4(ip.value);
  if (embedded) return embedded;
  // Anything else outside 2000::/3 is not global unicast: only an entry naming the address itself opens it.
  if (!cidrContains(GLOBAL_UNICAST_V6, ip)) return { cls: 'reserved', block: { family: 6, base: ip.value, bits: 128 } };
  return { cls: 'public' };
}

/**
 * IPv6 forms that carry an IPv4 address and reach it: 6to4 (2002:AABB:CCDD::/48 is the IPv4 AA.BB.CC.DD),
 * Teredo (2001:0::/32: the server's IPv4, then the client's IPv4 with every bit flipped) and the deprecated
 * IPv4-compatible ::a.b.c.d. One that embeds a non-public IPv4 counts as that IPv4's class.
 */
function embeddedV4(value: bigint): Classified | undefined {
  const v6 = { family: 6 as const, value };
  if (cidrContains(SIX_TO_FOUR, v6)) {
    const inner = classifyIp({ family: 4, value: (value >> 80n) & V4_MASK });
    if (inner.cls === 'public' || !inner.block) return undefined;
    return { cls: inner.cls, block: { family: 6, base: SIX_TO_FOUR.base | (inner.block.base << 80n), bits: 16 + inner.block.bits } };
  }
  if (cidrContains(TEREDO, v6)) {
    const server = classifyIp({ family: 4, value: (value >> 64n) & V4_MASK });
    const client = classifyIp({ family: 4, value: (value & V4_MASK) ^ V4_MASK });
    const odd = client.cls !== 'public' ? client : server.cls !== 'public' ? server : undefined;
    return odd ? { cls: odd.cls, block: { family: 6, base: value, bits: 128 } } : undefined;
  }
  if (cidrContains(V4_COMPATIBLE, v6)) {
    const inner = classifyIp({ family: 4, value: value & V4_MASK });
    if (inner.cls === 'public' || !inner.block) return { cls: 'reserved', block: { family: 6, base: value, bits: 128 } };
    return { cls: inner.cls, block: { family: 6, base: inner.block.base, bits: 96 + inner.block.bits } };
  }
  return undefined;
}

/** Canonical text of an address (IPv4-mapped IPv6 shown as IPv4). */
export function normalizeIp(address: string): string {
  const ip = parseIp(address);
  if (!ip || ip.family === 6) return address.toLowerCase();
  const v = ip.value;
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
}

/** The DNS name for reverse lookups and DNSBL queries: 4.3.2.1 or the 32 IPv6 nibbles, reversed. */
export function reverseName(address: string): string | undefined {
  const ip = parseIp(address);
  if (!ip) return undefined;
  if (ip.family === 4) return normalizeIp(address).split('.').reverse().join('.');
  return ip.value.toString(16).padStart(32, '0').split('').reverse().join('.');
}
