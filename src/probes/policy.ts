// The safety policy in one place: which targets may be probed, and resolve-once pinning to a checked address.
import { isIP } from 'node:net';
import type { Cidr } from './address.ts';
import { cidrContains, classify, normalizeIp, parseCidr, parseIp } from './address.ts';
import type { ProbeResolver } from './resolver.ts';

export interface Refusal {
  /** The rule that refused, as named in the config (`allow`, `address-class`, `limits.…`). */
  rule: string;
  message: string;
}

/** A target after the policy let it through: connections go to `address`, never to a fresh lookup. */
export interface PinnedTarget {
  host: string;
  port?: number;
  /** The checked address (absent for lookup-only probes: dns, autodiscover). */
  address?: string;
  url?: URL;
  isIp: boolean;
  display: string;
}

export type PinOutcome = { ok: true; address: string } | { ok: false; refusal?: Refusal; error?: string };

export class TargetPolicy {
  private readonly any: boolean;
  private readonly exact = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly cidrs: Cidr[] = [];

  constructor(allow: readonly string[]) {
    this.any = allow.includes('*');
    for (const entry of allow) {
      const e = entry.toLowerCase().replace(/\.$/, '');
      if (e === '*') continue;
      const cidr = e.includes('/') || isIP(e) ? parseCidr(e) : undefined;
      if (cidr) this.cidrs.push(cidr);
      else if (e.startsWith('*.')) this.suffixes.push(e.slice(1));
      else this.exact.add(e);
    }
  }

  /** A name may be probed when `*`, the exact name or a `*.parent` entry allows it. */
  checkName(host: string): Refusal | undefined {
    const h = host.toLowerCase().replace(/\.$/, '');
    if (this.any || this.exact.has(h) || this.suffixes.some((s) => h.endsWith(s))) return undefined;
    return { rule: 'allow', message: `${h} is not in the probe allowlist (add it, or *.${h.split('.').slice(1).join('.') || h}, to probes.allow or EHLO_PROBE_ALLOW)` };
  }

  /**
   * Public addresses pass when the name passed, `*` is set or a CIDR entry covers them. Private, loopback,
   * link-local, metadata, multicast and reserved addresses pass only when a CIDR entry inside their own
   * special block names them (127.0.0.0/8 allows 127.0.0.1; 0.0.0.0/0 does not).
   */
  checkAddress(address: string, nameAllowed: boolean): Refusal | undefined {
    const ip = parseIp(address);
    if (!ip) return { rule: 'address-class', message: `${address} is not an IP address` };
    const { cls, block } = classify(address);
    const shown = normalizeIp(address);
    if (cls === 'public') {
      if (nameAllowed || this.any || this.cidrs.some((c) => cidrContains(c, ip))) return undefined;
      return { rule: 'allow', message: `${shown} is not in the probe allowlist (add a CIDR that covers it)` };
    }
    if (block && this.cidrs.some((c) => c.bits >= block.bits && cidrContains(c, ip))) return undefined;
    return { rule: 'address-class', message: `${shown} is a ${cls} address; only an allowlist CIDR inside that range (not * or a domain) permits it` };
  }

  /** Resolves `host` once and checks every address; the first address is where the probe connects. */
  async pin(host: string, resolver: ProbeResolver): Promise<PinOutcome> {
    if (isIP(host)) {
      const refusal = this.checkAddress(host, false);
      return refusal ? { ok: false, refusal } : { ok: true, address: normalizeIp(host) };
    }
    const nameRefusal = this.checkName(host);
    if (nameRefusal) return { ok: false, refusal: nameRefusal };
    const addresses = host === 'localhost' ? ['127.0.0.1'] : await lookup(host, resolver);
    if (typeof addresses === 'string') return { ok: false, error: addresses };
    for (const a of addresses) {
      const refusal = this.checkAddress(a, true);
      if (refusal) return { ok: false, refusal: { rule: refusal.rule, message: `${host} resolves to ${refusal.message}` } };
    }
    return { ok: true, address: normalizeIp(addresses[0]!) };
  }
}

async function lookup(host: string, resolver: ProbeResolver): Promise<string[] | string> {
  const found = await resolver.addresses(host);
  if (!found.ok) return found.detail;
  return found.records.length ? found.records : `${host}: no A or AAAA records`;
}
