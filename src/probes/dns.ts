// The dns probe for a mail domain: MX, SPF, DMARC, Exchange Online DKIM, Autodiscover, MTA-STS, TLS-RPT.
import { isIP } from 'node:net';
import { classify } from './address.ts';
import { isDmarc, parseDmarc } from './dmarc.ts';
import { checkServerIdentity } from 'node:tls';
import { describeTlsa } from './dane.ts';
import { HttpError, httpRequest } from './http-request.ts';
import type { ProbeResolver } from './resolver.ts';
import { isResolverTrouble } from './resolver.ts';
import { EXO_SPF_INCLUDE, SPF_LOOKUP_LIMIT, fetchSpf, walkSpf } from './spf.ts';
import type { LookupRunner, ProbeContext, Severity } from './types.ts';

type Note = [Severity, string, string];

interface Domain {
  name: string;
  resolver: ProbeResolver;
  isExo: boolean;
  /** MX host names, best first (filled by checkMx). */
  mx: string[];
  ctx: ProbeContext;
}

const EXO_MX = /\.mail\.protection\.outlook\.com\.?$/i;

export const runDns: LookupRunner = async (t, ctx) => {
  const d: Domain = { name: t.host, resolver: ctx.resolver, isExo: false, mx: [], ctx };
  const mx = await checkMx(d);
  if (mx.error) {
    for (const n of mx.notes) ctx.add(...n);
    return { error: mx.notes.every((n) => n[1] === 'dns-lookup-failed') };
  }
  const groups = await Promise.all([checkSpf(d), checkDmarc(d), checkDkim(d, ctx.options.dkimSelectors ?? []), checkAutodiscover(d), checkMtaSts(d), checkTlsa(d)]);
  for (const n of [...mx.notes, ...groups.flat()]) ctx.add(...n);
  ctx.transcript.note(`${d.resolver.count} DNS queries`);
};

async function checkMx(d: Domain): Promise<{ notes: Note[]; error?: boolean }> {
  const mx = await d.resolver.mx(d.name);
  if (!mx.ok) {
    if (mx.reason === 'nxdomain') return { notes: [['fail', 'domain-missing', `${d.name} does not exist in DNS (NXDOMAIN)`]], error: true };
    if (isResolverTrouble(mx)) return { notes: [['fail', 'dns-lookup-failed', `MX lookup failed: ${mx.detail}`]], error: true };
    return { notes: [['warn', 'mx-missing', `${d.name} has no MX record: senders fall back to its A record, and Exchange Online expects an MX`]] };
  }
  const records = [...mx.records].sort((a, b) => a.priority - b.priority).slice(0, 10);
  if (records.length === 1 && (records[0]!.exchange === '' || records[0]!.exchange === '.')) {
    return { notes: [['info', 'mx-null', `${d.name} publishes a null MX (RFC 7505): it accepts no mail`]] };
  }
  d.isExo = records.some((r) => EXO_MX.test(r.exchange));
  d.mx = records.map((r) => r.exchange.toLowerCase().replace(/\.$/, ''));
  return { notes: await Promise.all(records.map((r) => checkMxHost(d, r))) };
}

async function checkMxHost(d: Domain, r: { exchange: string; priority: number }): Promise<Note> {
  const label = `MX ${r.priority} ${r.exchange}`;
  if (isIP(r.exchange)) return ['fail', 'mx-ip-literal', `${label}: an MX must name a host, not an IP address`];
  const found = await d.resolver.addresses(r.exchange);
  if (!found.ok || !found.records.length) return ['fail', 'mx-host-unresolved', `${label} does not resolve (${found.ok ? 'no addresses' : found.detail}): mail to it is deferred`];
  const odd = found.records.find((a) => classify(a).cls !== 'public');
  if (odd) return ['warn', 'mx-private-address', `${label} → ${odd}, a ${classify(odd).cls} address senders on the internet cannot reach`];
  return ['pass', 'mx', `${label} → ${found.records.slice(0, 3).join(', ')}`];
}

async function checkSpf(d: Domain): Promise<Note[]> {
  const spf = await fetchSpf(d.name, d.resolver);
  if (spf.trouble) return [['warn', 'dns-lookup-failed', `SPF lookup failed: ${spf.trouble}`]];
  if (!spf.records.length) return [['warn', 'spf-missing', `${d.name} publishes no SPF record: receivers cannot tell which servers may send for it`]];
  if (spf.records.length > 1) return [['fail', 'spf-multiple', `${d.name} publishes ${spf.records.length} SPF records: receivers treat that as an error (permerror); merge them into one`]];
  const record = spf.records[0]!;
  const walk = await walkSpf(d.name, record, d.resolver);
  const notes: Note[] = walk.issues.map((i) => [i.severity, i.code, i.message]);
  const all = /(?:^|\s)([-+~?]?)all(?:\s|$)/i.exec(record);
  if (all && (all[1] === '+' || all[1] === '')) notes.push(['fail', 'spf-plus-all', `SPF ends in ${all[1]}all: it authorises every server on the internet to send as ${d.name}`]);
  else if (all?.[1] === '?') notes.push(['warn', 'spf-neutral-all', 'SPF ends in ?all: it asserts nothing about other senders']);
  if (walk.lookups > SPF_LOOKUP_LIMIT) notes.push(['fail', 'spf-too-many-lookups', `SPF needs ${walk.lookups} DNS lookups, more than the limit of ${SPF_LOOKUP_LIMIT}: receivers return permerror`]);
  if (walk.resolverTrouble) notes.push(['warn', 'dns-lookup-failed', 'some SPF includes could not be looked up: the lookup count may be low']);
  if (d.isExo && !walk.includesExo) notes.push(['warn', 'spf-exo-include-missing', `MX points to Exchange Online but SPF does not include ${EXO_SPF_INCLUDE}: mail sent through Exchange Online can fail SPF`]);
  if (!notes.some((n) => n[0] === 'fail')) notes.unshift(['pass', 'spf', `${record.slice(0, 200)} (${walk.lookups} of ${SPF_LOOKUP_LIMIT} DNS lookups)`]);
  return notes;
}

async function checkDmarc(d: Domain): Promise<Note[]> {
  const txt = await d.resolver.txt(`_dmarc.${d.name}`);
  if (!txt.ok && isResolverTrouble(txt)) return [['warn', 'dns-lookup-failed', `DMARC lookup failed: ${txt.detail}`]];
  const records = txt.ok ? txt.records.filter(isDmarc) : [];
  if (!records.length) return [['warn', 'dmarc-missing', `no DMARC record at _dmarc.${d.name}: receivers apply their own policy to mail that fails SPF and DKIM`]];
  if (records.length > 1) return [['fail', 'dmarc-multiple', `${records.length} DMARC records at _dmarc.${d.name}: receivers ignore DMARC altogether`]];
  const { tags, errors } = parseDmarc(records[0]!);
  if (errors.length) return [['fail', 'dmarc-syntax', `DMARC record: ${errors.join('; ')}`]];
  const p = tags.get('p')!.toLowerCase();
  const pct = tags.get('pct') ?? '100';
  const notes: Note[] = [['pass', 'dmarc', `${records[0]!.slice(0, 200)}`]];
  if (p === 'reject') notes.push(['info', 'dmarc-reject', `p=reject (pct=${pct}): mail from ${d.name} that fails both SPF and DKIM alignment is rejected`]);
  else if (p === 'quarantine') notes.push(['info', 'dmarc-quarantine', `p=quarantine (pct=${pct}): mail that fails alignment goes to junk`]);
  else notes.push(['info', 'dmarc-none', 'p=none: monitoring only, failing mail is still delivered']);
  if (!tags.has('rua')) notes.push(['info', 'dmarc-no-rua', 'no rua= address: nobody receives aggregate reports']);
  return notes;
}

/** selector1/selector2 (Exchange Online's) and the selectors named by the user or a DKIM-Signature s= tag. */
async function checkDkim(d: Domain, extra: readonly string[]): Promise<Note[]> {
  const named = [...new Set(extra.map((s) => s.toLowerCase()))].filter((s) => s !== 'selector1' && s !== 'selector2').slice(0, 10);
  const exo = await Promise.all(['selector1', 'selector2'].map((s) => checkSelector(d, s)));
  const others = await Promise.all(named.map(async (s): Promise<Note> => {
    const n = await checkSelector(d, s);
    return n[1] === 'dkim-selector-missing' ? ['warn', 'dkim-selector-missing', `${n[2]}: mail signed with s=${s} fails DKIM at receivers`] : n;
  }));
  const found = [...exo, ...others].filter((n) => n[0] === 'pass').length;
  if (found === 0 && d.isExo && exo.every((n) => n[1] === 'dkim-selector-missing') && !named.length) {
    return [['warn', 'dkim-exo-missing', `no selector1/selector2._domainkey.${d.name} CNAMEs: Exchange Online signs with the onmicrosoft.com domain, so DKIM does not align for DMARC`]];
  }
  return [...exo, ...others];
}

async function checkSelector(d: Domain, selector: string): Promise<Note> {
  const name = `${selector}._domainkey.${d.name}`;
  const cname = await d.resolver.cname(name);
  if (cname.ok) {
    const key = await d.resolver.txt(cname.records[0]!);
    const published = key.ok && key.records.some((r) => /(?:^|;)\s*p=[A-Za-z0-9+/]/.test(r));
    return published
      ? ['pass', 'dkim-selector', `${name} → ${cname.records[0]} (key published)`]
      : ['warn', 'dkim-key-missing', `${name} → ${cname.records[0]}, which has no DKIM key: signing is not enabled at the target`];
  }
  const txt = await d.resolver.txt(name);
  if (txt.ok && txt.records.some((r) => /(?:^|;)\s*p=/.test(r))) return ['pass', 'dkim-selector', `${name} publishes a DKIM key directly (a TXT record, not the Exchange Online CNAME)`];
  return ['info', 'dkim-selector-missing', `no DKIM record at ${name}`];
}

async function checkAutodiscover(d: Domain): Promise<Note[]> {
  const host = `autodiscover.${d.name}`;
  const [cname, addr, srv] = await Promise.all([d.resolver.cname(host), d.resolver.addresses(host), d.resolver.srv(`_autodiscover._tcp.${d.name}`)]);
  const notes: Note[] = [];
  if (cname.ok) notes.push(['pass', 'autodiscover-cname', `${host} → ${cname.records[0]}${/autodiscover\.outlook\.com\.?$/i.test(cname.records[0]!) ? ' (Exchange Online)' : ''}`]);
  else if (addr.ok && addr.records.length) notes.push(['pass', 'autodiscover-a', `${host} → ${addr.records.slice(0, 3).join(', ')}`]);
  if (srv.ok && srv.records.length) {
    const s = srv.records[0]!;
    notes.push(['pass', 'autodiscover-srv', `_autodiscover._tcp.${d.name} SRV → ${s.name}:${s.port}`]);
  }
  if (!notes.length) notes.push(['warn', 'autodiscover-dns-missing', `no ${host} record and no _autodiscover._tcp SRV: Outlook clients outside the domain cannot find the mailbox server`]);
  return notes;
}

async function checkMtaSts(d: Domain): Promise<Note[]> {
  const [sts, rpt] = await Promise.all([d.resolver.txt(`_mta-sts.${d.name}`), d.resolver.txt(`_smtp._tls.${d.name}`)]);
  const stsRecord = sts.ok ? sts.records.find((r) => /^v=STSv1\s*;/i.test(r)) : undefined;
  const rptRecord = rpt.ok ? rpt.records.find((r) => /^v=TLSRPTv1\s*;/i.test(r)) : undefined;
  const notes: Note[] = [];
  if (!stsRecord) notes.push(['info', 'mta-sts-missing', 'no MTA-STS record: senders cannot be told to require TLS']);
  else {
    notes.push(['pass', 'mta-sts', `_mta-sts.${d.name}: ${stsRecord.slice(0, 120)}`]);
    notes.push(...(await checkMtaStsPolicy(d)));
  }
  notes.push(rptRecord ? checkTlsRpt(d, rptRecord) : ['info', 'tls-rpt-missing', 'no TLS-RPT record: nobody receives reports of TLS failures']);
  return notes;
}

/** TLS-RPT (RFC 8460): the record names where reports go (rua= mailto: or https:). */
function checkTlsRpt(d: Domain, record: string): Note {
  const rua = record.split(';').map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('rua='));
  const targets = rua ? rua.slice(4).split(',').map((x) => x.trim()).filter(Boolean) : [];
  if (!targets.length || !targets.every((u) => /^(?:mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/i.test(u))) {
    return ['warn', 'tls-rpt-invalid', `_smtp._tls.${d.name}: ${record.slice(0, 120)} names no valid rua= (mailto: or https:) destination: reports go nowhere`];
  }
  return ['pass', 'tls-rpt', `_smtp._tls.${d.name}: reports go to ${targets.slice(0, 3).join(', ')}`];
}

export interface MtaStsPolicy {
  version?: string;
  mode?: string;
  mx: string[];
  maxAge?: number;
}

/** Parses an MTA-STS policy file (RFC 8461 section 3.2): `key: value` lines, mx repeated. */
export function parseMtaStsPolicy(text: string): MtaStsPolicy {
  const policy: MtaStsPolicy = { mx: [] };
  for (const raw of text.split('\n').slice(0, 1000)) {
    const line = raw.trim();
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'version') policy.version = value;
    else if (key === 'mode') policy.mode = value.toLowerCase();
    else if (key === 'mx' && policy.mx.length < 100) policy.mx.push(value.toLowerCase().replace(/\.$/, ''));
    else if (key === 'max_age') policy.maxAge = /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  }
  return policy;
}

/** RFC 8461 section 4.1: a pattern is a host name, or `*.` and a domain matching exactly one more label. */
export function mxMatches(pattern: string, host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (pattern.startsWith('*.')) {
    const rest = pattern.slice(1);
    return h.endsWith(rest) && h.length > rest.length && !h.slice(0, h.length - rest.length).includes('.');
  }
  return h === pattern;
}

const MAX_AGE_LIMIT = 31_557_600;
const DAY_S = 86_400;

async function checkMtaStsPolicy(d: Domain): Promise<Note[]> {
  const host = `mta-sts.${d.name}`;
  const port = d.ctx.options.port ?? 443;
  const url = new URL(`https://${host}:${port}/.well-known/mta-sts.txt`);
  const shown = port === 443 ? `https://${host}/.well-known/mta-sts.txt` : url.href;
  const pin = await d.ctx.check(host);
  if (!pin.ok) {
    if (pin.refusal) return [['info', 'mta-sts-policy-not-checked', `the MTA-STS policy at ${shown} was not fetched: refused by rule ${pin.refusal.rule} (allow ${host} to check it)`]];
    // No policy host is as if MTA-STS were not deployed (senders find no policy and deliver as usual): said, not failed.
    return [['info', 'mta-sts-policy-unreachable', `the MTA-STS record exists but ${host} does not resolve (${pin.error}): no policy is in effect; remove the record or publish the policy`]];
  }
  let trusted = false;
  let answer;
  try {
    answer = await httpRequest({ url, address: pin.address, method: 'GET', onTls: (socket) => (trusted = socket.authorized && !checkServerIdentity(host, socket.getPeerCertificate())) }, d.ctx);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    return [['warn', 'mta-sts-policy-unreachable', `the MTA-STS policy at ${shown} could not be fetched (${err.message}): senders without a cached policy ignore MTA-STS, senders with one keep applying it`]];
  }
  if (answer.status !== 200) return [['warn', 'mta-sts-policy-unreachable', `the MTA-STS policy at ${shown} answered HTTP ${answer.status} (redirects are not allowed for it): senders without a cached policy ignore MTA-STS, senders with one keep applying it`]];
  const notes: Note[] = [];
  if (!trusted) notes.push(['fail', 'mta-sts-policy-untrusted', `${host} does not present a trusted certificate for its name: senders must ignore a policy fetched that way`]);
  const policy = parseMtaStsPolicy(answer.body);
  const problems: string[] = [];
  if (policy.version !== 'STSv1') problems.push(`version is ${policy.version ?? 'missing'}, not STSv1`);
  if (!['enforce', 'testing', 'none'].includes(policy.mode ?? '')) problems.push(`mode is ${policy.mode ?? 'missing'} (enforce, testing or none)`);
  if (policy.maxAge === undefined || !Number.isFinite(policy.maxAge) || policy.maxAge > MAX_AGE_LIMIT) problems.push(`max_age is ${policy.maxAge === undefined ? 'missing' : 'not a number of seconds up to 31557600'}`);
  if (policy.mode !== 'none' && !policy.mx.length) problems.push('no mx lines');
  if (problems.length) return [...notes, ['fail', 'mta-sts-policy-invalid', `the MTA-STS policy at ${shown} is not valid: ${problems.join('; ')}`]];
  const uncovered = d.mx.filter((h) => !policy.mx.some((p) => mxMatches(p, h)));
  const summary = `mode ${policy.mode}, max_age ${policy.maxAge} s, mx ${policy.mx.join(', ')}`;
  if (policy.mode === 'none') notes.push(['info', 'mta-sts-policy-none', `MTA-STS policy: ${summary}: senders are told to stop applying MTA-STS`]);
  else if (uncovered.length) {
    const enforce = policy.mode === 'enforce';
    notes.push([enforce ? 'fail' : 'warn', 'mta-sts-mx-not-covered', `the MTA-STS policy (${summary}) does not cover MX ${uncovered.join(', ')}: ${enforce ? 'senders that honour MTA-STS refuse to deliver to it' : 'in testing mode senders only report it, but enforce would stop delivery'}`]);
  } else notes.push(['pass', 'mta-sts-policy', `MTA-STS policy: ${summary}; it covers every MX`]);
  if (policy.maxAge! < DAY_S) notes.push(['warn', 'mta-sts-max-age-short', `max_age is ${policy.maxAge} s: senders forget the policy within a day; RFC 8461 suggests weeks`]);
  return notes;
}

/** DANE: which MX hosts publish TLSA records for port 25 (the smtp and tls probes compare them with the certificate). */
async function checkTlsa(d: Domain): Promise<Note[]> {
  const hosts = d.mx.filter((h) => h && h !== '.').slice(0, 5);
  const found = await Promise.all(hosts.map(async (h) => ({ h, r: await d.resolver.tlsa(`_25._tcp.${h}`) })));
  const notes: Note[] = [];
  for (const { h, r } of found) {
    if (r.ok && r.records.length) notes.push(['info', 'dane-tlsa', `MX ${h} publishes ${r.records.length} TLSA record(s) at _25._tcp.${h} (DANE): ${r.records.slice(0, 2).map(describeTlsa).join('; ')}; probe smtp ${h} to compare them with its certificate`]);
    else if (!r.ok && isResolverTrouble(r)) notes.push(['info', 'dane-lookup-failed', `TLSA lookup of _25._tcp.${h} failed: ${r.detail}`]);
  }
  return notes;
}
