// The tls probe against node:https servers on 127.0.0.1: expiry windows, not-yet-valid, an incomplete chain,
// a complete chain, wildcard names and a server that does not speak TLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../src/probes/run.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import type { ProbeResult } from '../../src/probes/types.ts';
import { makeCa, makeCert, makeCertWithCrl } from '../helpers/certs.ts';
import type { Pem } from '../helpers/certs.ts';
import { startHttp, startHttps } from '../helpers/https.ts';
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

async function probeCert(pem: Pem): Promise<ProbeResult> {
  const server = await startHttps(pem, (_req, res) => res.end('ok'));
  open.push(server);
  return runProbe('tls', `${HOST}:${server.port}`, { config: testConfig({ dnsServers: [dns.server], extraCaPem: [root.cert] }), limiter: new ProbeLimiter() });
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
    expect(find(reachable, 'crl-reachable')?.severity).toBe('pass');
    const missing = await probeCert(await makeCertWithCrl(HOST, root, `http://crl.contoso.test:${crl.port}/gone.crl`));
    expect(find(missing, 'crl-unreachable')!.message).toMatch(/answered HTTP 404/);
    const elsewhere = await probeCert(await makeCertWithCrl(HOST, root, 'http://crl.fabrikam.example/ca.crl'));
    expect(find(elsewhere, 'crl-not-checked')!.message).toMatch(/refused by rule allow/);
    expect(find(elsewhere, 'crl-reachable')).toBeUndefined();
  });
});
