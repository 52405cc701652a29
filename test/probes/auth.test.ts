// What the offered WWW-Authenticate schemes mean for Exchange clients, against an HTTPS server on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type http from 'node:http';
import { runProbe } from '../../src/probes/run.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import { bearerAuthority } from '../../src/probes/http.ts';
import type { ProbeResult } from '../../src/probes/types.ts';
import { makeCa, makeCert } from '../helpers/certs.ts';
import type { Pem } from '../helpers/certs.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { DnsServer } from '../helpers/dns-server.ts';
import { startHttps } from '../helpers/https.ts';
import type { Listening } from '../helpers/smtp.ts';
import { testConfig } from '../helpers/probe-config.ts';

const CHALLENGES: Record<string, string[]> = {
  '/negotiate-only': ['Negotiate'],
  '/negotiate-ntlm': ['Negotiate', 'NTLM'],
  '/basic-only': ['Basic realm="mail.contoso.test"'],
  '/EWS/Exchange.asmx': ['Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token"', 'Basic Realm=""'],
  '/basic-no-bearer': ['Basic Realm=""'],
};

let ca: Pem;
let dns: DnsServer;
let web: Listening;

beforeAll(async () => {
  ca = await makeCa('ehlo auth CA');
  web = await startHttps(await makeCert({ names: ['mail.contoso.test', 'outlook.office365.com'], ca }), (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.resume();
    res.writeHead(401, (CHALLENGES[req.url ?? ''] ?? []).map((c) => ['WWW-Authenticate', c]));
    res.end();
  });
  dns = await startDnsServer([
    { name: 'mail.contoso.test', type: 'A', data: '127.0.0.1' },
    { name: 'outlook.office365.com', type: 'A', data: '127.0.0.1' },
  ]);
});
afterAll(async () => {
  await Promise.all([web.close(), dns.close()]);
});

const probe = (host: string, path: string): Promise<ProbeResult> =>
  runProbe('http', `https://${host}:${web.port}${path}`, { config: testConfig({ allow: ['*.test', 'outlook.office365.com', '127.0.0.0/8'], dnsServers: [dns.server], extraCaPem: [ca.cert] }), limiter: new ProbeLimiter() });
const codes = (r: ProbeResult) => r.findings.map((f) => f.code);

describe('authentication schemes for Exchange', () => {
  it('warns when Negotiate is offered without NTLM, not when NTLM is there too', async () => {
    expect(codes(await probe('mail.contoso.test', '/negotiate-only'))).toContain('auth-negotiate-only');
    expect(codes(await probe('mail.contoso.test', '/negotiate-ntlm'))).not.toContain('auth-negotiate-only');
  });

  it('says Basic on Exchange Online is refused, and reads the Bearer authority', async () => {
    const r = await probe('outlook.office365.com', '/EWS/Exchange.asmx');
    expect(codes(r)).toEqual(expect.arrayContaining(['auth-basic-exchange-online', 'auth-bearer']));
    expect(r.findings.find((f) => f.code === 'auth-bearer')!.message).toContain('https://login.microsoftonline.com/common/oauth2/authorize');
    expect(codes(await probe('outlook.office365.com', '/basic-no-bearer'))).toContain('auth-bearer-missing');
  });

  it('explains Basic alone on premises', async () => {
    const r = await probe('mail.contoso.test', '/basic-only');
    expect(codes(r)).toContain('auth-basic-only');
    expect(codes(r)).not.toContain('auth-basic-exchange-online');
  });

  it('reads authorization_uri from one or several headers, bounded', () => {
    expect(bearerAuthority(['Negotiate', 'Bearer authorization_uri="https://login.test/x"'])).toBe('https://login.test/x');
    expect(bearerAuthority(`Bearer ${'a'.repeat(100_000)}`)).toBeUndefined();
  });
});
