// The safety policy: address classes, the allowlist, resolve-once refusals and the limits, through runProbe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classify, reverseName } from '../../src/probes/address.ts';
import { TargetPolicy } from '../../src/probes/policy.ts';
import { runProbe } from '../../src/probes/run.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import type { ProbeConfigInput } from '../../src/probes/config.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { DnsServer } from '../helpers/dns-server.ts';
import { startRawServer } from '../helpers/smtp.ts';
import type { Listening } from '../helpers/smtp.ts';
import { testConfig } from '../helpers/probe-config.ts';

describe('address classes', () => {
  it.each([
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['::', 'reserved'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['2603:1036::1', 'public'],
  ])('%s is %s', (ip, cls) => {
    expect(classify(ip).cls).toBe(cls);
  });

  it('reverses IPv4 and IPv6 for PTR and DNSBL names', () => {
    expect(reverseName('203.0.113.7')).toBe('7.113.0.203');
    expect(reverseName('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2');
  });
});

describe('TargetPolicy', () => {
  it('lets * through for public names and addresses but never for special ranges', () => {
    const p = new TargetPolicy(['*']);
    expect(p.checkName('mail.contoso.com')).toBeUndefined();
    expect(p.checkAddress('52.101.68.1', false)).toBeUndefined();
    expect(p.checkAddress('127.0.0.1', true)?.rule).toBe('address-class');
    expect(p.checkAddress('169.254.169.254', true)?.message).toMatch(/metadata/);
  });

  it('needs a CIDR inside the special block: 0.0.0.0/0 or 169.254.0.0/16 do not open metadata', () => {
    const p = new TargetPolicy(['0.0.0.0/0', '::/0', '169.254.0.0/16', '10.1.0.0/16']);
    expect(p.checkAddress('169.254.169.254', false)?.rule).toBe('address-class');
    expect(p.checkAddress('169.254.1.1', false)).toBeUndefined();
    expect(p.checkAddress('10.1.2.3', false)).toBeUndefined();
    expect(p.checkAddress('10.2.0.1', false)?.rule).toBe('address-class');
    expect(p.checkAddress('fd00:ec2::254', false)?.rule).toBe('address-class');
    expect(new TargetPolicy(['169.254.169.254']).checkAddress('169.254.169.254', false)).toBeUndefined();
  });

  it('matches exact names and *.parent names only', () => {
    const p = new TargetPolicy(['contoso.com', '*.fabrikam.com']);
    expect(p.checkName('contoso.com')).toBeUndefined();
    expect(p.checkName('mail.contoso.com')?.rule).toBe('allow');
    expect(p.checkName('mail.fabrikam.com')).toBeUndefined();
    expect(p.checkName('fabrikam.com')?.rule).toBe('allow');
    expect(p.checkName('evilfabrikam.com')?.rule).toBe('allow');
    expect(p.checkAddress('8.8.8.8', false)?.rule).toBe('allow');
  });

  it('never lets a special address through without a CIDR naming it (property)', () => {
    const special = fc.oneof(
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
    );
    const p = new TargetPolicy(['*', '0.0.0.0/0', 'example.com']);
    fc.assert(fc.property(special, (parts) => p.checkAddress(parts.join('.'), true)?.rule === 'address-class'));
  });
});

describe('runProbe refusals and limits', () => {
  let dns: DnsServer;
  let stall: Listening;
  beforeAll(async () => {
    dns = await startDnsServer([
      { name: 'internal.example.test', type: 'A', data: '10.0.0.7' },
      { name: 'rebind.example.test', type: 'A', data: '127.0.0.1' },
      { name: 'meta.example.test', type: 'A', data: '169.254.169.254' },
    ]);
    stall = await startRawServer(() => undefined);
  });
  afterAll(async () => {
    await Promise.all([dns.close(), stall.close()]);
  });
  const cfg = (over: ProbeConfigInput = {}) => testConfig({ dnsServers: [dns.server], ...over });

  it.each([
    ['smtp', '169.254.169.254', 'address-class'],
    ['http', 'http://[fd00:ec2::254]/latest/meta-data/', 'address-class'],
    ['smtp', '127.0.0.1:25', 'address-class'],
    ['smtp', '10.0.0.1', 'address-class'],
    ['dnsbl', '192.168.1.1', 'address-class'],
    ['smtp', 'internal.example.test', 'address-class'],
    ['smtp', 'meta.example.test', 'address-class'],
    ['dns', 'contoso.com', 'allow'],
  ] as const)('%s %s is refused by %s', async (kind, target, rule) => {
    const r = await runProbe(kind, target, { config: cfg({ allow: ['*.test'] }), limiter: new ProbeLimiter() });
    expect(r.status).toBe('refused');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.code).toBe('policy-refused');
    expect(r.findings[0]!.message).toContain(`refused by rule ${rule}:`);
  });

  it('says which name resolved to which refused address', async () => {
    const r = await runProbe('smtp', 'internal.example.test', { config: cfg({ allow: ['*'] }), limiter: new ProbeLimiter() });
    expect(r.findings[0]!.message).toBe('refused by rule address-class: internal.example.test resolves to 10.0.0.7 is a private address; only an allowlist CIDR inside that range (not * or a domain) permits it');
  });

  it('accepts an allowlisted CIDR and connects to the address it checked', async () => {
    const progress: string[] = [];
    const r = await runProbe('smtp', `rebind.example.test:${stall.port}`, { config: cfg({ allow: ['*.test', '127.0.0.0/8'], timeouts: { readMs: 200 } }), limiter: new ProbeLimiter(), onProgress: (m) => progress.push(m) });
    expect(r.status).toBe('error');
    expect(progress).toEqual([`connected to 127.0.0.1:${stall.port}`]);
    expect(r.transcript[0]).toBe('* rebind.example.test → 127.0.0.1 (checked against the policy; connections go here only)');
    expect(r.findings.map((f) => f.code)).toEqual(['read-timeout']);
  });

  it('refuses a second concurrent probe of the same target past the per-target limit', async () => {
    const limiter = new ProbeLimiter();
    const config = cfg({ limits: { maxConcurrentPerTarget: 1 }, timeouts: { readMs: 300 } });
    const [first, second] = await Promise.all([
      runProbe('smtp', `127.0.0.1:${stall.port}`, { config, limiter }),
      runProbe('smtp', `127.0.0.1:${stall.port}`, { config, limiter }),
    ]);
    expect(first.status).toBe('error');
    expect(second.status).toBe('refused');
    expect(second.findings[0]!.message).toMatch(/^refused by rule limits\.maxConcurrentPerTarget/);
  });

  it('refuses past the total concurrency limit', async () => {
    const limiter = new ProbeLimiter();
    const config = cfg({ limits: { maxConcurrent: 1 }, timeouts: { readMs: 300 } });
    const [, second] = await Promise.all([
      runProbe('smtp', `127.0.0.1:${stall.port}`, { config, limiter }),
      runProbe('dnsbl', '127.0.0.2', { config, limiter }),
    ]);
    expect(second.findings[0]!.message).toMatch(/^refused by rule limits\.maxConcurrent:/);
  });

  it('rate-limits per user and per target', async () => {
    const limiter = new ProbeLimiter();
    const config = cfg({ limits: { perUserPerMinute: 2, perTargetPerMinute: 2 }, dnsblZones: ['bl.example.test'] });
    const run = (user: string, ip: string) => runProbe('dnsbl', ip, { config, limiter, user });
    expect((await run('alice', '127.0.0.2')).status).not.toBe('refused');
    expect((await run('alice', '127.0.0.3')).status).not.toBe('refused');
    const third = await run('alice', '127.0.0.4');
    expect(third.findings[0]!.message).toMatch(/^refused by rule limits\.perUserPerMinute/);
    expect((await run('bob', '127.0.0.2')).status).not.toBe('refused');
    const fourth = await run('carol', '127.0.0.2');
    expect(fourth.findings[0]!.message).toMatch(/^refused by rule limits\.perTargetPerMinute/);
  });

  it('names the MX hosts when a mail domain is given where a host was expected', async () => {
    dns.setRecords([{ name: 'maildomain.example.test', type: 'MX', data: { preference: 10, exchange: 'mx1.example.test' } }]);
    const r = await runProbe('smtp', 'maildomain.example.test', { config: cfg({ allow: ['*.test'] }), limiter: new ProbeLimiter() });
    expect(r.status).toBe('error');
    expect(r.findings.map((f) => f.code)).toEqual(['target-unresolved', 'mx-hint']);
    expect(r.findings[1]!.message).toMatch(/its MX host\(s\): mx1\.example\.test/);
  });

  it('a malformed target is an error result, not an exception', async () => {
    const r = await runProbe('ptr', 'not-an-ip', { config: cfg(), limiter: new ProbeLimiter() });
    expect(r).toMatchObject({ status: 'error', findings: [{ code: 'invalid-target' }] });
  });
});
