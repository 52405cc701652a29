// Where each target sits in the mail flow, read from where it sits in the paste: the sender's IP from the
// "banned sending IP [...]" of an EOP reply, Received-SPF's client-ip and the Received rows; the receiving
// host from the NDR's "Remote Server at … (…)" and a queue LastError's FQDN / IP / last endpoint; the
// recipient domain from the recipient's address. Microsoft's own names and ranges (EOP, Exchange Online)
// are recognised and never taken for the sender or the receiver being checked.
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

function first<T>(values: Iterable<T | undefined>): T | undefined {
  for (const v of values) if (v !== undefined) return v;
  return undefined;
}

/** The roles the paste gives its targets (only what it says where it says it). */
export function rolesFromPaste(text: string, signals: SignalSummary, targets: TargetValues): TargetRoles {
  const roles: TargetRoles = {};
  const senderIp = first([
    ...[...text.matchAll(new RegExp(String.raw`sending IP \[?${IP}\]?`, 'gi'))].map((m) => customerIp(m[1])),
    ...[...text.matchAll(new RegExp(String.raw`client-ip=${IP}`, 'gi'))].map((m) => customerIp(m[1])),
    // Received rows, the oldest (lowest) first: the first public, non-Microsoft address a server received from.
    ...[...text.matchAll(new RegExp(String.raw`^Received: from [^\n]*?\[${IP}\]`, 'gim'))].reverse().map((m) => customerIp(m[1])),
  ]);
  if (senderIp) roles['sender-ip'] = senderIp;
  const receiving = first([
    ...[...text.matchAll(new RegExp(String.raw`Remote Server (?:at )?${HOSTNAME}`, 'gi'))].map((m) => customerHost(m[1])),
    ...[...text.matchAll(new RegExp(String.raw`\{FQDN=${HOSTNAME}\}`, 'gi'))].map((m) => customerHost(m[1])),
    ...[...text.matchAll(new RegExp(String.raw`Remote Server (?:at )?[^\n]{0,80}?\(${IP}\)`, 'gi'))].map((m) => customerIp(m[1])),
    ...[...text.matchAll(new RegExp(String.raw`\{IP=${IP}\}`, 'gi'))].map((m) => customerIp(m[1])),
    ...[...text.matchAll(new RegExp(String.raw`last endpoint attempted was ${IP}`, 'gi'))].map((m) => customerIp(m[1])),
  ]);
  if (receiving) roles['receiving-host'] = receiving;
  if (targets.domain && targets.email) roles['recipient-domain'] = targets.domain;
  const from = /^From:[^\n]*?<?[^\s<>@]+@([a-z0-9.-]+\.[a-z]{2,})>?\s*$/im.exec(text)?.[1];
  if (customerHost(from)) roles['sender-domain'] = from!.toLowerCase();
  void signals;
  return roles;
}
