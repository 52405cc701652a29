// The dnsbl probe: the configured DNS blocklist zones queried in parallel, each with its own timeout,
// each answer read as a listing, a clean result or the list refusing our resolver.
import { normalizeIp, reverseName } from './address.ts';
import { explainListing, listInfo } from './dnsbl-lists.ts';
import { ProbeResolver } from './resolver.ts';
import type { ProbeContext, LookupRunner } from './types.ts';

type Verdict =
  | { zone: string; kind: 'listed'; codes: string[]; reason?: string }
  | { zone: string; kind: 'clean' }
  | { zone: string; kind: 'blocked'; codes: string[] }
  | { zone: string; kind: 'bogus'; codes: string[] }
  | { zone: string; kind: 'trouble'; detail: string };

/**
 * Answers that mean "we will not answer you", not "listed": Spamhaus keeps 127.255.255.0/24 for query errors
 * (.252 typo in the zone name, .254 query through a public/open resolver, .255 too many queries), and
 * RFC 5782 says a list must never use 127.0.0.1 for a listing.
 */
function isRefusalCode(a: string): boolean {
  return a === '127.0.0.1' || a.startsWith('127.255.255.');
}

export const runDnsbl: LookupRunner = async (t, ctx) => {
  const ip = normalizeIp(t.host);
  const reversed = reverseName(ip)!;
  ctx.progress(`asking ${ctx.config.dnsblZones.length} blocklist zones about ${ip}`);
  const verdicts = await Promise.all(ctx.config.dnsblZones.map((zone) => queryZone(`${reversed}.${zone}`, zone, ctx)));
  report(ip, verdicts, ctx);
  if (verdicts.length && verdicts.every((v) => v.kind === 'trouble')) return { error: true };
};

async function queryZone(name: string, zone: string, ctx: ProbeContext): Promise<Verdict> {
  const resolver = new ProbeResolver(ctx.config, ctx.signal, Math.min(ctx.config.timeouts.dnsblZoneMs, Math.max(1, ctx.remaining())));
  const a = await resolver.a(name);
  if (!a.ok) {
    if (a.reason === 'nxdomain' || a.reason === 'nodata') return { zone, kind: 'clean' };
    return { zone, kind: 'trouble', detail: a.detail };
  }
  const codes = a.records.slice(0, 8);
  ctx.transcript.note(`${name} A ${codes.join(', ')}`);
  if (codes.every(isRefusalCode)) return { zone, kind: 'blocked', codes };
  if (!codes.some((c) => c.startsWith('127.'))) return { zone, kind: 'bogus', codes };
  const txt = await resolver.txt(name);
  return { zone, kind: 'listed', codes: codes.filter((c) => c.startsWith('127.') && !isRefusalCode(c)), reason: txt.ok ? txt.records[0]?.slice(0, 200) : undefined };
}

function report(ip: string, verdicts: Verdict[], ctx: ProbeContext): void {
  for (const v of verdicts) {
    if (v.kind === 'listed') {
      const info = listInfo(v.zone);
      if (info) ctx.add('fail', 'ip-listed', `${ip} is listed on ${info.name} (${v.zone}): ${explainListing(v.zone, v.codes)}${v.reason ? `. The list says: ${v.reason}` : ''}`);
      else ctx.add('fail', 'ip-listed', `${ip} is listed on ${v.zone} (${v.codes.join(', ')})${v.reason ? `: ${v.reason}` : ''}`);
    }
    else if (v.kind === 'blocked') ctx.add('warn', 'dnsbl-resolver-blocked', `${v.zone} refused to answer this resolver (${v.codes.join(', ')}): result unknown; query it through your own resolver`);
    else if (v.kind === 'bogus') ctx.add('warn', 'dnsbl-bogus-answer', `${v.zone} answered ${v.codes.join(', ')}, not a 127.0.0.x code: the zone may be dead or answering everything`);
    else if (v.kind === 'trouble') ctx.add('info', 'dnsbl-no-answer', `${v.zone}: ${v.detail}`);
  }
  const clean = verdicts.filter((v) => v.kind === 'clean').map((v) => v.zone);
  if (clean.length) ctx.add('pass', 'dnsbl-clean', `${ip} is not listed on ${clean.length} of ${verdicts.length} zone(s): ${clean.join(', ')}`);
}
