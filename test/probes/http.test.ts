// The http probe and the named Exchange checks against node:https servers on 127.0.0.1 with generated certificates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type http from 'node:http';
import { runProbe } from '../../src/probes/run.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import type { ProbeConfigInput } from '../../src/probes/config.ts';
import type { ProbeKind, ProbeResult } from '../../src/probes/types.ts';
import { makeCa, makeCert } from '../helpers/certs.ts';
import type { Pem } from '../helpers/certs.ts';
import { startHttp, startHttps } from '../helpers/https.ts';
import type { Listening } from '../helpers/smtp.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { DnsServer } from '../helpers/dns-server.ts';
import { testConfig } from '../helpers/probe-config.ts';

const HOST = 'mail.contoso.test';
let ca: Pem;
let dns: DnsServer;
let exch: Listening;
let plain: Listening;
const seen: { method: string; url: string; auth?: string; body: string }[] = [];

/** An Exchange-like front end: EWS/MAPI/RPC ask for sign-in, OWA redirects to forms logon, plus test paths. */
function exchange(req: http.IncomingMessage, res: http.ServerResponse): void {
  let body = '';
  req.on('data', (d: Buffer) => (body += d.toString()));
  req.on('end', () => {
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
    const url = req.url!;
    if (url === '/EWS/Exchange.asmx' || url === '/rpc/rpcproxy.dll' || url === '/autodiscover/autodiscover.xml') {
      res.writeHead(401, [['WWW-Authenticate', 'Negotiate'], ['WWW-Authenticate', 'NTLM'], ['WWW-Authenticate', 'Basic realm="mail.contoso.test"'], ['Set-Cookie', 'X-BackEndCookie=secret-session-value']]);
      res.end();
    } else if (url === '/mapi/emsmdb/') {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer authorization_uri="https://login.test/common", error="invalid_token"' });
      res.end();
    } else if (url === '/owa/') {
      res.writeHead(302, { Location: '/owa/auth/logon.aspx?url=https%3a%2f%2fmail.contoso.test%2fowa%2f' });
      res.end();
    } else if (url.startsWith('/owa/auth/logon.aspx')) {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>sign in</html>');
    } else if (url === '/loop') {
      res.writeHead(302, { Location: '/loop' });
      res.end();
    } else if (url === '/elsewhere') {
      res.writeHead(301, { Location: 'https://intranet.corp.example/owa/' });
      res.end();
    } else if (url === '/big') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(Buffer.alloc(200_000, 0x61));
    } else if (url === '/slow') {
      const t = setTimeout(() => res.end('late'), 3_000);
      res.on('close', () => clearTimeout(t));
    } else if (url === '/broken') {
      res.writeHead(503);
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
}

beforeAll(async () => {
  ca = await makeCa();
  exch = await startHttps(await makeCert({ names: [HOST, 'autodiscover.contoso.test'], ca }), exchange);
  plain = await startHttp((req, res) => {
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' });
    res.end();
  });
  dns = await startDnsServer([
    { name: HOST, type: 'A', data: '127.0.0.1' },
    { name: 'autodiscover.contoso.test', type: 'A', data: '127.0.0.1' },
    { name: 'intranet.corp.example', type: 'A', data: '10.0.0.5' },
    { name: '_autodiscover._tcp.fabrikam.test', type: 'SRV', data: { priority: 0, weight: 0, port: 0, target: HOST } },
  ]);
});
afterAll(async () => {
  await Promise.all([exch.close(), plain.close(), dns.close()]);
});

function probe(kind: ProbeKind, target: string, over: ProbeConfigInput = {}, port?: number): Promise<ProbeResult> {
  return runProbe(kind, target, { config: testConfig({ dnsServers: [dns.server], extraCaPem: [ca.cert], ...over }), port, limiter: new ProbeLimiter() });
}
const find = (r: ProbeResult, code: string) => r.findings.find((f) => f.code === code);
const codes = (r: ProbeResult) => r.findings.map((f) => f.code);

describe('http probe', () => {
  it('reports status, auth schemes and the certificate, and keeps no cookie value', async () => {
    const r = await probe('http', `https://${HOST}:${exch.port}/EWS/Exchange.asmx`);
    expect(find(r, 'http-auth-required')).toBeDefined();
    expect(find(r, 'auth-schemes')!.message).toBe('offers Negotiate, NTLM, Basic');
    expect(codes(r)).toEqual(expect.arrayContaining(['cert-trusted', 'cert-name-match']));
    expect(r.transcript.join('\n')).not.toMatch(/secret-session-value/);
    expect(r.transcript).toContain('S: Set-Cookie: (value not kept)');
    expect(seen.every((s) => s.auth === undefined)).toBe(true);
  });

  it('parses Bearer challenges with parameters', async () => {
    const r = await probe('http', `https://${HOST}:${exch.port}/mapi/emsmdb/`);
    expect(find(r, 'auth-schemes')!.message).toBe('offers Bearer');
  });

  it('follows redirects and stops at the limit', async () => {
    const r = await probe('http', `https://${HOST}:${exch.port}/owa/`);
    expect(find(r, 'http-redirect')!.message).toMatch(/→ https:\/\/mail\.contoso\.test:\d+\/owa\/auth\/logon\.aspx/);
    expect(find(r, 'http-status')!.message).toMatch(/^200/);
    const loop = await probe('http', `https://${HOST}:${exch.port}/loop`, { limits: { maxRedirects: 3 } });
    expect(find(loop, 'too-many-redirects')).toBeDefined();
    expect(loop.findings.filter((f) => f.code === 'http-redirect')).toHaveLength(3);
  });

  it('does not follow a redirect to a host the policy refuses', async () => {
    const r = await probe('http', `https://${HOST}:${exch.port}/elsewhere`, { allow: ['127.0.0.0/8', '*.test', '*.example'] });
    expect(find(r, 'redirect-refused')!.message).toMatch(/intranet\.corp\.example.*address-class.*10\.0\.0\.5 is a private address/);
  });

  it('cuts a response larger than the read bound', async () => {
    const r = await probe('http', `https://${HOST}:${exch.port}/big`, { limits: { maxBytes: 10_000 } });
    expect(find(r, 'body-truncated')!.message).toMatch(/10000 bytes/);
  });

  it('gives up on a slow endpoint after the read timeout (status error)', async () => {
    const r = await probe('http', `https://${HOST}:${exch.port}/slow`, { timeouts: { readMs: 300 } });
    expect(r.status).toBe('error');
    expect(find(r, 'read-timeout')!.message).toMatch(/300 ms/);
  });

  it('warns about Basic over plain HTTP', async () => {
    const r = await probe('http', `http://127.0.0.1:${plain.port}/`);
    expect(find(r, 'basic-over-http')?.severity).toBe('warn');
  });

  it('reports a wrong-name certificate on HTTPS', async () => {
    const other = await startHttps(await makeCert({ names: ['other.test'], ca }), exchange);
    try {
      const r = await probe('http', `https://${HOST}:${other.port}/owa/auth/logon.aspx`);
      expect(find(r, 'cert-name-mismatch')).toMatchObject({ severity: 'fail', playbook: 'transport-tls-certificate-invalid' });
    } finally {
      await other.close();
    }
  });
});

describe('Exchange endpoint checks', () => {
  it.each([
    ['ews', 'EWS answers and asks for sign-in'],
    ['rpc', 'the RPC over HTTP proxy (Outlook Anywhere) answers and asks for sign-in'],
    ['mapi', 'MAPI over HTTP answers and asks for sign-in'],
  ] as const)('%s answers 401 with its schemes', async (kind, message) => {
    const r = await probe(kind, HOST, {}, exch.port);
    expect(find(r, 'endpoint-answers')!.message.startsWith(message)).toBe(true);
    expect(seen.at(-1)!.method).toBe('GET');
  });

  it('owa follows to the forms sign-in page', async () => {
    const r = await probe('owa', `${HOST}:${exch.port}`);
    expect(find(r, 'endpoint-answers')!.message).toMatch(/forms-based sign-in page/);
  });

  it('a missing virtual directory and a failing backend', async () => {
    const broken = await startHttps(await makeCert({ names: [HOST], ca }), (req, res) => {
      res.writeHead(req.url === '/EWS/Exchange.asmx' ? 503 : 404);
      res.end();
    });
    try {
      const ews = await probe('ews', `${HOST}:${broken.port}`);
      expect(find(ews, 'ews-unexpected-status')).toMatchObject({ severity: 'fail', playbook: 'ews-endpoint-unreachable' });
      const rpc = await probe('rpc', `${HOST}:${broken.port}`);
      expect(find(rpc, 'rpc-unreachable')).toMatchObject({ severity: 'fail', playbook: 'outlook-anywhere-rpc-connectivity' });
    } finally {
      await broken.close();
    }
  });

  it('an endpoint that refuses connections is an error', async () => {
    const gone = await startHttp(() => undefined);
    await gone.close();
    const r = await probe('ews', `${HOST}:${gone.port}`);
    expect(r.status).toBe('error');
    expect(find(r, 'ews-unreachable')!.message).toMatch(/connection refused/);
  });

  it('autodiscover tries the domain, then autodiscover.DOMAIN, with the documented POST', async () => {
    const r = await probe('autodiscover', 'contoso.test', {}, exch.port);
    expect(find(r, 'autodiscover-candidate-skipped')!.message).toMatch(/https:\/\/contoso\.test:\d+.*does not exist/);
    expect(find(r, 'autodiscover-endpoint')!.message).toMatch(/autodiscover\.contoso\.test.*answers 401/);
    const post = seen.findLast((s) => s.url === '/autodiscover/autodiscover.xml')!;
    expect(post.method).toBe('POST');
    expect(post.body).toMatch(/<EMailAddress>autodiscover-probe@contoso\.test<\/EMailAddress>/);
  });

  it('autodiscover falls back to the SRV record, and fails when nothing answers', async () => {
    dns.setRecords([
      { name: HOST, type: 'A', data: '127.0.0.1' },
      { name: '_autodiscover._tcp.fabrikam.test', type: 'SRV', data: { priority: 0, weight: 0, port: exch.port, target: HOST } },
    ]);
    const r = await probe('autodiscover', 'fabrikam.test');
    expect(find(r, 'autodiscover-endpoint')!.message).toMatch(/SRV _autodiscover\._tcp\.fabrikam\.test/);
    const none = await probe('autodiscover', 'nothing.test');
    expect(find(none, 'autodiscover-no-endpoint')).toMatchObject({ severity: 'fail', playbook: 'autodiscover-service-not-located' });
  });
});
