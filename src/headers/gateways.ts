// Third-party mail gateways (secure email gateways, filtering appliances) seen in a header block:
// which hops they wrote or relayed, and the verdict headers they stamp. Kept as data: each vendor
// names the host-name endings its relays use and its own verdict headers. The hop that hands the
// message to Exchange Online Protection matters most: when it comes from a gateway, EOP sees the
// gateway's IP, so SPF, DMARC and composite authentication are judged on the wrong server unless
// Enhanced Filtering for Connectors (skip listing) is on for the inbound connector.
// Microsoft: "Enhanced Filtering for Connectors in Exchange Online",
// https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/use-connectors-to-configure-mail-flow/enhanced-filtering-for-connectors
import type { Span } from '../match/types.ts';
import type { Hop } from './hops.ts';
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
