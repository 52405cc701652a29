// Third-party mail gateways (secure email gateways, filtering appliances) seen in a header block:
// which hops they wrote or relayed, and the verdict headers they stamp. Kept as data: each vendor
// names the host-name endings its relays use and its own verdict headers. The hop that hands the
// message to Exchange Online Protection matters most: when it comes from a gateway, EOP sees the
// gateway's IP, so SPF, DMARC and composite authentication are judged on the wrong server unless
// Enhanced Filtering for Connectors (skip listing) is on for the inbound connector.
// Microsoft: "Enhanced Filtering for Connectors in Exchange Online",
// https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/use-connectors-to-configure-mail-flow/enhanced-filtering-for-connectors
import type { Span } from '../match/types.ts';
import type { Antispam } from './antispam.ts';
import type { Authentication } from './authentication.ts';
import type { Hop } from './hops.ts';
import { isPublicIp } from './ip.ts';
import type { HeaderField } from './unfold.ts';

export interface GatewayVendor {
  id: string;
  name: string;
  /** Host-name endings of the vendor's relays, lower case ("pphosted.com"). */
  hosts: readonly string[];
  /** Lower-case names of the verdict headers the vendor stamps (its spam or threat verdict, not its tracking fields). */
  headers: readonly string[];
}

export const GATEWAY_VENDORS: readonly GatewayVendor[] = [
  { id: 'proofpoint', name: 'Proofpoint', hosts: ['pphosted.com', 'ppops.net', 'ppe-hosted.com'], headers: ['x-proofpoint-spam-details', 'x-proofpoint-inboundspam-reason', 'x-proofpoint-spam-reason'] },
  { id: 'mimecast', name: 'Mimecast', hosts: ['mimecast.com', 'mimecast.co.za', 'mimecast-offshore.com'], headers: ['x-mimecast-spam-score', 'x-mimecast-impersonation-protect', 'x-mimecast-bulk-signature', 'x-mimecast-spam-signature'] },
  { id: 'cisco', name: 'Cisco Secure Email (IronPort)', hosts: ['iphmx.com'], headers: ['x-ironport-anti-spam-filtered', 'x-amp-result', 'x-ironport-outbreak-status'] },
  { id: 'barracuda', name: 'Barracuda', hosts: ['barracudanetworks.com', 'cudasvc.com'], headers: ['x-barracuda-spam-status', 'x-barracuda-spam-flag'] },
  { id: 'messagelabs', name: 'Symantec / Broadcom Email Security.cloud (MessageLabs)', hosts: ['messagelabs.com'], headers: ['x-spamreason'] },
  { id: 'trendmicro', name: 'Trend Micro (IMSVA / Email Security)', hosts: ['tmes.trendmicro.com', 'tmes.trendmicro.eu', 'trendmicro.com'], headers: ['x-tm-as-result', 'x-tm-as-user-approved-sender', 'x-tm-as-user-blocked-sender'] },
  { id: 'sophos', name: 'Sophos Email', hosts: ['prod.hydra.sophos.com', 'hydra.sophos.com'], headers: ['x-sophos-obs'] },
  { id: 'forcepoint', name: 'Forcepoint Email Security', hosts: ['mailcontrol.com'], headers: [] },
];

/** A gateway seen in the block: the hops it touched and the verdict headers it stamped. */
export interface GatewaySeen {
  vendor: string;
  name: string;
  /** Hop numbers (1 = oldest) whose from or by host is the vendor's. */
  hops: number[];
  headers: Array<{ name: string; value: string; span: Span }>;
}

const MAX_VALUE = 200;

function normalHost(host: string | undefined): string {
  if (!host) return '';
  let h = host.toLowerCase();
  while (h.endsWith('.') || h.endsWith(']') || h.endsWith('>')) h = h.slice(0, -1);
  return h;
}

function endsWithAny(h: string, endings: readonly string[]): boolean {
  for (const e of endings) if (h === e || (h.endsWith(e) && h.charCodeAt(h.length - e.length - 1) === 46)) return true;
  return false;
}

function vendorIndex(host: string | undefined): number {
  const h = normalHost(host);
  if (!h) return -1;
  return GATEWAY_VENDORS.findIndex((v) => endsWithAny(h, v.hosts));
}

/** The vendor whose relays a host name belongs to. */
export function vendorOfHost(host: string | undefined): GatewayVendor | undefined {
  return GATEWAY_VENDORS[vendorIndex(host)];
}

/** Every gateway the hops or the verdict headers show, in the order of the vendor table. One look per hop. */
export function findGateways(hops: readonly Hop[], fields: readonly HeaderField[]): GatewaySeen[] {
  const touched: number[][] = GATEWAY_VENDORS.map(() => []);
  for (const h of hops) {
    const a = vendorIndex(h.from);
    const b = vendorIndex(h.by);
    if (a >= 0) touched[a]?.push(h.n);
    if (b >= 0 && b !== a) touched[b]?.push(h.n);
  }
  const byHeader = new Map<string, number>();
  GATEWAY_VENDORS.forEach((v, i) => v.headers.forEach((name) => byHeader.set(name, i)));
  const headers: GatewaySeen['headers'][] = GATEWAY_VENDORS.map(() => []);
  for (const f of fields) {
    const i = byHeader.get(f.key);
    const list = i === undefined ? undefined : headers[i];
    if (list && list.length < 6) list.push({ name: f.name, value: f.value.replace(/\s+/g, ' ').trim().slice(0, MAX_VALUE), span: f.span });
  }
  const out: GatewaySeen[] = [];
  GATEWAY_VENDORS.forEach((v, i) => {
    const hopList = (touched[i] ?? []).sort((x, y) => x - y);
    const headerList = headers[i] ?? [];
    if (hopList.length || headerList.length) out.push({ vendor: v.id, name: v.name, hops: hopList, headers: headerList });
  });
  return out;
}

/** Exchange Online Protection's front door: the host that accepted the message from the internet. */
export function isEopFrontDoor(host: string | undefined): boolean {
  return !!host && /\.mail\.protection\.outlook\.(com|de|cn)$|\.mail\.protection\.office365\.us$/i.test(host);
}

/** The hop that handed the message to EOP (the newest one into a front door), when there is one. */
export function eopEntryHop(hops: readonly Hop[]): Hop | undefined {
  for (let i = hops.length - 1; i >= 0; i--) {
    const h = hops[i];
    if (h && isEopFrontDoor(h.by)) return h;
  }
  return undefined;
}

/**
 * The IP a gateway received the message from: walking back from the hop into EOP, the first public
 * sending IP (the gateway's own internal hand-overs, on loopback or private addresses, are skipped).
 * That is the IP Enhanced Filtering for Connectors would judge with "skip the last IP".
 */
export function gatewayOrigin(hops: readonly Hop[], entry: Hop): { ip: string; hop: number } | undefined {
  for (let i = entry.n - 2; i >= 0; i--) {
    const h = hops[i];
    if (h?.fromIp && isPublicIp(h.fromIp)) return { ip: h.fromIp, hop: h.n };
  }
  return undefined;
}

/** Enhanced Filtering for Connectors stamps the original sender it found behind the gateway. */
export const ENHANCED_FILTERING_HEADERS: readonly string[] = ['x-ms-exchange-externaloriginalinternetsender', 'x-ms-exchange-skiplistedinternetsender'];

/** Authentication failed at Exchange Online: SPF not pass, or DMARC or composite authentication fail. */
export function authFailed(auth: Authentication): boolean {
  return (auth.spf !== undefined && auth.spf.result !== 'pass') || auth.dmarc?.result === 'fail' || auth.compauth?.result === 'fail';
}

export interface GatewayEntry {
  /** The hop into EOP. */
  hop: Hop;
  /** "the Proofpoint gateway", or "a relay after mx.contoso.com, where SPF had passed". */
  vendor: string;
  host: string;
  /** The gateway's IP, the one EOP judged. */
  ip: string;
  /** The IP the gateway received the message from, when the hops show it. */
  origin?: { ip: string; hop: number };
}

/**
 * A third-party gateway or relay handing the message to EOP: the hop into a front door comes from a
 * known vendor's host (or the Forefront report's PTR / HELO names one), or an earlier server passed
 * SPF for another IP than the one EOP saw. Nothing when Enhanced Filtering already skipped it.
 */
export function gatewayEntry(hops: readonly Hop[], antispam: Antispam, auth: Authentication, fields: readonly HeaderField[]): GatewayEntry | undefined {
  if (fields.some((f) => ENHANCED_FILTERING_HEADERS.includes(f.key))) return undefined;
  const hop = eopEntryHop(hops);
  if (!hop) return undefined;
  const ip = hop.fromIp ?? antispam.cip ?? auth.spf?.ip ?? '?';
  const known = vendorOfHost(hop.from) ?? vendorOfHost(antispam.ptr) ?? vendorOfHost(antispam.helo);
  let vendor = known ? `the ${known.name} gateway` : undefined;
  if (!vendor && auth.spf && auth.spf.result !== 'pass') {
    // An earlier server passed SPF for another IP: the message came in through it and was relayed on.
    const earlier = auth.results.find((r) => r.method === 'spf' && r.source === 'received-spf' && r.result === 'pass' && r.props['client-ip'] && r.props['client-ip'] !== ip);
    if (earlier) vendor = `a relay after ${earlier.props.receiver ?? 'a server'}, where SPF had passed`;
  }
  if (!vendor) return undefined;
  const entry: GatewayEntry = { hop, vendor, host: hop.from ?? antispam.helo ?? '?', ip };
  const origin = gatewayOrigin(hops, hop);
  if (origin) entry.origin = origin;
  return entry;
}
