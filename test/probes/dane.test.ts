// DANE: the smtp probe compares the TLSA records of _PORT._tcp.HOST with the certificate after STARTTLS, and the
// dns probe lists TLSA records per MX. Real smtp-server on 127.0.0.1, DNS served by dns-packet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate, createHash } from 'node:crypto';
import { runProbe } from '../../src/probes/run.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import { tlsaMatches } from '../../src/probes/dane.ts';
import type { ProbeResult } from '../../src/probes/types.ts';
import { makeCa, makeCert } from '../helpers/certs.ts';
import type { Pem } from '../helpers/certs.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { DnsRecord, DnsServer } from '../helpers/dns-server.ts';
import { startSmtp } from '../helpers/smtp.ts';
import type { Listening } from '../helpers/smtp.ts';
import { testConfig } from '../helpers/probe-config.ts';

const HOST = 'mx1.dane.test';
let dns: DnsServer;
let smtp: Listening;
let leaf: Pem;
let ca: Pem;

const spkiSha256 = (pem: string) => createHash('sha256').update(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' })).digest();
const tlsa = (name: string, usage: number, selector: number, matchingType: number, certificate: Buffer): DnsRecord => ({ name, type: 'TLSA', data: { usage, selector, matchingType, certificate } });

beforeAll(async () => {
  ca = await makeCa('ehlo dane CA');
  leaf = await makeCert({ names: [HOST], ca });
  smtp = await startSmtp({ tls: leaf, name: HOST });
  dns = await startDnsServer([], { authenticated: [`_${smtp.port}._tcp.${HOST}`] });
});
afterAll(async () => {
  await Promise.all([smtp.close(), dns.close()]);
});

function serve(extra: DnsRecord[]): void {
  dns.setRecords([
    { name: HOST, type: 'A', data: '127.0.0.1' },
    { name: 'dane.test', type: 'MX', data: { preference: 10, exchange: HOST } },
    ...extra,
  ]);
}
const probe = (kind: 'smtp' | 'dns', target: string): Promise<ProbeResult> => runProbe(kind, target, { config: testConfig({ dnsServers: [dns.server], allow: ['*.test', '127.0.0.0/8'], extraCaPem: [ca.cert] }), limiter: new ProbeLimiter() });
const find = (r: ProbeResult, code: string) => r.findings.find((f) => f.code === code);

describe('DANE', () => {
  it('passes when a DANE-EE record matches the certificate presented after STARTTLS', async () => {
    serve([tlsa(`_${smtp.port}._tcp.${HOST}`, 3, 1, 1, spkiSha256(leaf.cert))]);
    const r = await probe('smtp', `${HOST}:${smtp.port}`);
    expect(find(r, 'dane-match')!.message).toMatch(/matches TLSA 3 1 1 .*DANE-EE, public key, SHA-256/);
    expect(find(r, 'dane-dnssec')!.message).toMatch(/validated the TLSA answer .* with DNSSEC \(AD bit\)/);
    expect(find(r, 'dane-not-validated')).toBeUndefined();
  });

  it('warns when the resolver does not mark the TLSA answer DNSSEC-validated', async () => {
    const unsigned = await startDnsServer([
      { name: HOST, type: 'A', data: '127.0.0.1' },
      tlsa(`_${smtp.port}._tcp.${HOST}`, 3, 1, 1, spkiSha256(leaf.cert)),
    ]);
    try {
      const r = await runProbe('smtp', `${HOST}:${smtp.port}`, { config: testConfig({ dnsServers: [unsigned.server], allow: ['*.test', '127.0.0.0/8'], extraCaPem: [ca.cert] }), limiter: new ProbeLimiter() });
      expect(find(r, 'dane-not-validated')?.severity).toBe('warn');
      expect(unsigned.queries.filter((q) => q.endsWith('TLSA'))).toHaveLength(2);
    } finally {
      await unsigned.close();
    }
  });

  it('fails a DANE mismatch: the records name another certificate', async () => {
    const other = await makeCert({ names: [HOST], ca });
    serve([tlsa(`_${smtp.port}._tcp.${HOST}`, 3, 1, 1, spkiSha256(other.cert)), tlsa(`_${smtp.port}._tcp.${HOST}`, 3, 0, 2, Buffer.alloc(64, 1))]);
    const r = await probe('smtp', `${HOST}:${smtp.port}`);
    expect(find(r, 'dane-mismatch')).toMatchObject({ severity: 'fail' });
    expect(find(r, 'dane-mismatch')!.message).toMatch(/none of the 2 TLSA record\(s\) .* matches the certificate presented/);
    expect(r.status).toBe('fail');
  });

  it('matches a DANE-TA record against the issuer, and ignores PKIX usages', async () => {
    serve([tlsa(`_${smtp.port}._tcp.${HOST}`, 2, 0, 1, createHash('sha256').update(new X509Certificate(ca.cert).raw).digest())]);
    expect(find(await probe('smtp', `${HOST}:${smtp.port}`), 'dane-match')).toBeDefined();
    serve([tlsa(`_${smtp.port}._tcp.${HOST}`, 1, 1, 1, spkiSha256(leaf.cert))]);
    expect(find(await probe('smtp', `${HOST}:${smtp.port}`), 'dane-unusable')?.severity).toBe('warn');
  });

  it('says nothing of DANE where no TLSA record exists', async () => {
    serve([]);
    const r = await probe('smtp', `${HOST}:${smtp.port}`);
    expect(r.findings.filter((f) => f.code.startsWith('dane-'))).toEqual([]);
  });

  it('lists the TLSA records of each MX in the dns probe', async () => {
    serve([tlsa(`_25._tcp.${HOST}`, 3, 1, 1, spkiSha256(leaf.cert))]);
    const r = await probe('dns', 'dane.test');
    expect(find(r, 'dane-tlsa')!.message).toMatch(/MX mx1\.dane\.test publishes 1 TLSA record\(s\) at _25\._tcp\.mx1\.dane\.test/);
  });

  it('compares exact and SHA-512 data too', () => {
    const der = new X509Certificate(leaf.cert).raw;
    expect(tlsaMatches({ certUsage: 3, selector: 0, match: 0, data: der }, der)).toBe(true);
    expect(tlsaMatches({ certUsage: 3, selector: 0, match: 2, data: createHash('sha512').update(der).digest() }, der)).toBe(true);
    expect(tlsaMatches({ certUsage: 3, selector: 0, match: 1, data: Buffer.alloc(32) }, der)).toBe(false);
    expect(tlsaMatches({ certUsage: 3, selector: 7, match: 1, data: Buffer.alloc(32) }, der)).toBe(false);
  });
});
