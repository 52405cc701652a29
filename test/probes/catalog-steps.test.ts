// Every probe step of every playbook, run against loopback servers: a real SMTP server (STARTTLS), an HTTPS
// server that answers like an Exchange front end, and a DNS server. Each step's target is filled the way a
// walkthrough fills it (the placeholders from a paste), then its ports are moved to the loopback servers'
// ports: a step that cannot run as written fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type http from 'node:http';
import { loadCatalog } from '../../src/catalog/load.ts';
import { PROBES } from '../../src/probes/registry.ts';
import { parseTarget } from '../../src/probes/target.ts';
import { runProbe } from '../../src/probes/run.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import type { StepProbe } from '../../src/catalog/schema.ts';
import { makeCa, makeCert } from '../helpers/certs.ts';
import type { Pem } from '../helpers/certs.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { DnsRecord, DnsServer } from '../helpers/dns-server.ts';
import { startHttps } from '../helpers/https.ts';
import { startSmtp } from '../helpers/smtp.ts';
import type { Listening } from '../helpers/smtp.ts';
import { testConfig } from '../helpers/probe-config.ts';

const DOMAIN = 'contoso.test';
const HOST = 'mail.contoso.test';
/** Names the catalog's literal targets use, served on loopback here. */
const LITERAL_HOSTS = ['smtp.office365.com', 'outlook.office365.com'];
const NAMES = [HOST, DOMAIN, `autodiscover.${DOMAIN}`, ...LITERAL_HOSTS];

let ca: Pem;
let dns: DnsServer;
let smtp: Listening;
let web: Listening;

/** Answers like an Exchange front end: sign-in challenges for the web services, pages for the rest. */
function exchange(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  const path = (req.url ?? '/').toLowerCase();
  if (/^\/(?:ews\/|rpc\/|mapi\/|autodiscover\/)/.test(path)) res.writeHead(401, [['WWW-Authenticate', 'Negotiate'], ['WWW-Authenticate', 'NTLM']]);
  else res.writeHead(200, { 'Content-Type': 'text/html' });
  res.end();
}

beforeAll(async () => {
  ca = await makeCa('ehlo catalog CA');
  const cert = await makeCert({ names: NAMES, ca });
  smtp = await startSmtp({ tls: cert, name: HOST });
  web = await startHttps(cert, exchange);
  const records: DnsRecord[] = [
    ...NAMES.map((name): DnsRecord => ({ name, type: 'A', data: '127.0.0.1' })),
    { name: DOMAIN, type: 'MX', data: { preference: 10, exchange: HOST } },
    { name: DOMAIN, type: 'TXT', data: 'v=spf1 ip4:127.0.0.1 -all' },
    { name: `_dmarc.${DOMAIN}`, type: 'TXT', data: 'v=DMARC1; p=none; rua=mailto:dmarc@contoso.test' },
    { name: '1.0.0.127.in-addr.arpa', type: 'PTR', data: HOST },
  ];
  dns = await startDnsServer(records);
});
afterAll(async () => {
  await Promise.all([smtp.close(), web.close(), dns.close()]);
});

/** The values a walkthrough takes from the paste, one per placeholder. */
const VALUES: Record<string, () => string> = {
  host: () => HOST,
  domain: () => DOMAIN,
  ip: () => '127.0.0.1',
  email: () => `someone@${DOMAIN}`,
  url: () => `https://${HOST}/owa/`,
  port: () => '25',
};
const fill = (template: string) => template.replace(/\{([a-z]+)\}/g, (_m, name: string) => VALUES[name]!());

/** SMTP ports go to the SMTP server, the rest to the HTTPS server; the probe options say how to speak to them. */
function onLoopback(probe: StepProbe): { target: string; port?: number; starttls?: boolean; email?: string } {
  const kind = probe.kind;
  const filled = fill(probe.target);
  const email = probe.options?.email ? fill(probe.options.email) : undefined;
  const shape = PROBES[kind].shape;
  if (shape === 'url') {
    const url = new URL(filled);
    url.port = String(web.port);
    return { target: url.href };
  }
  if (shape === 'host-port') {
    const p = parseTarget(kind, filled);
    const smtpPort = kind === 'smtp' || (kind === 'tls' && [25, 587, 2525].includes(p.port!));
    return { target: `${p.host}:${smtpPort ? smtp.port : web.port}`, starttls: kind === 'tls' && smtpPort ? true : undefined };
  }
  return { target: filled, port: kind === 'autodiscover' || kind === 'dns' ? web.port : undefined, email };
}

const steps = loadCatalog().playbooks.flatMap((p) => p.steps.filter((s) => s.probe).map((s) => ({ id: `${p.id} › ${s.id}`, probe: s.probe! })));

describe('every probe step of the catalog', () => {
  it('is found (the catalog has probe steps of every kind it uses)', () => {
    expect(steps.length).toBeGreaterThan(60);
    expect(new Set(steps.map((s) => s.probe.kind)).size).toBeGreaterThanOrEqual(10);
  });

  it.each(steps)('$id: $probe.kind $probe.target runs', async ({ probe }) => {
    const { target, port, starttls, email } = onLoopback(probe);
    const config = testConfig({
      allow: ['*.test', ...LITERAL_HOSTS, '127.0.0.0/8'],
      dnsServers: [dns.server],
      dnsblZones: ['bl.contoso.test'],
      extraCaPem: [ca.cert],
    });
    const r = await runProbe(probe.kind, target, { config, limiter: new ProbeLimiter(), port, starttls, email, quitAfter: probe.options?.quitAfter });
    expect(r.findings.filter((f) => f.code === 'invalid-target' || f.code === 'policy-refused'), JSON.stringify(r.findings)).toEqual([]);
    expect(['pass', 'warn', 'fail'], `${r.status}: ${JSON.stringify(r.findings.slice(0, 3))}`).toContain(r.status);
    expect(r.findings.length).toBeGreaterThan(0);
  });
});
