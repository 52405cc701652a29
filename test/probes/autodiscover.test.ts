// Autodiscover in Outlook's order (v2 JSON, POX on the domain, POX on autodiscover.DOMAIN, the HTTP redirect
// method, SRV) against HTTPS and HTTP servers and a DNS server on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type http from 'node:http';
import { runProbe } from '../../src/probes/run.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import { v2Url } from '../../src/probes/autodiscover.ts';
import type { ProbeResult } from '../../src/probes/types.ts';
import { makeCa, makeCert } from '../helpers/certs.ts';
import type { Pem } from '../helpers/certs.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { DnsServer } from '../helpers/dns-server.ts';
import { startHttp, startHttps } from '../helpers/https.ts';
import type { Listening } from '../helpers/smtp.ts';
import { testConfig } from '../helpers/probe-config.ts';

let ca: Pem;
let dns: DnsServer;
let web: Listening;
let plain: Listening;
const seen: string[] = [];

function https(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  seen.push(`${req.method} https://${host}${req.url}`);
  if (host === 'autodiscover.v2.test' && req.url?.startsWith('/autodiscover/autodiscover.json/v1.0/')) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ Protocol: 'AutodiscoverV1', Url: 'https://mail.v2.test/autodiscover/autodiscover.xml' }));
  } else if (host === 'mail.redirect.test' && req.url === '/autodiscover/autodiscover.xml' && req.method === 'POST') {
    res.writeHead(401, { 'WWW-Authenticate': 'NTLM' });
    res.end();
  } else {
    res.writeHead(404);
    res.end();
  }
}

beforeAll(async () => {
  ca = await makeCa('ehlo autodiscover CA');
  web = await startHttps(await makeCert({ names: ['autodiscover.v2.test', 'v2.test', 'autodiscover.redirect.test', 'redirect.test', 'mail.redirect.test'], ca }), https);
  plain = await startHttp((req, res) => {
    req.resume();
    seen.push(`${req.method} http://${req.headers.host}${req.url}`);
    res.writeHead(302, { Location: `https://mail.redirect.test:${web.port}/autodiscover/autodiscover.xml` });
    res.end();
  });
  dns = await startDnsServer(['autodiscover.v2.test', 'v2.test', 'autodiscover.redirect.test', 'redirect.test', 'mail.redirect.test'].map((name) => ({ name, type: 'A', data: '127.0.0.1' })));
});
afterAll(async () => {
  await Promise.all([web.close(), plain.close(), dns.close()]);
});

const probe = (domain: string, email?: string): Promise<ProbeResult> =>
  runProbe('autodiscover', domain, { config: testConfig({ allow: ['*.test', '127.0.0.0/8'], dnsServers: [dns.server], extraCaPem: [ca.cert] }), limiter: new ProbeLimiter(), port: web.port, httpPort: plain.port, email });

describe('autodiscover in Outlook\'s order', () => {
  it('asks Autodiscover v2 (JSON) first, by e-mail address, and stops when it answers', async () => {
    seen.length = 0;
    const r = await probe('v2.test', 'pat@v2.test');
    expect(r.findings.find((f) => f.code === 'autodiscover-endpoint')!.message).toMatch(/Autodiscover v2 \(JSON\).*https:\/\/mail\.v2\.test\/autodiscover\/autodiscover\.xml/);
    expect(seen).toEqual([`GET https://autodiscover.v2.test/autodiscover/autodiscover.json/v1.0/pat%40v2.test?Protocol=AutodiscoverV1`]);
  });

  it('falls through POX on the domain and autodiscover.DOMAIN to the HTTP redirect method, and warns about its prompt', async () => {
    seen.length = 0;
    const r = await probe('redirect.test');
    expect(seen.map((s) => s.replace(/:\d+/, ''))).toEqual([
      'GET https://autodiscover.redirect.test/autodiscover/autodiscover.json/v1.0/autodiscover-probe%40redirect.test?Protocol=AutodiscoverV1',
      'POST https://redirect.test/autodiscover/autodiscover.xml',
      'POST https://autodiscover.redirect.test/autodiscover/autodiscover.xml',
      'GET http://autodiscover.redirect.test/autodiscover/autodiscover.xml',
      'POST https://mail.redirect.test/autodiscover/autodiscover.xml',
    ]);
    expect(r.findings.find((f) => f.code === 'autodiscover-endpoint')!.message).toMatch(/mail\.redirect\.test.*redirected from http:\/\/autodiscover\.redirect\.test.*answers 401/);
    expect(r.findings.find((f) => f.code === 'autodiscover-http-redirect')).toMatchObject({ severity: 'warn', playbook: 'autodiscover-redirect-warning' });
  });

  it('reads only https URLs from a v2 answer', () => {
    expect(v2Url('{"Protocol":"AutodiscoverV1","Url":"https://x.test/a.xml"}')).toBe('https://x.test/a.xml');
    expect(v2Url('{"Url":"http://x.test/a.xml"}')).toBeUndefined();
    expect(v2Url('<html>')).toBeUndefined();
  });
});
