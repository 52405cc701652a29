// The `probes:` configuration section (zod) and the two environment overrides for one run.
import { isIP } from 'node:net';
import { z } from 'zod';

/** A domain (`contoso.com`), a wildcard domain (`*.contoso.com`), `*` (any public target) or a CIDR / IP. */
const AllowEntry = z
  .string()
  .trim()
  .toLowerCase()
  .refine((s) => isAllowEntry(s), { message: 'allow entries are domains, *.domains, * or CIDRs like 203.0.113.0/24' });

/** A DNS server `ip`, `ip:port` or `[ipv6]:port`. */
const DnsServer = z.string().trim().refine((s) => parseDnsServer(s) !== undefined, { message: 'DNS servers are ip or ip:port ([ipv6]:port)' });

const Ms = z.number().int().positive().max(300_000);

export const DEFAULT_DNSBL_ZONES = [
  'zen.spamhaus.org',
  'bl.spamcop.net',
  'b.barracudacentral.org',
  'psbl.surriel.com',
  'bl.mailspike.net',
  'dnsbl-1.uceprotect.net',
  'all.s5h.net',
];

export const ProbeConfig = z
  .object({
    /** Which targets may be probed; empty (the default) refuses every probe until the operator allows targets. `*` allows any public name or address; private ranges need their own CIDR entry. */
    allow: z.array(AllowEntry).default([]),
    /** Resolvers for every lookup; empty means the system's resolvers. */
    dnsServers: z.array(DnsServer).default([]),
    dnsblZones: z.array(z.string().trim().toLowerCase().regex(/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/)).default(DEFAULT_DNSBL_ZONES),
    /** Name sent in EHLO. */
    ehloName: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/).default('ehlo-probe.invalid'),
    timeouts: z
      .object({
        connectMs: Ms.default(5_000),
        readMs: Ms.default(10_000),
        totalMs: Ms.default(30_000),
        dnsMs: Ms.default(3_000),
        dnsblZoneMs: Ms.default(2_000),
        /** A banner slower than this is reported as tarpitting. */
        slowBannerMs: Ms.default(3_000),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        maxBytes: z.number().int().positive().max(16 * 1024 * 1024).default(256 * 1024),
        maxRedirects: z.number().int().min(0).max(10).default(5),
        maxConcurrent: z.number().int().positive().max(10_000).default(128),
        maxConcurrentPerTarget: z.number().int().positive().max(10_000).default(4),
        perUserPerMinute: z.number().int().positive().max(100_000).default(30),
        perTargetPerMinute: z.number().int().positive().max(100_000).default(30),
        maxDnsQueries: z.number().int().positive().max(1_000).default(100),
      })
      .strict()
      .prefault({}),
    /** Ports a redirect may move to when it changes the port (the same port is always fine). */
    redirectPorts: z.array(z.number().int().min(1).max(65535)).max(64).default([80, 443]),
    /** Extra trusted CA certificates (PEM text) beside Node's public roots, e.g. an internal CA. */
    extraCaPem: z.array(z.string()).default([]),
    /**
     * CA certificates (PEM text) that count as public roots: a private PKI that every receiver of this
     * mail flow trusts (servers that only talk to each other). A chain ending in one is not warned about
     * as "not a public root"; trusting it still needs extraCaPem.
     */
    publicCaPem: z.array(z.string()).default([]),
  })
  .strict();

export type ProbeConfig = z.infer<typeof ProbeConfig>;
export type ProbeConfigInput = z.input<typeof ProbeConfig>;

export function defaultProbeConfig(): ProbeConfig {
  return ProbeConfig.parse({});
}

const DOMAIN = /^(?:\*\.)?(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.?$/;

function isAllowEntry(s: string): boolean {
  if (s === '*') return true;
  const slash = s.indexOf('/');
  if (slash >= 0) {
    const bits = Number(s.slice(slash + 1));
    const family = isIP(s.slice(0, slash));
    return family !== 0 && Number.isInteger(bits) && bits >= 0 && bits <= (family === 4 ? 32 : 128) && /^\d+$/.test(s.slice(slash + 1));
  }
  return isIP(s) !== 0 || (s.length <= 253 && DOMAIN.test(s));
}

/** `1.1.1.1`, `127.0.0.1:5353`, `::1`, `[::1]:5353` → host and port; undefined when malformed. */
export function parseDnsServer(s: string): { host: string; port: number } | undefined {
  if (isIP(s)) return { host: s, port: 53 };
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(s) ?? /^([0-9.]+):(\d{1,5})$/.exec(s);
  if (!m || !isIP(m[1]!)) return undefined;
  const port = Number(m[2]);
  return port >= 1 && port <= 65535 ? { host: m[1]!, port } : undefined;
}
