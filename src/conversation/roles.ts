// Where each target sits in the mail flow, read from where it sits in the paste: the sender's IP from the
// "banned sending IP [...]" of an EOP reply, Received-SPF's client-ip and the Received rows; the receiving
// host from the NDR's "Remote Server at … (…)" and a queue LastError's FQDN / IP / last endpoint; the
// recipient domain from the recipient's address; the connector host from where Exchange Online's outbound
// connector delivered (a trace's OutboundProxyTargetHostName) or a connector's SmartHosts; the client
// endpoint from the host of a URL to an Exchange client path or Outlook Anywhere's host names. Microsoft's
// own names and ranges (EOP, Exchange Online) are recognised and never taken for the sender or the receiver
// being checked (a client may well talk to outlook.office365.com, so that role may be Microsoft's).
import { isIP } from 'node:net';
import type { TargetRole } from '../catalog/schema.ts';
import type { SignalSummary } from '../match/types.ts';
import { isInfraHost, isPublicIp, type TargetValues } from './targets.ts';

export type TargetRoles = Partial<Record<TargetRole, string>>;

/** Microsoft 365 mail ranges (EOP and Exchange Online, aka.ms/o365ip): addresses of Microsoft's servers, not the customer's. */
const MICROSOFT_V4: Array<[string, number]> = [
  ['40.92.0.0', 15], ['40.107.0.0', 16], ['52.100.0.0', 14], ['104.47.0.0', 17], ['40.96.0.0', 13], ['52.96.0.0', 14], ['131.253.33.215', 32], ['132.245.0.0', 16], ['150.171.32.0', 22], ['204.79.197.215', 32],
];
const MICROSOFT_V6 = [/^2a01:111:f40[0-9a-f]:/i, /^2603:10[0-9a-f]{2}:/i, /^2620:1ec:/i];

function v4(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** An address in Microsoft's own mail ranges. */
export function isMicrosoftIp(ip: string): boolean {
  if (isIP(ip) === 4) return MICROSOFT_V4.some(([base, bits]) => Math.floor(v4(ip) / 2 ** (32 - bits)) === Math.floor(v4(base) / 2 ** (32 - bits)));
  return isIP(ip) === 6 && MICROSOFT_V6.some((r) => r.test(ip));
}

const IP = String.raw`(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})`;
const HOSTNAME = String.raw`([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+)`;

const customerIp = (ip: string | undefined): string | undefined => (ip && isPublicIp(ip) && !isMicrosoftIp(ip) ? ip.toLowerCase() : undefined);
const customerHost = (h: string | undefined): string | undefined => (h && !isInfraHost(h.toLowerCase()) && !isIP(h) ? h.toLowerCase().replace(/\.$/, '') : undefined);
/** A client endpoint may be Microsoft's own (outlook.office365.com is where Exchange Online clients connect). */
const anyHost = (h: string | undefined): string | undefined => (h && !isIP(h) ? h.toLowerCase().replace(/\.$/, '') : undefined);

/** One place in a paste a role's value sits: a pattern whose first group is the value, and what the value must be. */
interface Source {
  /** Where, in words (for lint and docs). */
  where: string;
  pattern: RegExp;
  take: (value: string | undefined) => string | undefined;
  /** Read the matches from the last to the first (Received rows: the oldest is the lowest). */
  reversed?: boolean;
}

const src = (where: string, pattern: string, take: Source['take'], flags = 'gi', reversed = false): Source => ({ where, pattern: new RegExp(pattern, flags), take, ...(reversed && { reversed }) });

/** Exchange's client paths: the host of a URL to one of them is the endpoint the client talks to. */
const CLIENT_PATH = String.raw`(?:ews|owa|autodiscover|rpc|mapi|oab|ecp|microsoft-server-activesync|powershell)`;

/**
 * Where each role's value sits in a paste, strongest first. A role with no source here cannot be filled
 * from a paste, so `ehlo lint` refuses steps that name it (ROLE_SOURCES_KNOWN).
 */
const SOURCES: Partial<Record<TargetRole, readonly Source[]>> = {
  'sender-ip': [
    src('an EOP reply\'s "banned sending IP [...]"', String.raw`sending IP \[?${IP}\]?`, customerIp),
    src("Received-SPF's client-ip", String.raw`client-ip=${IP}`, customerIp),
    // Received rows, the oldest (lowest) first: the first public, non-Microsoft address a server received from.
    src('the oldest Received row with a public, non-Microsoft address', String.raw`^Received: from [^\n]*?\[${IP}\]`, customerIp, 'gim', true),
  ],
  'receiving-host': [
    src('the NDR\'s "Remote Server at HOST"', String.raw`Remote Server (?:at )?${HOSTNAME}`, customerHost),
    src('a queue LastError or trace detail\'s {FQDN=HOST}', String.raw`\{FQDN=${HOSTNAME}\}`, customerHost),
    src("an Exchange Online NDR's [LastAttemptedServerName=HOST]", String.raw`LastAttemptedServerName=${HOSTNAME}`, customerHost),
    src('the NDR\'s "Remote Server at … (IP)"', String.raw`Remote Server (?:at )?[^\n]{0,80}?\(${IP}\)`, customerIp),
    src('{IP=…} in a queue LastError or trace detail', String.raw`\{IP=${IP}\}`, customerIp),
    src("an Exchange Online NDR's [LastAttemptedIP=IP:port]", String.raw`LastAttemptedIP=${IP}(?::\d{1,5})?\]`, customerIp),
    src('a LastError\'s "last endpoint attempted was IP"', String.raw`last endpoint attempted was ${IP}`, customerIp),
  ],
  'connector-host': [
    src("a message trace's OutboundProxyTargetHostName (where Exchange Online's outbound connector delivers)", String.raw`OutboundProxyTargetHostName:?\s+${HOSTNAME}`, customerHost),
    src('Get-OutboundConnector / Get-SendConnector output: SmartHosts : {HOST}', String.raw`SmartHosts?\s*:\s*\{\[?${HOSTNAME}`, customerHost),
    src("a message trace's OutboundProxyTargetIP", String.raw`OutboundProxyTargetIP:?\s+${IP}`, customerIp),
  ],
  'client-endpoint': [
    src('the host of a URL to an Exchange client path (/EWS, /owa, /autodiscover, /rpc, /mapi, /OAB …)', String.raw`https?://${HOSTNAME}(?::\d{1,5})?/${CLIENT_PATH}\b`, anyHost),
    src('Get-OutlookAnywhere output: ExternalHostname : HOST', String.raw`(?:External|Internal)Hostname\s*:\s*${HOSTNAME}`, anyHost),
    src('Get-*VirtualDirectory output: ExternalUrl : https://HOST/…', String.raw`(?:External|Internal)Url\s*:\s*https?://${HOSTNAME}`, anyHost),
  ],
};

/** The roles a paste can fill, and where each is read from (lint refuses a step that names another). */
export const ROLE_SOURCES_KNOWN: ReadonlyMap<TargetRole, readonly string[]> = new Map(
  [...Object.entries(SOURCES), ['recipient-domain', ["the recipient's address"]], ['sender-domain', ['the From: line']]].map(([role, list]) => [
    role as TargetRole,
    (list as readonly (Source | string)[]).map((x) => (typeof x === 'string' ? x : x.where)),
  ]),
);

function firstFrom(text: string, sources: readonly Source[]): string | undefined {
  for (const s of sources) {
    const matches = [...text.matchAll(s.pattern)];
    if (s.reversed) matches.reverse();
    for (const m of matches) {
      const v = s.take(m[1]);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/** The roles the paste gives its targets (only what it says where it says it). */
export function rolesFromPaste(text: string, signals: SignalSummary, targets: TargetValues): TargetRoles {
  const roles: TargetRoles = {};
  for (const [role, sources] of Object.entries(SOURCES) as Array<[TargetRole, readonly Source[]]>) {
    const v = firstFrom(text, sources);
    if (v) roles[role] = v;
  }
  if (targets.domain && targets.email) roles['recipient-domain'] = targets.domain;
  const from = /^From:[^\n]*?<?[^\s<>@]+@([a-z0-9.-]+\.[a-z]{2,})>?\s*$/im.exec(text)?.[1];
  if (customerHost(from)) roles['sender-domain'] = from!.toLowerCase();
  void signals;
  return roles;
}
