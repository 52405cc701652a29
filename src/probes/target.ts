// Reading the target a user typed for each probe kind: host[:port], a URL, a domain or an IP.
import { isIP } from 'node:net';
import type { ProbeKind } from '../catalog/schema.ts';

export interface ParsedTarget {
  /** Lowercase name or IP literal, no trailing dot, no brackets. */
  host: string;
  port?: number;
  url?: URL;
  isIp: boolean;
  /** How the result names the target (`mail.contoso.com:25`). */
  display: string;
}

const DEFAULT_PORT: Partial<Record<ProbeKind, number>> = { smtp: 25, tls: 443, ews: 443, mapi: 443, rpc: 443, owa: 443 };
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;

export class TargetError extends Error {}

/** Parses `text` for `kind`; throws TargetError with a line saying what was expected. */
export function parseTarget(kind: ProbeKind, text: string, port?: number): ParsedTarget {
  const raw = text.trim();
  if (!raw || raw.length > 2048) throw new TargetError('the target is empty or too long');
  switch (kind) {
    case 'http':
      return parseUrl(raw);
    case 'dns':
    case 'autodiscover':
      return { host: parseHostname(raw), isIp: false, display: parseHostname(raw) };
    case 'ptr':
    case 'dnsbl':
      if (!isIP(raw)) throw new TargetError(`${kind} expects an IP address like 203.0.113.7 or 2001:db8::7`);
      return { host: raw.toLowerCase(), isIp: true, display: raw.toLowerCase() };
    default:
      return parseHostPort(raw, port ?? DEFAULT_PORT[kind] ?? 443);
  }
}

function parseHostname(raw: string, needDot = true): string {
  const host = raw.toLowerCase().replace(/\.$/, '');
  if (!HOSTNAME.test(host) || (needDot && !host.includes('.'))) throw new TargetError(`"${raw.slice(0, 80)}" is not a domain name like contoso.com`);
  return host;
}

function parseHostPort(raw: string, defaultPort: number): ParsedTarget {
  const m = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(raw) ?? (isIP(raw) === 6 ? [raw, raw, undefined] : /^([^:]+)(?::(\d{1,5}))?$/.exec(raw));
  if (!m) throw new TargetError(`"${raw.slice(0, 80)}" is not HOST or HOST:PORT`);
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (!(port >= 1 && port <= 65535)) throw new TargetError(`port ${m[2]} is out of range 1-65535`);
  const ip = isIP(m[1]!) !== 0;
  const host = ip ? m[1]!.toLowerCase() : parseHostname(m[1]!, false);
  return { host, port, isIp: ip, display: `${ip && host.includes(':') ? `[${host}]` : host}:${port}` };
}

function parseUrl(raw: string): ParsedTarget {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw new TargetError(`"${raw.slice(0, 80)}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TargetError('only http:// and https:// URLs can be probed');
  if (url.username || url.password) throw new TargetError('URLs with credentials are refused: ehlo never sends credentials');
  const bare = url.hostname.replace(/^\[|\]$/g, '');
  const ip = isIP(bare) !== 0;
  const host = ip ? bare.toLowerCase() : parseHostname(bare, false);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host, port, url, isIp: ip, display: url.href };
}
