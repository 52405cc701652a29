// The dns probe for a mail domain: MX, SPF, DMARC, Exchange Online DKIM, Autodiscover, MTA-STS, TLS-RPT.
import { isIP } from 'node:net';
import { classify } from './address.ts';
import { isDmarc, parseDmarc } from './dmarc.ts';
import type { ProbeResolver } from './resolver.ts';
import { isResolverTrouble } from './resolver.ts';
import { EXO_SPF_INCLUDE, SPF_LOOKUP_LIMIT, fetchSpf, walkSpf } from './spf.ts';
import type { LookupRunner, Severity } from './types.ts';

type Note = [Severity, string, string];

interface Domain {
  name: string;
  resolver: ProbeResolver;
  isExo: boolean;
}

const EXO_MX = /\.mail\.protection\.outlook\.com\.?$/i;

export const runDns: LookupRunner = async (t, ctx) => {
  const d: Domain = { name: t.host, resolver: ctx.resolver, isExo: false };
  const mx = await checkMx(d);
  if (mx.error) {
    for (const n of mx.notes) ctx.add(...n);
    return { error: mx.notes.every((n) => n[1] === 'dns-lookup-failed') };
  }
  const groups = await Promise.all([checkSpf(d), checkDmarc(d), checkDkim(d), checkAutodiscover(d), checkMtaSts(d)]);
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

async function checkDkim(d: Domain): Promise<Note[]> {
  const notes = await Promise.all(['selector1', 'selector2'].map((s) => checkSelector(d, s)));
  const found = notes.filter((n) => n[0] === 'pass').length;
  if (found === 0 && d.isExo && notes.every((n) => n[1] === 'dkim-selector-missing')) {
    return [['warn', 'dkim-exo-missing', `no selector1/selector2._domainkey.${d.name} CNAMEs: Exchange Online signs with the onmicrosoft.com domain, so DKIM does not align for DMARC`]];
  }
  return notes;
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
  return [
    stsRecord ? ['pass', 'mta-sts', `_mta-sts.${d.name}: ${stsRecord.slice(0, 120)}`] : ['info', 'mta-sts-missing', 'no MTA-STS record: senders cannot be told to require TLS'],
    rptRecord ? ['pass', 'tls-rpt', `_smtp._tls.${d.name}: ${rptRecord.slice(0, 120)}`] : ['info', 'tls-rpt-missing', 'no TLS-RPT record: nobody receives reports of TLS failures'],
  ];
}
