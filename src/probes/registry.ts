// Probe kind → runner. The kinds are PROBE_KINDS in src/catalog/schema.ts.
import type { ProbeKind } from '../catalog/schema.ts';
import { runAutodiscover } from './autodiscover.ts';
import { runDns } from './dns.ts';
import { runDnsbl } from './dnsbl.ts';
import { endpointRunner } from './exchange-http.ts';
import { runHttp } from './http.ts';
import { runPtr } from './ptr.ts';
import { runSmtp } from './smtp.ts';
import { runTls } from './tls.ts';
import type { ProbeRunner } from './types.ts';

export const RUNNERS: Record<ProbeKind, ProbeRunner> = {
  smtp: runSmtp,
  tls: runTls,
  dns: runDns,
  ptr: runPtr,
  dnsbl: runDnsbl,
  http: runHttp,
  autodiscover: runAutodiscover,
  ews: endpointRunner('ews'),
  mapi: endpointRunner('mapi'),
  rpc: endpointRunner('rpc'),
  owa: endpointRunner('owa'),
};

/** One line per kind for --help. */
export const PROBE_HELP: Record<ProbeKind, string> = {
  smtp: 'HOST[:PORT]  banner, EHLO, extensions, STARTTLS and certificate (25/587 STARTTLS, 465 TLS); never MAIL/RCPT/DATA',
  tls: 'HOST[:PORT]  certificate chain, trust, expiry, name, protocol, cipher, key (STARTTLS on 25/587)',
  dns: 'DOMAIN       MX, SPF, DMARC, Exchange Online DKIM, Autodiscover, MTA-STS, TLS-RPT',
  ptr: 'IP           reverse DNS, forward-confirmed',
  dnsbl: 'IP           DNS blocklists (configured zones, in parallel)',
  http: 'URL          status, redirects, auth schemes, certificate, latency',
  autodiscover: 'DOMAIN       the Autodiscover endpoints Outlook tries, in order',
  ews: 'HOST         /EWS/Exchange.asmx',
  mapi: 'HOST         /mapi/emsmdb/ (MAPI over HTTP)',
  rpc: 'HOST         /rpc/rpcproxy.dll (Outlook Anywhere, like rpcping -E)',
  owa: 'HOST         /owa/',
};
