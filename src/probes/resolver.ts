// One DNS client per probe: the configured servers, a per-query timeout, a query budget and cancellation.
import { promises as dns } from 'node:dns';
import type { ProbeConfig } from './config.ts';
import { parseDnsServer } from './config.ts';
import { isIP } from 'node:net';
import { normalizeIp, reverseName } from './address.ts';
import { askAd } from './dnssec.ts';

export type RecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'CNAME' | 'SRV' | 'PTR' | 'TLSA';

/** A lookup's outcome: records, or a kind of absence/failure a probe can explain. */
export type Lookup<T> =
  | { ok: true; records: T[] }
  | { ok: false; reason: 'nxdomain' | 'nodata' | 'timeout' | 'servfail' | 'refused' | 'budget' | 'error'; detail: string };

export class ProbeResolver {
  private readonly resolver: dns.Resolver;
  private queries = 0;
  private readonly maxQueries: number;
  private readonly timeoutMs: number;
  private readonly signal?: AbortSignal;

  constructor(config: ProbeConfig, signal?: AbortSignal, timeoutMs = config.timeouts.dnsMs) {
    this.timeoutMs = timeoutMs;
    this.signal = signal;
    this.resolver = new dns.Resolver({ timeout: timeoutMs, tries: 1 });
    if (config.dnsServers.length) {
      this.resolver.setServers(config.dnsServers.map((s) => {
        const p = parseDnsServer(s)!;
        return p.host.includes(':') ? `[${p.host}]:${p.port}` : `${p.host}:${p.port}`;
      }));
    }
    this.maxQueries = config.limits.maxDnsQueries;
    signal?.addEventListener('abort', () => this.resolver.cancel(), { once: true });
  }

  get count(): number {
    return this.queries;
  }

  a(name: string): Promise<Lookup<string>> {
    return this.run(name, () => this.resolver.resolve4(name));
  }
  aaaa(name: string): Promise<Lookup<string>> {
    return this.run(name, () => this.resolver.resolve6(name));
  }
  mx(name: string): Promise<Lookup<{ exchange: string; priority: number }>> {
    return this.run(name, () => this.resolver.resolveMx(name));
  }
  /** TXT records with their strings joined, as SPF and DMARC read them. */
  txt(name: string): Promise<Lookup<string>> {
    return this.run(name, async () => (await this.resolver.resolveTxt(name)).map((chunks) => chunks.join('')));
  }
  cname(name: string): Promise<Lookup<string>> {
    return this.run(name, () => this.resolver.resolveCname(name));
  }
  tlsa(name: string): Promise<Lookup<{ certUsage: number; selector: number; match: number; data: Buffer }>> {
    return this.run(name, async () => (await this.resolver.resolveTlsa(name)).map((r) => ({ certUsage: r.certUsage, selector: r.selector, match: r.match, data: Buffer.from(r.data) })));
  }
  srv(name: string): Promise<Lookup<{ name: string; port: number; priority: number; weight: number }>> {
    return this.run(name, () => this.resolver.resolveSrv(name));
  }
  /**
   * PTR records of an IP, asked of the configured resolvers as a plain PTR query for its in-addr.arpa /
   * ip6.arpa name. Not `reverse()`: that goes through getnameinfo-like code that can answer from
   * /etc/hosts and turns a timeout into ENOTFOUND ("no PTR record").
   */
  ptr(ip: string): Promise<Lookup<string>> {
    const reversed = reverseName(ip);
    if (!reversed) return Promise.resolve({ ok: false, reason: 'error', detail: `${ip}: not an IP address` });
    const name = `${reversed}.${isIP(normalizeIp(ip)) === 4 ? 'in-addr' : 'ip6'}.arpa`;
    return this.run(name, () => this.resolver.resolvePtr(name));
  }

  /**
   * Whether the first resolver marks the answer for name/type DNSSEC-validated (the AD bit): true, false, or
   * undefined when it could not be asked. Counts against the query budget.
   */
  async authenticated(name: string, type: 'A' | 'TLSA' | 'MX' | 'TXT'): Promise<boolean | undefined> {
    if (this.queries >= this.maxQueries) return undefined;
    this.queries++;
    const server = this.resolver.getServers()[0];
    return server ? askAd(server, name, type, this.timeoutMs, this.signal) : undefined;
  }

  /** A and AAAA together; ok when either answered. */
  async addresses(name: string): Promise<Lookup<string>> {
    const [v4, v6] = await Promise.all([this.a(name), this.aaaa(name)]);
    if (v4.ok || v6.ok) return { ok: true, records: [...(v4.ok ? v4.records : []), ...(v6.ok ? v6.records : [])] };
    return v4.reason === 'nodata' && v6.reason !== 'nodata' && v6.reason !== 'nxdomain' ? v6 : v4;
  }

  private async run<T>(name: string, query: () => Promise<T[]>): Promise<Lookup<T>> {
    if (this.queries >= this.maxQueries) return { ok: false, reason: 'budget', detail: `more than ${this.maxQueries} DNS queries in one probe` };
    this.queries++;
    try {
      return { ok: true, records: await query() };
    } catch (err) {
      return failure(name, err);
    }
  }
}

function failure(name: string, err: unknown): Lookup<never> {
  const code = (err as { code?: string }).code ?? '';
  const reason = (
    { ENOTFOUND: 'nxdomain', ENODATA: 'nodata', ETIMEOUT: 'timeout', ECANCELLED: 'timeout', ESERVFAIL: 'servfail', EREFUSED: 'refused', ECONNREFUSED: 'refused' } as const
  )[code as 'ENOTFOUND'] ?? 'error';
  const detail = { nxdomain: 'does not exist', nodata: 'has no such record', timeout: 'lookup timed out', servfail: 'server failure (SERVFAIL)', refused: 'the resolver refused or was unreachable', budget: '', error: code || 'lookup error' }[reason];
  return { ok: false, reason, detail: `${name}: ${detail}` };
}

/** True when the lookup failed for a resolver reason rather than an authoritative "no". */
export function isResolverTrouble(l: Lookup<unknown>): boolean {
  return !l.ok && l.reason !== 'nxdomain' && l.reason !== 'nodata';
}
