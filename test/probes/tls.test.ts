// The tls probe against node:https servers on 127.0.0.1: expiry windows, not-yet-valid, an incomplete chain,
// a complete chain, wildcard names and a server that does not speak TLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../src/probes/run.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import type { ProbeResult } from '../../src/probes/types.ts';
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { makeCa, makeCert, makeCertWithCrl, makeCrl } from '../helpers/certs.ts';
import { ocspAnswer } from '../helpers/ocsp.ts';
import type { Pem } from '../helpers/certs.ts';
import { startHttp, startHttps } from '../helpers/https.ts';
import { startRawServer, startSmtp } from '../helpers/smtp.ts';
import type { Listening } from '../helpers/smtp.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { DnsServer } from '../helpers/dns-server.ts';
import { testConfig } from '../helpers/probe-config.ts';

const HOST = 'www.contoso.test';
let root: Pem;
let dns: DnsServer;
const open: Listening[] = [];

beforeAll(async () => {
  root = await makeCa('ehlo test root');
  dns = await startDnsServer([
    { name: HOST, type: 'A', data: '127.0.0.1' },
    { name: 'crl.contoso.test', type: 'A', data: '127.0.0.1' },
  ]);
});
afterAll(async () => {
  await Promise.all([...open.map((s) => s.close()), dns.close()]);
});

async function probeCert(pem: Pem, publicCaPem: string[] = []): Promise<ProbeResult> {
  const server = await startHttps(pem, (_req, res) => res.end('ok'));
  open.push(server);
  return runProbe('tls', `${HOST}:${server.port}`, { config: testConfig({ dnsServers: [dns.server], extraCaPem: [root.cert], publicCaPem }), limiter: new ProbeLimiter() });
}
const find = (r: ProbeResult, code: string) => r.findings.find((f) => f.code === code);

describe('tls probe', () => {
  it('warns about a certificate that expires within 30 days', async () => {
    const r = await probeCert(await makeCert({ names: [HOST], ca: root, toDays: 10 }));
    expect(find(r, 'cert-expiring-soon')!.message).toMatch(/in (9|10) day\(s\)/);
    expect(r.status).toBe('warn');
  });

  it('fails a certificate that is not valid yet', async () => {
    const r = await probeCert(await makeCert({ names: [HOST], ca: root, fromDays: 5, toDays: 300 }));
    expect(find(r, 'cert-not-yet-valid')?.severity).toBe('fail');
  });

  it('fails a chain the server sends without its intermediate, and passes it when sent', async () => {
    const intermediate = await makeCa('ehlo test intermediate', root);
    const leaf = await makeCert({ names: [HOST], ca: intermediate });
    const incomplete = await probeCert(leaf);
    expect(find(incomplete, 'chain-incomplete')).toMatchObject({ severity: 'fail', playbook: 'transport-tls-certificate-invalid' });
    const complete = await probeCert({ key: leaf.key, cert: `${leaf.cert.trim()}\n${intermediate.cert.trim()}\n` });
    expect(find(complete, 'cert-trusted')!.message).toMatch(/^chain of 3 certificate\(s\) verifies/);
  });

  it('matches a wildcard for one label only', async () => {
    const one = await probeCert(await makeCert({ names: ['*.contoso.test'], ca: root }));
    expect(find(one, 'cert-name-match')).toBeDefined();
    const deeper = await probeCert(await makeCert({ names: ['*.test'], ca: root }));
    expect(find(deeper, 'cert-name-mismatch')!.message).toMatch(/does not name www\.contoso\.test \(it names \*\.test\)/);
  });

  it('reports the protocol, the key and that the test CA is not a public root', async () => {
    const r = await probeCert(await makeCert({ names: [HOST], ca: root }));
    expect(find(r, 'tls-version')!.message).toMatch(/^TLSv1\.3 with /);
    expect(find(r, 'key-size')!.message).toMatch(/^EC key of 256 bits/);
    expect(find(r, 'cert-not-public-ca')?.severity).toBe('warn');
  });

  it('takes a CA listed in publicCaPem for a public root (a private PKI all receivers trust): no warning, a clean pass', async () => {
    const r = await probeCert(await makeCert({ names: [HOST], ca: root }), [root.cert]);
    expect(find(r, 'cert-not-public-ca')).toBeUndefined();
    expect(find(r, 'cert-trusted')).toBeDefined();
    // Another private CA there changes nothing for this chain.
    const other = await makeCa('ehlo unrelated CA');
    expect(find(await probeCert(await makeCert({ names: [HOST], ca: root }), [other.cert]), 'cert-not-public-ca')?.severity).toBe('warn');
  });

  it('reads the CRL: revoked, not revoked, a garbage file, a CRL signed by another CA, an expired CRL', async () => {
    const other = await makeCa('ehlo other CA');
    const files = new Map<string, Buffer>();
    const crl = await startHttp((req, res) => {
      const body = files.get(req.url ?? '');
      res.statusCode = body ? 200 : 404;
      res.end(body);
    });
    open.push(crl);
    const at = (name: string) => `http://crl.contoso.test:${crl.port}/${name}`;
    const leaf = async (name: string) => {
      const pem = await makeCertWithCrl(HOST, root, at(name));
      return { pem, serial: new X509Certificate(pem.cert).serialNumber };
    };

    const revoked = await leaf('revoked.crl');
    files.set('/revoked.crl', await makeCrl(root, ['0badc0de', revoked.serial]));
    const r1 = await probeCert(revoked.pem);
    expect(find(r1, 'cert-revoked')).toMatchObject({ severity: 'fail', playbook: 'transport-tls-certificate-invalid' });
    expect(find(r1, 'cert-revoked')!.message).toContain(revoked.serial);
    expect(r1.status).toBe('fail');

    const fine = await leaf('fine.crl');
    files.set('/fine.crl', await makeCrl(root, ['0badc0de']));
    const r2 = await probeCert(fine.pem);
    expect(find(r2, 'crl-not-revoked')!.message).toMatch(/not revoked: the signed CRL .* \(1 entries/);
    expect(find(r2, 'cert-revoked')).toBeUndefined();

    const garbage = await leaf('garbage.crl');
    files.set('/garbage.crl', Buffer.from('<html>this is not a CRL</html>'));
    const r3 = await probeCert(garbage.pem);
    expect(find(r3, 'crl-unreadable')).toMatchObject({ severity: 'warn', playbook: 'transport-tls-certificate-invalid' });
    expect(find(r3, 'crl-not-revoked')).toBeUndefined();

    const forged = await leaf('forged.crl');
    files.set('/forged.crl', await makeCrl(other, []));
    expect(find(await probeCert(forged.pem), 'crl-bad-signature')?.severity).toBe('fail');

    const stale = await leaf('stale.crl');
    files.set('/stale.crl', await makeCrl(root, [], { nextUpdateDays: -1 }));
    const r5 = await probeCert(stale.pem);
    expect(find(r5, 'crl-expired')?.severity).toBe('warn');
    expect(find(r5, 'crl-not-revoked')).toBeDefined();
  });

  it('asks OCSP where the certificate names a responder: good, revoked, unknown, forged, garbage', async () => {
    const other = await makeCa('ehlo other OCSP CA');
    let reply: (body: Buffer) => Buffer = () => Buffer.alloc(0);
    let asked = 0;
    const ocsp = await startHttp((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        asked++;
        res.writeHead(200, { 'Content-Type': 'application/ocsp-response' });
        res.end(req.method === 'POST' && req.headers['content-type'] === 'application/ocsp-request' ? reply(Buffer.concat(chunks)) : undefined);
      });
    });
    const crl = await startHttp((_req, res) => res.end(crlBody));
    open.push(ocsp, crl);
    const crlBody = await makeCrl(root, []);
    const pem = await makeCertWithCrl(HOST, root, `http://crl.contoso.test:${crl.port}/ca.crl`, `http://crl.contoso.test:${ocsp.port}/`);
    const run = async (fn: (body: Buffer) => Buffer) => {
      reply = fn;
      return probeCert(pem);
    };
    expect(find(await run((b) => ocspAnswer(b, 'good', root)), 'ocsp-good')?.severity).toBe('pass');
    const revoked = await run((b) => ocspAnswer(b, 'revoked', root));
    expect(find(revoked, 'ocsp-revoked')).toMatchObject({ severity: 'fail', playbook: 'transport-tls-certificate-invalid' });
    expect(find(revoked, 'crl-not-revoked')).toBeDefined(); // the CRL and OCSP are both asked, each says its own
    expect(find(await run((b) => ocspAnswer(b, 'unknown', root)), 'ocsp-unknown')?.severity).toBe('warn');
    expect(find(await run((b) => ocspAnswer(b, 'good', other)), 'ocsp-bad-signature')?.severity).toBe('fail');
    expect(find(await run(() => Buffer.from('garbage')), 'ocsp-unreadable')?.severity).toBe('warn');
    expect(asked).toBe(5);
  });

  it('says a TLS 1.0/1.1-only server fails Exchange Online (TLS 1.2 required), by playbook, not by alert number', async () => {
    const pem = await makeCert({ names: [HOST], rsaBits: 2048 });
    const server = tls.createServer({ key: pem.key, cert: pem.cert, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }, (s) => s.end());
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push({ port: 0, close: () => new Promise((resolve) => server.close(() => resolve())) });
    const r = await runProbe('tls', `${HOST}:${(server.address() as AddressInfo).port}`, { config: testConfig({ dnsServers: [dns.server] }), limiter: new ProbeLimiter() });
    expect(r.status).toBe('fail');
    expect(find(r, 'tls-legacy-only')).toMatchObject({ severity: 'fail', playbook: 'tls-legacy-version-rejected' });
    expect(find(r, 'tls-legacy-only')!.message).toMatch(/speaks only TLSv1\.1 .*Exchange Online accepts only TLS 1\.2 or later/);
    expect(find(r, 'tls-handshake-failed')).toBeUndefined();
  });

  it('says the same of STARTTLS on an SMTP server that stops at TLS 1.1', async () => {
    const smtp = await startSmtp({ tls: await makeCert({ names: [HOST], rsaBits: 2048 }), maxTls: 'TLSv1.1' });
    open.push(smtp);
    const r = await runProbe('tls', `${HOST}:${smtp.port}`, { config: testConfig({ dnsServers: [dns.server] }), limiter: new ProbeLimiter(), starttls: true });
    expect(find(r, 'tls-legacy-only')).toMatchObject({ severity: 'fail', playbook: 'tls-legacy-version-rejected' });
    expect(JSON.stringify(r.findings)).not.toContain('alert number 70');
  });

  it('hints at implicit TLS when port 4465 stays silent without it, not on other ports', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((c) => sockets.add(c.on('error', () => undefined)));
    await new Promise<void>((resolve, reject) => silent.once('error', reject).listen(4465, '127.0.0.1', resolve));
    open.push({ port: 4465, close: () => new Promise((resolve) => { for (const c of sockets) c.destroy(); silent.close(() => resolve()); }) });
    const config = testConfig({ dnsServers: [dns.server], timeouts: { readMs: 300 } });
    const r = await runProbe('smtp', `${HOST}:4465`, { config, limiter: new ProbeLimiter() });
    expect(find(r, 'read-timeout')).toBeDefined();
    expect(find(r, 'try-implicit-tls')!.message).toMatch(/port 4465 stayed silent: .*--tls-on-connect/);
    const other = await startRawServer(() => undefined);
    open.push(other);
    expect(find(await runProbe('smtp', `${HOST}:${other.port}`, { config, limiter: new ProbeLimiter() }), 'try-implicit-tls')).toBeUndefined();
  });

  it('reports a handshake failure with its reason when the port does not speak TLS', async () => {
    const plain = await startHttp((_req, res) => res.end('plain'));
    open.push(plain);
    const r = await runProbe('tls', `${HOST}:${plain.port}`, { config: testConfig({ dnsServers: [dns.server] }), limiter: new ProbeLimiter() });
    expect(r.status).toBe('fail');
    expect(find(r, 'tls-handshake-failed')!.message).toMatch(/TLS with www\.contoso\.test: .+/);
  });

  it('fetches the certificate\'s CRL: reachable, missing, or not allowed by the policy', async () => {
    const crl = await startHttp((req, res) => {
      res.statusCode = req.url === '/ca.crl' ? 200 : 404;
      res.end('crl bytes');
    });
    open.push(crl);
    const reachable = await probeCert(await makeCertWithCrl(HOST, root, `http://crl.contoso.test:${crl.port}/ca.crl`));
    expect(find(reachable, 'cert-crl')!.message).toContain(`http://crl.contoso.test:${crl.port}/ca.crl`);
    // HTTP 200 alone is not enough: 'crl bytes' is no CRL
    expect(find(reachable, 'crl-unreadable')!.message).toMatch(/answers HTTP 200 but is not a readable CRL/);
    const missing = await probeCert(await makeCertWithCrl(HOST, root, `http://crl.contoso.test:${crl.port}/gone.crl`));
    expect(find(missing, 'crl-unreachable')!.message).toMatch(/answered HTTP 404/);
    const elsewhere = await probeCert(await makeCertWithCrl(HOST, root, 'http://crl.fabrikam.example/ca.crl'));
    expect(find(elsewhere, 'crl-not-checked')!.message).toMatch(/refused by rule allow/);
    expect(find(elsewhere, 'crl-unreadable')).toBeUndefined();
  });
});
