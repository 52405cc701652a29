// Which network zone probes a target: `pattern=zone` entries in order, the first that matches wins.
// A pattern is `*` (anything), `*.parent` (any name under parent), an exact host name, or a CIDR / IP
// for address targets. A target no entry matches runs in the replica, as without zones.
import { isIP } from 'node:net';
import type { Cidr } from '../probes/address.ts';
import { cidrContains, parseCidr, parseIp } from '../probes/address.ts';

/** A zone name is also part of a queue name (`probe.<zone>`): short, lowercase, no dots. */
export const ZONE_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export interface ZoneRule {
  pattern: string;
  zone: string;
}

type Matcher = (host: string) => boolean;

function matcherOf(pattern: string): Matcher | undefined {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (p === '*') return () => true;
  if (p.includes('/') || isIP(p)) {
    const cidr: Cidr | undefined = parseCidr(p);
    if (!cidr) return undefined;
    return (host) => {
      const ip = isIP(host) ? parseIp(host) : undefined;
      return ip !== undefined && cidrContains(cidr, ip);
    };
  }
  if (!/^(?:\*\.)?[a-z0-9_](?:[a-z0-9_.-]{0,251}[a-z0-9_])?$/.test(p)) return undefined;
  if (p.startsWith('*.')) {
    const suffix = p.slice(1);
    return (host) => host.endsWith(suffix);
  }
  return (host) => host === p;
}

/** `pattern=zone` (also `pattern → zone` and `pattern->zone`) → a rule, or why not. */
export function parseZoneRule(text: string): ZoneRule | string {
  const m = /^\s*(\S+?)\s*(?:=|->|→)\s*(\S+)\s*$/.exec(text);
  if (!m) return `"${text.slice(0, 80)}" is not pattern=zone (for example *.corp.contoso.com=dmz or *=edge)`;
  const pattern = m[1]!.toLowerCase();
  const zone = m[2]!.toLowerCase();
  if (!matcherOf(pattern)) return `"${pattern}" is not a target pattern (*, *.domain, a host name, an IP or a CIDR)`;
  if (!ZONE_NAME.test(zone)) return `zone "${zone}" must be 1 to 40 lowercase letters, digits, dashes or underscores`;
  return { pattern, zone };
}

export class ZoneMap {
  readonly rules: readonly ZoneRule[];
  readonly #matchers: Array<{ zone: string; test: Matcher }>;

  constructor(rules: readonly ZoneRule[]) {
    this.rules = rules;
    this.#matchers = rules.map((r) => ({ zone: r.zone, test: matcherOf(r.pattern)! }));
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** The zone of a host name or IP literal, or undefined: probe it in this process. */
  zoneOf(host: string): string | undefined {
    const h = host.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
    return this.#matchers.find((m) => m.test(h))?.zone;
  }

  /** Every zone named, in first-mention order. */
  get zones(): string[] {
    return [...new Set(this.rules.map((r) => r.zone))];
  }
}

export function queueName(zone: string): string {
  return `probe.${zone}`;
}
