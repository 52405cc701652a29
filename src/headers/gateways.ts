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
  { id: 'sophos', name: 'Sophos Email', hosts: ['prod.hydra.sophos.com', 'hydra.sophos.com'], headers: [] },
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

function hostIs(host: string | undefined, endings: readonly string[]): boolean {
  if (!host) return false;
  const h = host.toLowerCase().replace(/[.\]>]+$/, '');
  return endings.some((e) => h === e || h.endsWith(`.${e}`));
}

/** The vendor whose relays a host name belongs to. */
export function vendorOfHost(host: string | undefined): GatewayVendor | undefined {
  return GATEWAY_VENDORS.find((v) => hostIs(host, v.hosts));
}

/** Every gateway the hops or the verdict headers show, in the order of the vendor table. */
export function findGateways(hops: readonly Hop[], fields: readonly HeaderField[]): GatewaySeen[] {
  const out: GatewaySeen[] = [];
  for (const v of GATEWAY_VENDORS) {
    const touched = hops.filter((h) => hostIs(h.from, v.hosts) || hostIs(h.by, v.hosts)).map((h) => h.n);
    const headers = fields
      .filter((f) => v.headers.includes(f.key))
      .slice(0, 6)
      .map((f) => ({ name: f.name, value: f.value.replace(/\s+/g, ' ').trim().slice(0, MAX_VALUE), span: f.span }));
    if (touched.length || headers.length) out.push({ vendor: v.id, name: v.name, hops: touched, headers });
  }
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
