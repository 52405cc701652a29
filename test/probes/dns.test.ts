// The dns, ptr and dnsbl probes against a DNS server on 127.0.0.1 serving test zones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../src/probes/run.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import type { ProbeConfigInput } from '../../src/probes/config.ts';
import type { ProbeResult } from '../../src/probes/types.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { DnsRecord, DnsServer } from '../helpers/dns-server.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { makeCa, makeCert } from '../helpers/certs.ts';
import type { Pem } from '../helpers/certs.ts';
import { startHttps } from '../helpers/https.ts';
import type { Listening } from '../helpers/smtp.ts';
import { mxMatches, parseMtaStsPolicy } from '../../src/probes/dns.ts';

const txt = (name: string, data: string): DnsRecord => ({ name, type: 'TXT', data });
const a = (name: string, data: string): DnsRecord => ({ name, type: 'A', data });
const cname = (name: string, data: string): DnsRecord => ({ name, type: 'CNAME', data });
const mx = (name: string, preference: number, exchange: string): DnsRecord => ({ name, type: 'MX', data: { preference, exchange } });

/** contoso.test: Exchange Online MX, good SPF, DMARC reject, DKIM CNAMEs, Autodiscover CNAME + SRV, MTA-STS, TLS-RPT. */
const CONTOSO: DnsRecord[] = [
  mx('contoso.test', 0, 'contoso-test.mail.protection.outlook.com'),
  a('contoso-test.mail.protection.outlook.com', '52.101.68.1'),
  txt('contoso.test', 'v=spf1 include:spf.protection.outlook.com -all'),
  txt('contoso.test', 'MS=ms12345678'),
  txt('spf.protection.outlook.com', 'v=spf1 ip4:40.92.0.0/15 ip4:52.100.0.0/14 -all'),
  txt('_dmarc.contoso.test', 'v=DMARC1; p=reject; rua=mailto:dmarc@contoso.test'),
  cname('selector1._domainkey.contoso.test', 'selector1-contoso-test._domainkey.contoso.onmicrosoft.com'),
  cname('selector2._domainkey.contoso.test', 'selector2-contoso-test._domainkey.contoso.onmicrosoft.com'),
  txt('selector1-contoso-test._domainkey.contoso.onmicrosoft.com', 'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'),
  txt('selector2-contoso-test._domainkey.contoso.onmicrosoft.com', 'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEB'),
  cname('autodiscover.contoso.test', 'autodiscover.outlook.com'),
  a('autodiscover.outlook.com', '52.97.1.1'),
  { name: '_autodiscover._tcp.contoso.test', type: 'SRV', data: { priority: 0, weight: 0, port: 443, target: 'mail.contoso.test' } },
  txt('_mta-sts.contoso.test', 'v=STSv1; id=20240101'),
  a('mta-sts.contoso.test', '127.0.0.1'),
  txt('_smtp._tls.contoso.test', 'v=TLSRPTv1; rua=mailto:tlsrpt@contoso.test'),
];

/** fabrikam.test: everything wrong. An SPF chain of 12 lookups, two DMARC-less, +all, missing include target. */
const chain = Array.from({ length: 11 }, (_, i) => txt(`spf${i}.fabrikam.test`, i < 10 ? `v=spf1 include:spf${i + 1}.fabrikam.test -all` : 'v=spf1 a mx -all'));
const FABRIKAM: DnsRecord[] = [
  mx('fabrikam.test', 10, 'mx1.fabrikam.test'),
  mx('fabrikam.test', 20, 'mx2.fabrikam.test'),
  a('mx1.fabrikam.test', '198.51.100.25'.replace('198.51.100', '203.0.114')),
  txt('fabrikam.test', 'v=spf1 include:spf0.fabrikam.test ~all'),
  ...chain,
];

const OTHERS: DnsRecord[] = [
  a('nomx.test', '203.0.114.9'),
  txt('nomx.test', 'v=spf1 +all'),
  txt('nomx.test', 'v=spf1 -all'),
  mx('nullmx.test', 0, '.'),
  mx('exo-nospf.test', 0, 'exo-nospf-test.mail.protection.outlook.com'),
  a('exo-nospf-test.mail.protection.outlook.com', '52.101.68.2'),
  txt('exo-nospf.test', 'v=spf1 include:missing.exo-nospf.test ip4:203.0.114.1 -all'),
  txt('_dmarc.exo-nospf.test', 'v=DMARC1; p=quarantine; pct=150; rua=dmarc@exo-nospf.test'),
  // reverse DNS
  { name: '7.1.0.203.in-addr.arpa', type: 'PTR', data: 'mail.contoso.test' },
  a('mail.contoso.test', '203.0.1.7'),
  { name: '8.1.0.203.in-addr.arpa', type: 'PTR', data: 'dynamic-203-0-1-8.isp.test' },
  a('dynamic-203-0-1-8.isp.test', '203.0.1.99'),
];

let dns: DnsServer;
let ca: Pem;
let sts: Listening;
/** The MTA-STS policy file mta-sts.<domain> serves, by domain (set per test). */
const policies = new Map<string, string>([['contoso.test', 'version: STSv1\r\nmode: enforce\r\nmx: *.mail.protection.outlook.com\r\nmax_age: 604800\r\n']]);
beforeAll(async () => {
  dns = await startDnsServer([...CONTOSO, ...FABRIKAM, ...OTHERS, ...DNSBL, ...STS_DOMAINS], { stall: ['2.0.0.127.slow.bl.test'] });
  ca = await makeCa('ehlo mta-sts CA');
  sts = await startHttps(await makeCert({ names: ['mta-sts.contoso.test', 'mta-sts.sts-enforce.test', 'mta-sts.sts-testing.test', 'mta-sts.sts-bad.test'], ca }), (req, res) => {
    const domain = (req.headers.host ?? '').replace(/^mta-sts\./, '').replace(/:\d+$/, '');
    const body = req.url === '/.well-known/mta-sts.txt' ? policies.get(domain) : undefined;
    res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'text/plain' });
    res.end(body);
  });
});
afterAll(async () => {
  await Promise.all([dns.close(), sts.close()]);
});

function probe(kind: 'dns' | 'ptr' | 'dnsbl', target: string, over: ProbeConfigInput = {}): Promise<ProbeResult> {
  return runProbe(kind, target, { config: testConfig({ dnsServers: [dns.server], allow: ['*', '127.0.0.0/8'], extraCaPem: [ca.cert], ...over }), limiter: new ProbeLimiter(), port: sts.port });
}
const find = (r: ProbeResult, code: string) => r.findings.find((f) => f.code === code);
const codes = (r: ProbeResult) => r.findings.map((f) => f.code);

/** Domains for the MTA-STS checks: each has one MX, an STS record and mta-sts.<domain> on the test HTTPS server. */
const STS_DOMAINS: DnsRecord[] = ['sts-enforce.test', 'sts-testing.test', 'sts-bad.test', 'sts-nohost.test'].flatMap((d) => [
  mx(d, 10, `mx1.${d}`),
  a(`mx1.${d}`, '203.0.114.25'),
  txt(`_mta-sts.${d}`, 'v=STSv1; id=1'),
  ...(d === 'sts-nohost.test' ? [] : [a(`mta-sts.${d}`, '127.0.0.1')]),
]);

describe('MTA-STS', () => {
  it('fetches the policy and fails an enforce policy that does not cover the MX', async () => {
    policies.set('sts-enforce.test', 'version: STSv1\nmode: enforce\nmx: mail.sts-enforce.test\nmx: *.backup.sts-enforce.test\nmax_age: 86400\n');
    const r = await probe('dns', 'sts-enforce.test');
    expect(find(r, 'mta-sts-mx-not-covered')).toMatchObject({ severity: 'fail' });
    expect(find(r, 'mta-sts-mx-not-covered')!.message).toMatch(/does not cover MX mx1\.sts-enforce\.test: senders that honour MTA-STS refuse to deliver/);
    expect(r.status).toBe('fail');
  });

  it('warns in testing mode, and about a short max_age', async () => {
    policies.set('sts-testing.test', 'version: STSv1\nmode: testing\nmx: other.sts-testing.test\nmax_age: 3600\n');
    const r = await probe('dns', 'sts-testing.test');
    expect(find(r, 'mta-sts-mx-not-covered')?.severity).toBe('warn');
    expect(find(r, 'mta-sts-max-age-short')?.severity).toBe('warn');
  });

  it('fails an invalid policy, warns about a missing policy file, and notes a policy host that does not resolve', async () => {
    policies.set('sts-bad.test', 'version: STSv2\nmode: strict\nmx: mx1.sts-bad.test\n');
    const bad = await probe('dns', 'sts-bad.test');
    expect(find(bad, 'mta-sts-policy-invalid')!.message).toMatch(/version is STSv2, not STSv1; mode is strict .*; max_age is missing/);
    policies.delete('sts-bad.test');
    expect(find(await probe('dns', 'sts-bad.test'), 'mta-sts-policy-unreachable')).toMatchObject({ severity: 'warn', message: expect.stringMatching(/answered HTTP 404/) });
    expect(find(await probe('dns', 'sts-nohost.test'), 'mta-sts-policy-unreachable')).toMatchObject({ severity: 'info', message: expect.stringMatching(/does not resolve.*no policy is in effect/) });
  });

  it('fails a policy host without a trusted certificate', async () => {
    policies.set('sts-enforce.test', 'version: STSv1\nmode: enforce\nmx: mx1.sts-enforce.test\nmax_age: 604800\n');
    const r = await probe('dns', 'sts-enforce.test', { extraCaPem: [] });
    expect(find(r, 'mta-sts-policy-untrusted')?.severity).toBe('fail');
    const trusted = await probe('dns', 'sts-enforce.test');
    expect(find(trusted, 'mta-sts-policy')!.message).toMatch(/mode enforce, max_age 604800 s, mx mx1\.sts-enforce\.test; it covers every MX/);
  });

  it('matches mx patterns as RFC 8461 says: a wildcard covers one label', () => {
    expect(mxMatches('*.contoso.test', 'mx1.contoso.test')).toBe(true);
    expect(mxMatches('*.contoso.test', 'a.b.contoso.test')).toBe(false);
    expect(mxMatches('*.contoso.test', 'contoso.test')).toBe(false);
    expect(mxMatches('mx1.contoso.test', 'MX1.contoso.test.')).toBe(true);
    expect(parseMtaStsPolicy('version: STSv1\r\nmx: A.test\r\nmx: b.test.\r\nmax_age: 12x\r\n')).toEqual({ version: 'STSv1', mx: ['a.test', 'b.test'], maxAge: Number.NaN });
  });
});

describe('DKIM selectors beyond selector1/2', () => {
  it('looks up the selectors given and warns about a missing one', async () => {
    const r = await runProbe('dns', 'contoso.test', { config: testConfig({ dnsServers: [dns.server], allow: ['*', '127.0.0.0/8'], extraCaPem: [ca.cert] }), limiter: new ProbeLimiter(), port: sts.port, dkimSelectors: ['s2048', 'selector1'] });
    expect(dns.queries).toContain('s2048._domainkey.contoso.test CNAME');
    expect(r.findings.find((f) => f.code === 'dkim-selector-missing' && f.message.includes('s2048'))?.severity).toBe('warn');
    expect(r.findings.filter((f) => f.code === 'dkim-selector')).toHaveLength(2);
  });
});

describe('dns probe', () => {
  it('passes a well-configured Exchange Online domain', async () => {
    const r = await probe('dns', 'contoso.test');
    expect(r.status).toBe('pass');
    expect(codes(r)).toEqual(expect.arrayContaining(['mx', 'spf', 'dmarc', 'dmarc-reject', 'dkim-selector', 'autodiscover-cname', 'autodiscover-srv', 'mta-sts', 'mta-sts-policy', 'tls-rpt']));
    expect(find(r, 'spf')!.message).toMatch(/1 of 10 DNS lookups/);
    expect(find(r, 'autodiscover-cname')!.message).toMatch(/Exchange Online/);
    expect(find(r, 'dmarc-reject')!.playbook).toBe('dmarc-reject-from-domain');
    expect(r.findings.filter((f) => f.code === 'dkim-selector')).toHaveLength(2);
  });

  it('counts SPF lookups through an include chain and fails past 10', async () => {
    const r = await probe('dns', 'fabrikam.test');
    expect(find(r, 'spf-too-many-lookups')).toMatchObject({ severity: 'fail', playbook: 'spf-fail-sender-not-authorized' });
    expect(find(r, 'spf-too-many-lookups')!.message).toMatch(/needs 13 DNS lookups/);
    expect(find(r, 'mx-host-unresolved')!.message).toMatch(/mx2\.fabrikam\.test/);
    expect(codes(r)).toEqual(expect.arrayContaining(['dmarc-missing', 'autodiscover-dns-missing', 'mta-sts-missing', 'tls-rpt-missing']));
  });

  it('flags several SPF records, no MX, and a null MX', async () => {
    const r = await probe('dns', 'nomx.test');
    expect(codes(r)).toEqual(expect.arrayContaining(['mx-missing', 'spf-multiple']));
    const nullMx = await probe('dns', 'nullmx.test');
    expect(find(nullMx, 'mx-null')).toBeDefined();
  });

  it('flags +all', async () => {
    dns.setRecords([txt('plusall.test', 'v=spf1 ip4:203.0.114.0/24 +all'), mx('plusall.test', 10, 'mx.plusall.test'), a('mx.plusall.test', '203.0.114.3')]);
    try {
      const r = await probe('dns', 'plusall.test');
      expect(find(r, 'spf-plus-all')?.severity).toBe('fail');
    } finally {
      dns.setRecords([...CONTOSO, ...FABRIKAM, ...OTHERS, ...DNSBL]);
    }
  });

  it('flags a missing Exchange Online include, a broken include, DMARC syntax and missing DKIM CNAMEs', async () => {
    const r = await probe('dns', 'exo-nospf.test');
    expect(codes(r)).toEqual(expect.arrayContaining(['spf-exo-include-missing', 'spf-include-missing', 'dmarc-syntax', 'dkim-exo-missing']));
    expect(find(r, 'dmarc-syntax')!.message).toMatch(/pct=150/);
    expect(find(r, 'dmarc-syntax')!.message).toMatch(/rua= must list mailto:/);
  });

  it('fails a domain that does not exist and reports an unreachable resolver as error', async () => {
    const r = await probe('dns', 'nowhere.test');
    expect(r.status).toBe('fail');
    expect(codes(r)).toEqual(['domain-missing']);
    const dead = await startDnsServer([], { rcode: 'SERVFAIL' });
    await dead.close();
    const e = await probe('dns', 'contoso.test', { dnsServers: [dead.server], timeouts: { dnsMs: 300 } });
    expect(e.status).toBe('error');
    expect(find(e, 'dns-lookup-failed')).toBeDefined();
  });
});

describe('ptr probe', () => {
  it('confirms forward-confirmed reverse DNS', async () => {
    const r = await probe('ptr', '203.0.1.7', { allow: ['203.0.0.0/16'] });
    expect(r.status).toBe('pass');
    expect(find(r, 'fcrdns')!.message).toBe('203.0.1.7 → mail.contoso.test → 203.0.1.7 (forward-confirmed)');
  });

  it('fails a PTR whose name does not point back, and flags generic names', async () => {
    const r = await probe('ptr', '203.0.1.8', { allow: ['203.0.0.0/16'] });
    expect(codes(r)).toEqual(['fcrdns-mismatch', 'ptr-generic']);
  });

  it('fails a missing PTR', async () => {
    const r = await probe('ptr', '203.0.1.9', { allow: ['203.0.0.0/16'] });
    expect(find(r, 'ptr-missing')?.severity).toBe('fail');
  });
});

const DNSBL: DnsRecord[] = [
  a('2.0.0.127.listed.bl.test', '127.0.0.2'),
  txt('2.0.0.127.listed.bl.test', 'Listed for test, see https://bl.test/lookup'),
  a('2.0.0.127.blocked.bl.test', '127.255.255.254'),
  a('2.0.0.127.bogus.bl.test', '192.0.2.1'),
  a('clean.bl.test', '127.0.0.2'),
  // served by the loopback DNS server only: what Spamhaus ZEN and SpamCop answers mean
  a('2.0.0.127.zen.spamhaus.org', '127.0.0.4'),
  a('2.0.0.127.zen.spamhaus.org', '127.0.0.10'),
  a('2.0.0.127.bl.spamcop.net', '127.0.0.2'),
];

describe('dnsbl probe', () => {
  const zones = ['listed.bl.test', 'blocked.bl.test', 'bogus.bl.test', 'clean.bl.test', 'slow.bl.test'];

  it('reads each zone: listed with its reason, resolver blocked, bogus, clean, timed out', async () => {
    const r = await probe('dnsbl', '127.0.0.2', { dnsblZones: zones });
    expect(r.status).toBe('fail');
    expect(find(r, 'ip-listed')).toMatchObject({ playbook: 'eop-sending-ip-blocklisted', message: '127.0.0.2 is listed on listed.bl.test (127.0.0.2): Listed for test, see https://bl.test/lookup' });
    expect(find(r, 'dnsbl-resolver-blocked')!.message).toMatch(/^blocked\.bl\.test refused/);
    expect(find(r, 'dnsbl-bogus-answer')!.message).toMatch(/^bogus\.bl\.test/);
    expect(find(r, 'dnsbl-clean')!.message).toMatch(/1 of 5 zone\(s\): clean\.bl\.test/);
    expect(find(r, 'dnsbl-no-answer')!.message).toMatch(/^slow\.bl\.test: .*timed out/);
  });

  it('says what each return code means per list and where to delist', async () => {
    const r = await probe('dnsbl', '127.0.0.2', { dnsblZones: ['zen.spamhaus.org', 'bl.spamcop.net'] });
    const listed = r.findings.filter((f) => f.code === 'ip-listed').map((f) => f.message);
    const zen = listed.find((m) => m.includes('Spamhaus'));
    const spamcop = listed.find((m) => m.includes('SpamCop'));
    expect(zen).toMatch(/^127\.0\.0\.2 is listed on Spamhaus ZEN \(zen\.spamhaus\.org\): 127\.0\.0\.4: XBL: .*infected or hijacked machine.*; 127\.0\.0\.10: PBL \(set by the ISP\).* Delist: https:\/\/check\.spamhaus\.org\/$/);
    expect(spamcop).toMatch(/SpamCop .*SpamCop users reported spam.*Delist: https:\/\/www\.spamcop\.net\/bl\.shtml \(listings end by themselves/);
  });

  it('gives each zone its own timeout, and is an error when no zone answered', async () => {
    const r = await probe('dnsbl', '127.0.0.2', { dnsblZones: ['slow.bl.test', 'slow.bl.test', 'slow.bl.test'], timeouts: { dnsblZoneMs: 300 } });
    expect(r.findings.filter((f) => f.code === 'dnsbl-no-answer')).toHaveLength(3);
    expect(r.status).toBe('error');
  });

  it('queries IPv6 addresses by nibbles', async () => {
    const r = await probe('dnsbl', '2001:db8::1', { dnsblZones: ['clean.bl.test'], allow: ['2001:db8::/32'] });
    expect(r.status).toBe('pass');
    expect(dns.queries).toContain('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.clean.bl.test A');
  });
});
