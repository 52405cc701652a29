// What the handoff packet may carry off to on-call: redact() (credentials, tokens, e-mail local parts,
// legacy DN names) plus, when configured, tenant names, domain names and public IP addresses, and
// always message ids and chat mentions. Tenants, domains, IPs and message ids become numbered tags
// ("[domain-1]") so the packet still reads (the same host is the same tag everywhere), and the map
// from tag to value is kept only in the origin thread's state, where the people who pasted can read
// it back. Each pattern has bounded runs: linear in the input. Ordinary words are never taken:
// "basic authentication is disabled" stays as it is.
import { isIP } from 'node:net';
import { neutraliseMentions } from '../text/neutralise.ts';
import { redact, redactLooseLocalParts } from '../text/redact.ts';
import type { EscalationConfig } from './config.ts';

export type RedactionOptions = EscalationConfig['redact'];

/** The reversible part: tag → original value. */
export interface RedactionEntry {
  tag: string;
  value: string;
}

export const MAX_MAP_ENTRIES = 500;

/**
 * <local@host> as in Message-ID / In-Reply-To headers and message trace; also one cut off at the end of
 * the text ("… errors ---- <*****@hanmail.net", a reason typed from the first line of a paste).
 */
const MESSAGE_ID = /<([^<>\s@]{1,250}@[^<>\s@]{1,250})(?:>|$)/g;
const TENANT_NAME = /\b([a-z0-9][a-z0-9-]{0,62})\.((?:mail\.)?onmicrosoft\.com)\b/gi;
const TENANT_ID = /\b(tenant(?:[ _-]?id)?\s{0,3}[:=]?\s{0,3})([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/gi;
const IPV4 = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/g;
/** Candidate IPv6: hex groups with "::" or at least five groups (times like 08:11:10 have three). */
const IPV6 = /(?<![0-9a-f:])((?:[0-9a-f]{1,4}:){1,7}:?(?::?[0-9a-f]{1,4}){1,7}|::(?:[0-9a-f]{1,4}:?){1,7})(?![0-9a-f:])/gi;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function privateV4(parts: number[]): boolean {
  const [a = 0, b = 0] = parts;
  return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
}

function privateV6(ip: string): boolean {
  const l = ip.toLowerCase();
  return l === '::1' || l === '::' || l.startsWith('fe8') || l.startsWith('fe9') || l.startsWith('fea') || l.startsWith('feb') || l.startsWith('fc') || l.startsWith('fd');
}

export class PacketRedactor {
  readonly #options: RedactionOptions;
  readonly #byValue = new Map<string, string>();
  readonly #entries: RedactionEntry[] = [];
  readonly #counts = new Map<string, number>();
  readonly #domain: RegExp | undefined;

  constructor(options: RedactionOptions, known: readonly RedactionEntry[] = []) {
    this.#options = options;
    for (const e of known) this.#remember(e.tag, e.value);
    const domains = [...new Set(options.domains.map((d) => d.toLowerCase().replace(/^\.+|\.+$/g, '')))].filter(Boolean).sort((a, b) => b.length - a.length);
    // A configured domain and its subdomains ("mail.contoso.com" → "mail.[domain-1]"), whole labels only.
    this.#domain = domains.length ? new RegExp(`(?<![a-z0-9-])(${domains.map(escape).join('|')})(?![a-z0-9-]|\\.[a-z0-9])`, 'gi') : undefined;
  }

  /** The map to keep in the origin thread's state. */
  get entries(): RedactionEntry[] {
    return [...this.#entries];
  }

  #remember(tag: string, value: string): void {
    this.#byValue.set(value.toLowerCase(), tag);
    this.#entries.push({ tag, value });
    const kind = tag.slice(1, tag.lastIndexOf('-'));
    const n = Number(tag.slice(tag.lastIndexOf('-') + 1, -1));
    this.#counts.set(kind, Math.max(this.#counts.get(kind) ?? 0, n));
  }

  /** The tag of a value (the same value, the same tag); a full map falls back to an unnumbered tag. */
  #tag(kind: string, value: string): string {
    const known = this.#byValue.get(value.toLowerCase());
    if (known) return known;
    if (this.#entries.length >= MAX_MAP_ENTRIES) return `[${kind}]`;
    const n = (this.#counts.get(kind) ?? 0) + 1;
    const tag = `[${kind}-${n}]`;
    this.#remember(tag, value.slice(0, 300));
    return tag;
  }

  /** Redact one piece of text for the packet. */
  scrub(text: string): string {
    let out = text.replace(MESSAGE_ID, (_m, id: string) => `<${this.#tag('message-id', id)}>`);
    out = redactLooseLocalParts(redact(out));
    if (this.#options.tenants) {
      out = out.replace(TENANT_NAME, (_m, name: string, suffix: string) => `${this.#tag('tenant', name)}.${suffix}`);
      out = out.replace(TENANT_ID, (_m, head: string, id: string) => `${head}${this.#tag('tenant', id)}`);
    }
    if (this.#domain) out = out.replace(this.#domain, (d: string) => this.#tag('domain', d));
    if (this.#options.publicIps) {
      out = out.replace(IPV4, (m: string, a: string, b: string, c: string, d: string) => {
        const parts = [a, b, c, d].map(Number);
        if (parts.some((p) => p > 255) || privateV4(parts)) return m;
        return this.#tag('ip', m);
      });
      out = out.replace(IPV6, (m: string) => (isIP(m) === 6 && !privateV6(m) ? this.#tag('ip', m) : m));
    }
    return neutraliseMentions(out);
  }
}

/** Put the values back (for the origin thread's people): longest tags first so [ip-12] is not read as [ip-1]. */
export function unredact(text: string, entries: readonly RedactionEntry[]): string {
  let out = text;
  for (const e of [...entries].sort((a, b) => b.tag.length - a.tag.length)) out = out.split(e.tag).join(e.value);
  return out;
}
