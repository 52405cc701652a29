// The probe kinds as rows: how each runs, its help line, the target it takes, its default port, whether it
// connects to the target (then the runner gets the policy-checked address) and which options it accepts.
// The kind list (PROBE_KINDS, re-exported by src/catalog/schema.ts) is derived from these rows: a new kind is
// one row here.
import { runAutodiscover } from './autodiscover.ts';
import { runDns } from './dns.ts';
import { runDnsbl } from './dnsbl.ts';
import { endpointRunner } from './exchange-http.ts';
import { runHttp } from './http.ts';
import { runPtr } from './ptr.ts';
import { runSmtp } from './smtp.ts';
import { runTls } from './tls.ts';
import type { ConnectRunner, LookupRunner } from './types.ts';

/**
 * What a kind's target must be:
 * - host-port: a host name or IP, optionally `:port` (`mail.contoso.com:25`, `[2001:db8::1]:587`)
 * - domain: a domain name with at least one dot (`contoso.com`)
 * - ip: an IPv4 or IPv6 literal
 * - url: an http:// or https:// URL (a bare host is read as https://host/)
 */
export type TargetShape = 'host-port' | 'domain' | 'ip' | 'url';

/** Options a playbook step (or the CLI) may give a probe; each kind accepts some of them. */
export const PROBE_OPTION_NAMES = ['port', 'quitAfter', 'tlsOnConnect', 'starttls', 'dkimSelectors', 'email', 'httpPort'] as const;
export type ProbeOptionName = (typeof PROBE_OPTION_NAMES)[number];

interface RowCommon {
  /** The --help line after the target shape. */
  help: string;
  shape: TargetShape;
  /** Port used when the target names none (host-port kinds). */
  defaultPort?: number;
  options: readonly ProbeOptionName[];
}

/** A kind that opens connections to the target gets its checked address; a lookup-only kind does not. */
export type ProbeRow = (RowCommon & { connects: true; run: ConnectRunner }) | (RowCommon & { connects: false; run: LookupRunner });

function connecting(run: ConnectRunner, r: RowCommon): ProbeRow {
  return { ...r, connects: true, run };
}
function lookup(run: LookupRunner, r: RowCommon): ProbeRow {
  return { ...r, connects: false, run };
}

const HOST_OPTS = ['port'] as const;

export const PROBES = {
  smtp: connecting(runSmtp, { shape: 'host-port', defaultPort: 25, options: ['port', 'quitAfter', 'tlsOnConnect'], help: 'banner, EHLO, extensions, STARTTLS, certificate and DANE (25/587 STARTTLS, 465 TLS); never MAIL/RCPT/DATA' }),
  tls: connecting(runTls, { shape: 'host-port', defaultPort: 443, options: ['port', 'starttls'], help: 'certificate chain, trust, expiry, name, protocol (TLS 1.2 needed by Exchange Online), cipher, key, CRL and OCSP (STARTTLS on 25/587/2525 or with --starttls)' }),
  dns: lookup(runDns, { shape: 'domain', options: ['dkimSelectors', 'port'], help: 'MX, SPF, DMARC, DKIM (selector1/2 and --dkim-selector), Autodiscover, MTA-STS (record and policy file; --port for its HTTPS port), TLS-RPT, TLSA per MX' }),
  ptr: lookup(runPtr, { shape: 'ip', options: [], help: 'reverse DNS, forward-confirmed' }),
  dnsbl: lookup(runDnsbl, { shape: 'ip', options: [], help: 'DNS blocklists (configured zones, in parallel): what each answer means and where to delist' }),
  http: connecting(runHttp, { shape: 'url', options: [], help: 'status, redirects, auth schemes read for Exchange clients, certificate, latency' }),
  autodiscover: lookup(runAutodiscover, { shape: 'domain', options: ['port', 'email', 'httpPort'], help: "the Autodiscover endpoints Outlook tries, in Outlook's order: v2 JSON, POX on the domain and autodiscover.DOMAIN, the HTTP redirect, SRV (for the mailbox of --email)" }),
  ews: connecting(endpointRunner('ews'), { shape: 'host-port', defaultPort: 443, options: HOST_OPTS, help: '/EWS/Exchange.asmx' }),
  mapi: connecting(endpointRunner('mapi'), { shape: 'host-port', defaultPort: 443, options: HOST_OPTS, help: '/mapi/emsmdb/ (MAPI over HTTP)' }),
  rpc: connecting(endpointRunner('rpc'), { shape: 'host-port', defaultPort: 443, options: HOST_OPTS, help: '/rpc/rpcproxy.dll (Outlook Anywhere, like rpcping -E)' }),
  owa: connecting(endpointRunner('owa'), { shape: 'host-port', defaultPort: 443, options: HOST_OPTS, help: '/owa/' }),
};

export type ProbeKind = keyof typeof PROBES;
export const PROBE_KINDS = Object.keys(PROBES) as [ProbeKind, ...ProbeKind[]];

const SHAPE_TEXT: Record<TargetShape, string> = { 'host-port': 'HOST[:PORT]', domain: 'DOMAIN', ip: 'IP', url: 'URL' };

/** One line per kind for --help. */
export const PROBE_HELP = Object.fromEntries(PROBE_KINDS.map((k) => [k, `${SHAPE_TEXT[PROBES[k].shape].padEnd(12)} ${PROBES[k].help}`])) as Record<ProbeKind, string>;
