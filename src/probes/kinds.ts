// The probe kinds as data: the target each takes, its default port, the options it accepts and its help
// line. The kind list (PROBE_KINDS, re-exported by src/catalog/schema.ts) comes from these rows, so the
// catalog, the router and the cards know the kinds without loading any probe's code; how each kind runs
// is in src/probes/registry.ts, one row there per row here (the types keep the two lists equal).

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

export interface ProbeKindRow {
  /** The --help line after the target shape. */
  help: string;
  shape: TargetShape;
  /** Port used when the target names none (host-port kinds). */
  defaultPort?: number;
  options: readonly ProbeOptionName[];
}

const HOST_OPTS = ['port'] as const;

export const PROBE_ROWS = {
  smtp: { shape: 'host-port', defaultPort: 25, options: ['port', 'quitAfter', 'tlsOnConnect'], help: 'banner, EHLO, extensions, STARTTLS, certificate and DANE (25/587 STARTTLS, 465 TLS); never MAIL/RCPT/DATA' },
  tls: { shape: 'host-port', defaultPort: 443, options: ['port', 'starttls'], help: 'certificate chain, trust, expiry, name, protocol (TLS 1.2 needed by Exchange Online), cipher, key, CRL and OCSP (STARTTLS on 25/587/2525 or with --starttls)' },
  dns: { shape: 'domain', options: ['dkimSelectors', 'port'], help: 'MX, SPF, DMARC, DKIM (selector1/2 and --dkim-selector), Autodiscover, MTA-STS (record and policy file; --port for its HTTPS port), TLS-RPT, TLSA per MX' },
  ptr: { shape: 'ip', options: [], help: 'reverse DNS, forward-confirmed' },
  dnsbl: { shape: 'ip', options: [], help: 'DNS blocklists (configured zones, in parallel): what each answer means and where to delist' },
  http: { shape: 'url', options: [], help: 'status, redirects, auth schemes read for Exchange clients, certificate, latency' },
  autodiscover: { shape: 'domain', options: ['port', 'email', 'httpPort'], help: "the Autodiscover endpoints Outlook tries, in Outlook's order: v2 JSON, POX on the domain and autodiscover.DOMAIN, the HTTP redirect, SRV (for the mailbox of --email)" },
  ews: { shape: 'host-port', defaultPort: 443, options: HOST_OPTS, help: '/EWS/Exchange.asmx' },
  mapi: { shape: 'host-port', defaultPort: 443, options: HOST_OPTS, help: '/mapi/emsmdb/ (MAPI over HTTP)' },
  rpc: { shape: 'host-port', defaultPort: 443, options: HOST_OPTS, help: '/rpc/rpcproxy.dll (Outlook Anywhere, like rpcping -E)' },
  owa: { shape: 'host-port', defaultPort: 443, options: HOST_OPTS, help: '/owa/' },
} satisfies Record<string, ProbeKindRow>;

export type ProbeKind = keyof typeof PROBE_ROWS;
export const PROBE_KINDS = Object.keys(PROBE_ROWS) as [ProbeKind, ...ProbeKind[]];

const SHAPE_TEXT: Record<TargetShape, string> = { 'host-port': 'HOST[:PORT]', domain: 'DOMAIN', ip: 'IP', url: 'URL' };

/** One line per kind for --help. */
export const PROBE_HELP = Object.fromEntries(PROBE_KINDS.map((k) => [k, `${SHAPE_TEXT[PROBE_ROWS[k].shape].padEnd(12)} ${PROBE_ROWS[k].help}`])) as Record<ProbeKind, string>;
