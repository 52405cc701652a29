// The smtp probe against real SMTP servers on 127.0.0.1: smtp-server with and without STARTTLS, with good,
// expired, self-signed and wrong-name certificates, and raw servers that answer 421, stall or hang up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../src/probes/run.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import type { ProbeResult } from '../../src/probes/types.ts';
import { makeCa, makeCert } from '../helpers/certs.ts';
import type { Pem } from '../helpers/certs.ts';
import { onLines, startRawServer, startSmtp } from '../helpers/smtp.ts';
import type { Listening } from '../helpers/smtp.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { DnsServer } from '../helpers/dns-server.ts';
import { testConfig } from '../helpers/probe-config.ts';

const HOST = 'mail.example.test';
let ca: Pem;
let dns: DnsServer;
const servers: Listening[] = [];

beforeAll(async () => {
  ca = await makeCa();
  dns = await startDnsServer([{ name: HOST, type: 'A', data: '127.0.0.1' }]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await dns.close();
});

async function serve<T extends Listening>(p: Promise<T>): Promise<T> {
  const s = await p;
  servers.push(s);
  return s;
}

function probe(port: number, extra: { quitAfter?: 'banner' | 'ehlo' | 'tls'; readMs?: number; slowBannerMs?: number } = {}): Promise<ProbeResult> {
  const config = testConfig({ dnsServers: [dns.server], extraCaPem: [ca.cert], timeouts: { readMs: extra.readMs ?? 2_000, slowBannerMs: extra.slowBannerMs ?? 1_000 } });
  return runProbe('smtp', `${HOST}:${port}`, { config, quitAfter: extra.quitAfter, limiter: new ProbeLimiter() });
}

const codes = (r: ProbeResult): string[] => r.findings.map((f) => f.code);

describe('smtp probe', () => {
  it('walks banner, EHLO, STARTTLS and EHLO again on a server with a valid certificate', async () => {
    const server = await serve(startSmtp({ name: HOST, tls: await makeCert({ names: [HOST], ca }), authMethods: ['XOAUTH2'] }));
    const r = await probe(server.port);
    // The test CA is trusted through extraCaPem but is not a public root, which Exchange Online would need.
    expect(r.status).toBe('warn');
    expect(r.findings.filter((f) => f.severity === 'warn').map((f) => f.code)).toEqual(['cert-not-public-ca']);
    expect(r.target).toBe(`${HOST}:${server.port}`);
    expect(codes(r)).toEqual(expect.arrayContaining(['banner', 'extensions', 'cert-trusted', 'cert-name-match', 'extensions-after-tls']));
    expect(r.findings.find((f) => f.code === 'extensions')!.message).toMatch(/STARTTLS/);
    expect(r.findings.find((f) => f.code === 'extensions')!.message).toMatch(/SIZE 35 MB/);
    expect(r.transcript).toContain('C: STARTTLS');
    expect(r.transcript.some((l) => l.startsWith('C: MAIL') || l.startsWith('C: RCPT') || l.startsWith('C: DATA'))).toBe(false);
    expect(r.transcript.at(-2)).toBe('C: QUIT');
  });

  it('flags a missing STARTTLS with the starttls-required playbook and plaintext AUTH', async () => {
    const server = await serve(startSmtp({ name: HOST }));
    const r = await probe(server.port);
    expect(r.status).toBe('fail');
    const missing = r.findings.find((f) => f.code === 'starttls-missing');
    expect(missing).toMatchObject({ severity: 'fail', playbook: 'starttls-required-forced-tls' });
    expect(codes(r)).toContain('auth-before-tls');
  });

  it('reports an expired certificate', async () => {
    const server = await serve(startSmtp({ name: HOST, tls: await makeCert({ names: [HOST], ca, fromDays: -400, toDays: -5 }) }));
    const r = await probe(server.port);
    expect(r.status).toBe('fail');
    expect(r.findings.find((f) => f.code === 'cert-expired')).toMatchObject({ severity: 'fail', playbook: 'transport-tls-certificate-invalid' });
  });

  it('reports a self-signed certificate', async () => {
    const server = await serve(startSmtp({ name: HOST, tls: await makeCert({ names: [HOST] }) }));
    const r = await probe(server.port);
    expect(codes(r)).toContain('cert-self-signed');
    expect(codes(r)).not.toContain('cert-trusted');
  });

  it('reports a certificate for another name, and a banner that does not match it', async () => {
    const server = await serve(startSmtp({ name: HOST, tls: await makeCert({ names: ['other.example.test'], ca }) }));
    const r = await probe(server.port);
    expect(r.findings.find((f) => f.code === 'cert-name-mismatch')!.message).toMatch(/other\.example\.test/);
    expect(codes(r)).toContain('banner-cert-mismatch');
  });

  it('accepts a wildcard certificate for one label but flags a banner name that is not the host', async () => {
    const server = await serve(startSmtp({ name: 'exch01.corp.test', tls: await makeCert({ names: ['*.example.test'], ca }) }));
    const r = await probe(server.port);
    expect(codes(r)).toContain('cert-name-match');
    expect(codes(r)).toContain('banner-name-mismatch');
  });

  it('stops after the banner or after EHLO when asked', async () => {
    const server = await serve(startSmtp({ name: HOST, tls: await makeCert({ names: [HOST], ca }) }));
    const banner = await probe(server.port, { quitAfter: 'banner' });
    expect(banner.transcript.filter((l) => l.startsWith('C: '))).toEqual(['C: QUIT']);
    const ehlo = await probe(server.port, { quitAfter: 'ehlo' });
    expect(ehlo.transcript.filter((l) => l.startsWith('C: '))).toEqual(['C: EHLO ehlo-probe.invalid', 'C: QUIT']);
    const tls = await probe(server.port, { quitAfter: 'tls' });
    expect(tls.transcript.filter((l) => l.startsWith('C: '))).toEqual(['C: EHLO ehlo-probe.invalid', 'C: STARTTLS', 'C: QUIT']);
    expect(codes(tls)).toContain('cert-trusted');
  });

  it('speaks implicit TLS (port 465 style) with --tls-on-connect', async () => {
    const server = await serve(startSmtp({ name: HOST, secure: true, tls: await makeCert({ names: [HOST], ca }) }));
    const config = testConfig({ dnsServers: [dns.server], extraCaPem: [ca.cert] });
    const r = await runProbe('smtp', `${HOST}:${server.port}`, { config, tlsOnConnect: true, limiter: new ProbeLimiter() });
    expect(codes(r)).toEqual(expect.arrayContaining(['tls-version', 'cert-trusted', 'cert-name-match', 'banner', 'extensions']));
    expect(r.transcript).not.toContain('C: STARTTLS');
    expect(codes(r)).not.toContain('starttls-missing');
  });

  it('fails on 421 at connect and QUITs', async () => {
    const server = await serve(startRawServer((s) => s.write('421 4.3.2 Service not available, closing transmission channel\r\n')));
    const r = await probe(server.port);
    expect(r.status).toBe('fail');
    expect(codes(r)).toContain('smtp-busy-at-connect');
  });

  it('fails on 554 at connect with the blocklist playbook', async () => {
    const server = await serve(startRawServer((s) => s.end('554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org\r\n')));
    const r = await probe(server.port);
    expect(r.findings.find((f) => f.code === 'smtp-rejected-at-connect')).toMatchObject({ playbook: 'eop-sending-ip-blocklisted' });
  });

  it('honours the read timeout on a server that never greets (status error)', async () => {
    const server = await serve(startRawServer(() => undefined));
    const r = await probe(server.port, { readMs: 300 });
    expect(r.status).toBe('error');
    expect(r.findings.find((f) => f.code === 'read-timeout')!.message).toMatch(/300 ms/);
  });

  it('reports a slow greeting as tarpitting', async () => {
    const server = await serve(startRawServer((s) => {
      const t = setTimeout(() => s.write(`220 ${HOST} ESMTP\r\n`), 400);
      s.on('close', () => clearTimeout(t));
      onLines(s, (l) => l.startsWith('QUIT') && s.end('221 bye\r\n'));
    }));
    const r = await probe(server.port, { quitAfter: 'banner', slowBannerMs: 100 });
    expect(r.findings.find((f) => f.code === 'banner-slow')).toMatchObject({ severity: 'warn' });
  });

  it('reports a server that closes mid-EHLO', async () => {
    const server = await serve(startRawServer((s) => {
      s.write(`220 ${HOST} ESMTP\r\n`);
      onLines(s, (l) => l.startsWith('EHLO') && s.end(`250-${HOST}\r\n250-PIPEL`));
    }));
    const r = await probe(server.port);
    expect(r.status).toBe('fail');
    expect(codes(r)).toContain('connection-closed');
  });

  it('recognises a firewall masking the banner and STARTTLS', async () => {
    const server = await serve(startRawServer((s) => {
      s.write('220 ******************************************\r\n');
      onLines(s, (l) => {
        if (l.startsWith('EHLO')) s.write('250-mail.example.test Hello\r\n250-XXXXXXXA\r\n250 8BITMIME\r\n');
        if (l.startsWith('QUIT')) s.end('221 bye\r\n');
      });
    }));
    const r = await probe(server.port);
    const inspection = r.findings.filter((f) => f.code === 'smtp-inspection');
    expect(inspection).toHaveLength(2);
    expect(inspection[0]).toMatchObject({ severity: 'warn', playbook: 'firewall-smtp-inspection' });
    expect(codes(r)).toContain('starttls-missing');
    expect(codes(r)).not.toContain('banner-name-mismatch');
  });

  it('reports a refused connection as status error', async () => {
    const server = await startRawServer(() => undefined);
    await server.close();
    const r = await probe(server.port);
    expect(r.status).toBe('error');
    expect(r.findings[0]).toMatchObject({ code: 'connect-refused', playbook: 'smtp-connection-failed' });
  });

  it('stops reading at the byte bound', async () => {
    const server = await serve(startRawServer((s) => s.write(`220-${'x'.repeat(900)}\r\n`.repeat(400))));
    const config = testConfig({ dnsServers: [dns.server], limits: { maxBytes: 4096 } });
    const r = await runProbe('smtp', `${HOST}:${server.port}`, { config, limiter: new ProbeLimiter() });
    expect(codes(r)).toContain('too-much-data');
  });
});
