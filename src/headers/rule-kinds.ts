// One small function per rule kind: given a rule of rules.ts and what was parsed, the findings it
// produces. Messages are filled from the rule's template.
import type { Span } from '../match/types.ts';
import type { Antispam } from './antispam.ts';
import type { Authentication } from './authentication.ts';
import { authFailed, ENHANCED_FILTERING_HEADERS, gatewayEntry, type GatewaySeen } from './gateways.ts';
import type { HeaderFinding } from './findings-types.ts';
import { formatDuration, type HopSummary } from './hops.ts';
import { CAT, DEST, IPV, SFTY, SFV, bclMeaning, pclMeaning, sclMeaning } from './meanings.ts';
import { ipIn } from './received.ts';
import type { HeaderRule, RuleKind } from './rules.ts';
import type { HeaderField } from './unfold.ts';

export interface RuleInput {
  text: string;
  antispam: Antispam;
  auth: Authentication;
  trip: HopSummary;
  /** The message went to Junk Email or quarantine (dest:J, or SCL 5 and more). */
  junked: boolean;
  /** Every field of the block (for the gateway and enhanced-filtering headers). */
  fields?: readonly HeaderField[];
  /** Third-party gateways the block shows (gateways.ts). */
  gateways?: readonly GatewaySeen[];
  /** False when the anti-spam headers cannot be Microsoft's: Received rows, none of them by a Microsoft server. */
  antispamTrusted?: boolean;
}

export type RuleKindFn = (rule: HeaderRule, input: RuleInput) => HeaderFinding[];

/** Fill "{name}" placeholders; unknown ones become "?". */
export function fill(template: string, values: Record<string, string | undefined>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) break;
    const close = template.indexOf('}', open);
    if (close < 0) break;
    out += template.slice(i, open);
    const v = values[template.slice(open + 1, close)];
    out += v === undefined || v === '' ? '?' : v;
    i = close + 1;
  }
  return out + template.slice(i);
}

function finding(rule: HeaderRule, message: string, span: Span | null): HeaderFinding {
  const f: HeaderFinding = { severity: rule.severity, code: rule.id, message, span };
  if (rule.topic) f.topic = rule.topic;
  if (rule.weight !== undefined) f.weight = rule.weight;
  return f;
}

/** Where a needle ("compauth=fail") sits inside a span of the paste; the whole span otherwise. */
export function locate(text: string, within: Span, needle: string): Span {
  const hay = text.slice(within[0], within[1]).toLowerCase();
  const at = hay.indexOf(needle.toLowerCase());
  return at >= 0 ? [within[0] + at, within[0] + at + needle.length] : within;
}

function whenOk(rule: HeaderRule, input: RuleInput): boolean {
  if (rule.when === 'junked') return input.junked;
  if (rule.when === 'not-junked') return !input.junked;
  return true;
}

const VALUE_TABLES: Record<string, Record<string, string>> = { sfv: SFV, cat: CAT, ipv: IPV, dest: DEST, sfty: SFTY, ofr: {}, srv: { BULK: 'identified as bulk mail by the bulk complaint level threshold' } };
const FIELD_NAMES: Record<string, string> = { ofr: 'OFR', sfv: 'SFV', cat: 'CAT', ipv: 'IPV', srv: 'SRV', dest: 'dest', sfty: 'SFTY', scl: 'SCL', bcl: 'BCL', pcl: 'PCL' };

function fieldSpan(input: RuleInput, field: string): Span | null {
  const name = (FIELD_NAMES[field] ?? field).toLowerCase();
  const f = input.antispam.fields.find((x) => x.name.toLowerCase() === name);
  return f ? f.span : null;
}

const antispamValue: RuleKindFn = (rule, input) => {
  const field = rule.field;
  if (!field || !whenOk(rule, input)) return [];
  const raw = input.antispam[field as keyof Antispam];
  if (typeof raw !== 'string') return [];
  const value = field === 'sfty' ? raw : raw.toUpperCase();
  if (!(rule.values ?? []).includes(value)) return [];
  const shown = field === 'ofr' ? raw : value;
  const meaning = VALUE_TABLES[field]?.[value] ?? '';
  return [finding(rule, fill(rule.message, { value: shown, meaning }), fieldSpan(input, field))];
};

const antispamRange: RuleKindFn = (rule, input) => {
  const field = rule.field;
  if ((field !== 'scl' && field !== 'bcl' && field !== 'pcl') || !whenOk(rule, input)) return [];
  const n = input.antispam[field];
  if (n === undefined || n < (rule.min ?? -Infinity) || n > (rule.max ?? Infinity)) return [];
  const meaning = field === 'scl' ? sclMeaning(n) : field === 'bcl' ? bclMeaning(n) : pclMeaning(n);
  return [finding(rule, fill(rule.message, { value: String(n), meaning }), fieldSpan(input, field))];
};

function reasonMatches(rule: HeaderRule, reason: string | undefined): boolean {
  if (!rule.reasons) return true;
  const r = reason ?? '';
  return rule.reasons.some((x) => r === x || (x.length === 1 && r.startsWith(x)));
}

const authResult: RuleKindFn = (rule, input) => {
  const { auth, text } = input;
  const results = rule.results ?? [];
  if (rule.method === 'compauth') {
    const c = auth.compauth;
    if (!c || !results.includes(c.result) || !reasonMatches(rule, c.reason)) return [];
    return [finding(rule, fill(rule.message, { value: c.result, reason: c.reason, meaning: c.meaning, domain: auth.dmarc?.domain }), locate(text, c.span, `compauth=${c.result}`))];
  }
  if (rule.method === 'dmarc') {
    const d = auth.dmarc;
    if (!d || !results.includes(d.result)) return [];
    const action = d.action ?? '';
    if (rule.actions && !rule.actions.includes(action)) return [];
    return [finding(rule, fill(rule.message, { value: rule.actions ? action || 'none' : d.result, domain: d.domain }), locate(text, d.span, `dmarc=${d.result}`))];
  }
  if (rule.method === 'spf') {
    const s = auth.spf;
    if (!s || !results.includes(s.result)) return [];
    return [finding(rule, fill(rule.message, { value: s.result, domain: s.domain }), locate(text, s.span, s.source === 'received-spf' ? 'received-spf' : `spf=${s.result}`))];
  }
  if (rule.method === 'dkim') {
    return auth.dkim
      .filter((d) => results.includes(d.result))
      .slice(0, 3)
      .map((d) => finding(rule, fill(rule.message, { value: d.result, domain: d.domain ?? 'an unnamed domain', reason: d.reason ?? 'no reason given' }), locate(text, d.span, `dkim=${d.result}`)));
  }
  return [];
};

function pct(share: number | null): string {
  return share === null ? '?' : `${Math.round(share * 100)}%`;
}

/**
 * Each hop's delay measured from the latest time stamped before it: after a server whose clock is
 * behind (clock skew), the next hop's delay against that wrong clock only makes up the skew.
 */
const EFFECTIVE = new WeakMap<HopSummary['hops'], Array<number | null>>();

export function effectiveDelays(hops: HopSummary['hops']): Array<number | null> {
  const known = EFFECTIVE.get(hops);
  if (known) return known;
  let latest: number | undefined;
  const out = hops.map((h) => {
    const t = h.time ? Date.parse(h.time) : undefined;
    if (t === undefined || Number.isNaN(t)) return null;
    const d = latest === undefined ? 0 : Math.round((t - latest) / 1000);
    if (latest === undefined || t > latest) latest = t;
    return d;
  });
  EFFECTIVE.set(hops, out);
  return out;
}

const hopDelay: RuleKindFn = (rule, input) => {
  if (!whenOk(rule, input)) return [];
  const { hops, totalSeconds } = input.trip;
  const effective = effectiveDelays(hops);
  let worst: (typeof hops)[number] | undefined;
  let worstDelay = 0;
  hops.forEach((h, i) => {
    const d = effective[i];
    if (d !== null && d !== undefined && (!worst || d > worstDelay)) {
      worst = h;
      worstDelay = d;
    }
  });
  const share = worst && totalSeconds ? worstDelay / totalSeconds : 0;
  if (!worst || worstDelay < (rule.minSeconds ?? 0) || worstDelay > (rule.maxSeconds ?? Infinity) || share < (rule.minShare ?? 0)) return [];
  const prev = hops[worst.n - 2];
  return [finding(rule, fill(rule.message, { hop: String(worst.n), delay: formatDuration(worstDelay), share: pct(Math.round(share * 1000) / 1000), from: prev?.by ?? worst.from ?? 'the sender', by: worst.by ?? 'unknown' }), worst.span)];
};

const clockSkew: RuleKindFn = (rule, input) =>
  input.trip.hops
    .filter((h) => h.skew)
    .slice(0, 3)
    .map((h) => finding(rule, fill(rule.message, { hop: String(h.n), delay: formatDuration(-(h.delaySeconds ?? 0)), from: h.from ?? '?', by: h.by ?? '?' }), h.span));

const receivedMalformed: RuleKindFn = (rule, input) =>
  input.trip.hops
    .filter((h) => h.problems.length > 0)
    .slice(0, 3)
    .map((h) => finding(rule, fill(rule.message, { hop: String(h.n), value: h.problems.join(', ') }), h.span));

const hopCount: RuleKindFn = (rule, input) => {
  const n = input.trip.hops.length;
  return n > (rule.maxHops ?? Infinity) ? [finding(rule, fill(rule.message, { count: String(n) }), input.trip.hops[n - 1]?.span ?? null)] : [];
};

function enhancedFilteringField(input: RuleInput): HeaderField | undefined {
  return input.fields?.find((f) => ENHANCED_FILTERING_HEADERS.includes(f.key));
}

const gatewayEntryKind: RuleKindFn = (rule, input) => {
  const g = gatewayEntry(input.trip.hops, input.antispam, input.auth, input.fields ?? []);
  if (!g) return [];
  const failed = authFailed(input.auth);
  if ((rule.auth === 'failed' && !failed) || (rule.auth === 'passed' && failed)) return [];
  const origin = g.origin ? `${g.origin.ip} (hop ${g.origin.hop})` : 'unknown';
  return [finding(rule, fill(rule.message, { hop: String(g.hop.n), vendor: g.vendor, host: g.host, ip: g.ip, origin }), g.hop.span)];
};

const gatewayVerdict: RuleKindFn = (rule, input) => {
  const out: HeaderFinding[] = [];
  for (const g of input.gateways ?? []) {
    for (const h of g.headers) {
      if (out.length >= 4) return out;
      out.push(finding(rule, fill(rule.message, { vendor: g.name, header: h.name, value: h.value.length > 120 ? `${h.value.slice(0, 119)}…` : h.value }), h.span));
    }
  }
  return out;
};

const enhancedFiltering: RuleKindFn = (rule, input) => {
  const f = enhancedFilteringField(input);
  if (!f) return [];
  return [finding(rule, fill(rule.message, { ip: ipIn(f.value) ?? f.value.slice(0, 60) }), f.span)];
};

const antispamOrigin: RuleKindFn = (rule, input) => {
  if (input.antispamTrusted !== false) return [];
  const f = input.antispam.fields.find((x) => x.header.startsWith('X-Forefront') || x.header.startsWith('X-Microsoft-Antispam'));
  if (!f) return [];
  const verdict = [input.antispam.sfv ? `SFV:${input.antispam.sfv}` : '', input.antispam.cat ? `CAT:${input.antispam.cat}` : '', input.antispam.scl !== undefined ? `SCL:${input.antispam.scl}` : ''].filter(Boolean).join(' ') || `${f.name}:${f.value}`;
  return [finding(rule, fill(rule.message, { header: f.header, value: verdict }), f.span)];
};

export const RULE_KINDS: Record<RuleKind, RuleKindFn> = {
  'antispam-value': antispamValue,
  'antispam-range': antispamRange,
  'auth-result': authResult,
  'hop-delay': hopDelay,
  'clock-skew': clockSkew,
  'received-malformed': receivedMalformed,
  'hop-count': hopCount,
  'gateway-entry': gatewayEntryKind,
  'gateway-verdict': gatewayVerdict,
  'enhanced-filtering': enhancedFiltering,
  'antispam-origin': antispamOrigin,
};

/** The placeholders each kind fills: lint checks that a rule's message uses only these. */
export const KIND_PLACEHOLDERS: Record<RuleKind, readonly string[]> = {
  'antispam-value': ['value', 'meaning'],
  'antispam-range': ['value', 'meaning'],
  'auth-result': ['value', 'reason', 'meaning', 'domain'],
  'hop-delay': ['hop', 'delay', 'share', 'from', 'by'],
  'clock-skew': ['hop', 'delay', 'from', 'by'],
  'received-malformed': ['hop', 'value'],
  'hop-count': ['count'],
  'gateway-entry': ['hop', 'vendor', 'host', 'ip', 'origin'],
  'gateway-verdict': ['vendor', 'header', 'value'],
  'enhanced-filtering': ['ip'],
  'antispam-origin': ['header', 'value'],
};
