// Reading the target a user typed for each probe kind (the shape its registry row names: host[:port], a
// URL, a domain or an IP), and turning what a paste or a person gives (a URL, an e-mail address, a host
// with a port) into the target a kind takes.
import { isIP } from '../text/ip.ts';
import { PROBE_ROWS, type ProbeKind, type ProbeKindRow, type TargetShape } from './kinds.ts';

export interface ParsedTarget {
  /** Lowercase name or IP literal, no trailing dot, no brackets. */
  host: string;
  port?: number;
  url?: URL;
  isIp: boolean;
  /** How the result names the target (`mail.contoso.com:25`). */
  display: string;
}

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;
const MAX_TARGET = 2048;

export class TargetError extends Error {}

/** Parses `text` for `kind`; throws TargetError with a line saying what was expected. */
export function parseTarget(kind: ProbeKind, text: string, port?: number): ParsedTarget {
  const raw = text.trim();
  if (!raw || raw.length > MAX_TARGET) throw new TargetError('the target is empty or too long');
  const row: ProbeKindRow = PROBE_ROWS[kind];
  switch (row.shape) {
    case 'url':
      return parseUrl(raw);
    case 'domain': {
      const host = parseHostname(raw);
      return { host, isIp: false, display: host };
    }
    case 'ip':
      if (!isIP(raw)) throw new TargetError(`${kind} expects an IP address like 203.0.113.7 or 2001:db8::7`);
      return { host: raw.toLowerCase(), isIp: true, display: raw.toLowerCase() };
    case 'host-port':
      return parseHostPort(raw, port ?? row.defaultPort ?? 443);
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

/** What toProbeTarget made of a value: the text to pass as the target, and a port when the value named one. */
export type Converted = { ok: true; target: string; port?: number; note?: string } | { ok: false; message: string };

/**
 * Turns a value from a paste or a person (a URL, an e-mail address, `host:port`, a bare host or IP) into
 * the target `kind` takes, or says why it cannot: `https://mail.contoso.com/EWS/Exchange.asmx` → `mail.contoso.com`
 * for ews, `user@contoso.com` → `contoso.com` for dns or autodiscover, `mail.contoso.com` → `https://mail.contoso.com/`
 * for http. Pure: no DNS, no policy. The result still goes through parseTarget and the policy when it runs.
 */
export function toProbeTarget(kind: ProbeKind, value: string): Converted {
  const raw = value.trim().replace(/^<|>$/g, '').replace(/^mailto:/i, '');
  if (!raw || raw.length > MAX_TARGET) return { ok: false, message: 'the value is empty or too long' };
  const shape: TargetShape = PROBE_ROWS[kind].shape;
  const from = pieces(raw);
  if (!from) return { ok: false, message: `"${raw.slice(0, 80)}" is not a host, domain, IP address, URL or e-mail address` };
  const hostText = from.host.includes(':') ? `[${from.host}]` : from.host;
  switch (shape) {
    case 'url': {
      if (from.url) return { ok: true, target: from.url };
      const port = from.port !== undefined ? `:${from.port}` : '';
      return { ok: true, target: `https://${hostText}${port}/`, note: from.email ? `the domain of ${from.email}` : undefined };
    }
    case 'domain': {
      if (from.isIp) return { ok: false, message: `${kind} takes a domain name, not the IP address ${from.host}` };
      return { ok: true, target: from.host, note: from.email ? `the domain of ${from.email}` : undefined };
    }
    case 'ip':
      if (!from.isIp) return { ok: false, message: `${kind} takes an IP address; ${from.host} is a name (resolve it first)` };
      return { ok: true, target: from.host };
    case 'host-port': {
      const note = from.email ? `the domain of ${from.email}; its mail hosts are its MX records` : undefined;
      return from.port !== undefined ? { ok: true, target: `${hostText}:${from.port}`, port: from.port, note } : { ok: true, target: hostText, note };
    }
  }
}

interface Pieces {
  host: string;
  port?: number;
  isIp: boolean;
  /** The original URL text (credentials removed) when the value was a URL. */
  url?: string;
  email?: string;
}

function pieces(raw: string): Pieces | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return undefined;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    url.username = '';
    url.password = '';
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
    if (!host) return undefined;
    return { host, port: url.port ? Number(url.port) : undefined, isIp: isIP(host) !== 0, url: url.href };
  }
  const at = raw.lastIndexOf('@');
  if (at > 0) {
    const domain = raw.slice(at + 1).toLowerCase().replace(/\.$/, '');
    if (!HOSTNAME.test(domain) || !domain.includes('.')) return undefined;
    return { host: domain, isIp: false, email: raw };
  }
  if (isIP(raw)) return { host: raw.toLowerCase(), isIp: true };
  const bracket = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(raw);
  if (bracket && isIP(bracket[1]!)) return { host: bracket[1]!.toLowerCase(), port: bracket[2] ? Number(bracket[2]) : undefined, isIp: true };
  const hp = /^([^:/\s]+)(?::(\d{1,5}))?\/?$/.exec(raw);
  if (!hp) return undefined;
  const host = hp[1]!.toLowerCase().replace(/\.$/, '');
  const port = hp[2] ? Number(hp[2]) : undefined;
  if (port !== undefined && !(port >= 1 && port <= 65535)) return undefined;
  if (isIP(host)) return { host, port, isIp: true };
  return HOSTNAME.test(host) ? { host, port, isIp: false } : undefined;
}
