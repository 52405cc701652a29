// The ptr probe: reverse DNS of an IP and whether the name points back to it (forward-confirmed rDNS).
import { normalizeIp } from './address.ts';
import { isResolverTrouble } from './resolver.ts';
import type { LookupRunner } from './types.ts';

const GENERIC = /(?:^|[.-])(?:dynamic|dyn|dhcp|pool|dsl|adsl|cable|broadband|ppp|client|host\d|static-\d|ip-?\d+)/i;

export const runPtr: LookupRunner = async (t, ctx) => {
  const ip = normalizeIp(t.host);
  const ptr = await ctx.resolver.ptr(ip);
  if (!ptr.ok && isResolverTrouble(ptr)) {
    ctx.add('fail', 'dns-lookup-failed', `reverse lookup failed: ${ptr.detail}`);
    return { error: true };
  }
  if (!ptr.ok || !ptr.records.length) {
    ctx.add('fail', 'ptr-missing', `${ip} has no PTR record: many receivers, Exchange Online among them, reject or junk mail from it`);
    return;
  }
  for (const name of ptr.records.slice(0, 5)) {
    const forward = await ctx.resolver.addresses(name);
    const back = forward.ok && forward.records.some((a) => normalizeIp(a) === ip);
    if (back) ctx.add('pass', 'fcrdns', `${ip} → ${name} → ${ip} (forward-confirmed)`);
    else ctx.add('fail', 'fcrdns-mismatch', `${ip} → ${name}, but ${name} ${forward.ok ? `resolves to ${forward.records.slice(0, 3).join(', ') || 'nothing'}` : forward.detail}: reverse DNS is not forward-confirmed`);
    if (GENERIC.test(name)) ctx.add('warn', 'ptr-generic', `${name} looks like a generic (dynamic/residential) name: receivers often distrust such senders`);
  }
};
