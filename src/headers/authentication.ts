// Authentication-Results (RFC 8601), ARC-Authentication-Results (RFC 8617) and Received-SPF
// (RFC 7208 section 9.1) read into spf, dkim, dmarc and Microsoft's compauth. Microsoft writes a
// form of its own: no authserv-id ("Authentication-Results: spf=pass (sender IP is …)"), no ';'
// between some results ("header.d=none;dmarc=pass"), and "action=" / "compauth=… reason=…".
// The value is split at ';' outside comments, then each result is "method=result (comment) k=v …".
import type { Span } from '../match/types.ts';
import type { HeaderField } from './unfold.ts';
import { commentEnd } from './comment.ts';

export interface AuthResult {
  method: string;
  result: string;
  /** The comment after the result, without parentheses ("sender IP is 1.2.3.4"). */
  comment?: string;
  /** Properties: "smtp.mailfrom" → "contoso.com", "header.from", "header.d", "action", "reason" … */
  props: Record<string, string>;
  /** Which header it came from. */
  source: 'authentication-results' | 'arc-authentication-results' | 'received-spf' | 'x-ms-exchange-authentication-results';
  /** The authserv-id (receiving host) when the header names one. */
  authserv?: string;
  span: Span;
}

export interface Authentication {
  spf?: { result: string; domain?: string; ip?: string; span: Span; source: string };
  dkim: Array<{ result: string; domain?: string; reason?: string; span: Span }>;
  dmarc?: { result: string; domain?: string; action?: string; policy?: string; span: Span };
  compauth?: { result: string; reason?: string; meaning?: string; span: Span };
  /** Every result read, in paste order, for the JSON report. */
  results: AuthResult[];
}

const MAX_VALUE = 16 * 1024;

/** Split at ';' that are outside parentheses and quotes. */
function splitTop(s: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) quote = !quote;
    else if (!quote && c === 40) depth++;
    else if (!quote && c === 41 && depth > 0) depth--;
    else if (!quote && depth === 0 && c === 59) {
      out.push({ text: s.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  out.push({ text: s.slice(start), offset: start });
  return out;
}

/** "k=v" tokens and (comments) of one result, in order. */
function tokens(s: string): Array<{ text: string; comment: boolean }> {
  const out: Array<{ text: string; comment: boolean }> = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 40) {
      const j = commentEnd(s, i);
      out.push({ text: s.slice(i + 1, Math.min(j, s.length)), comment: true });
      i = j + 1;
      continue;
    }
    let j = i;
    let quote = false;
    while (j < s.length) {
      const d = s.charCodeAt(j);
      if (d === 34) quote = !quote;
      else if (!quote && (d === 32 || d === 9 || d === 40)) break;
      j++;
    }
    out.push({ text: s.slice(i, j), comment: false });
    i = j;
  }
  return out;
}

const KNOWN_METHODS = new Set(['spf', 'dkim', 'dmarc', 'compauth', 'arc', 'auth', 'smtp.auth', 'iprev', 'bimi', 'dkim-atps', 'dkim-adsp', 'x-tls', 'domainkeys', 'sender-id', 'senderid']);

function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

/** Read one Authentication-Results style field into results. */
export function parseAuthField(field: HeaderField): AuthResult[] {
  const source = field.key as AuthResult['source'];
  const value = field.value.length > MAX_VALUE ? field.value.slice(0, MAX_VALUE) : field.value;
  const parts = splitTop(value);
  const out: AuthResult[] = [];
  let authserv: string | undefined;
  parts.forEach((part, idx) => {
    const toks = tokens(part.text);
    if (!toks.length) return;
    const firstTok = toks[0] as { text: string; comment: boolean };
    // ARC: "i=1" comes first; RFC form: the authserv-id has no '=' (or is "mx.microsoft.com 1").
    if (idx <= 1 && !firstTok.comment && /^i=\d{1,3}$/.test(firstTok.text)) return;
    if (idx <= 1 && !firstTok.comment && !firstTok.text.includes('=')) {
      authserv = firstTok.text;
      if (toks.length <= 2 || !toks.slice(1).some((t) => !t.comment && t.text.includes('='))) return;
      toks.shift();
      if (toks[0] && !toks[0].comment && /^\d{1,3}$/.test(toks[0].text)) toks.shift();
    }
    // Microsoft glues results: "header.d=none;dmarc=pass" is split already; "…header.from=x.com;compauth=…" too.
    let current: AuthResult | null = null;
    for (const t of toks) {
      if (t.comment) {
        if (current && current.comment === undefined) current.comment = t.text.trim();
        continue;
      }
      const eq = t.text.indexOf('=');
      if (eq <= 0) continue;
      const key = t.text.slice(0, eq).toLowerCase();
      const val = unquote(t.text.slice(eq + 1));
      if (!key.includes('.') && KNOWN_METHODS.has(key) && key !== 'action' && key !== 'reason') {
        if (current) out.push(current);
        current = { method: key, result: val.toLowerCase(), props: {}, source, span: [field.valueStart, field.span[1]] };
        if (authserv) current.authserv = authserv;
      } else if (current) {
        current.props[key] = val;
      }
    }
    if (current) out.push(current);
  });
  return out;
}

/** Received-SPF: "Pass (protection.outlook.com: domain of x designates 1.2.3.4 as permitted sender) receiver=…; client-ip=…". */
export function parseReceivedSpf(field: HeaderField): AuthResult | null {
  const v = field.value.length > MAX_VALUE ? field.value.slice(0, MAX_VALUE) : field.value;
  const toks = tokens(v);
  const first = toks[0];
  if (!first || first.comment) return null;
  const result = first.text.toLowerCase().replace(/;$/, '');
  if (!/^(pass|fail|softfail|neutral|none|temperror|permerror)$/.test(result)) return null;
  const r: AuthResult = { method: 'spf', result, props: {}, source: 'received-spf', span: field.span };
  const comment = toks.find((t) => t.comment);
  if (comment) r.comment = comment.text.trim();
  for (const t of toks.slice(1)) {
    if (t.comment) continue;
    const eq = t.text.indexOf('=');
    if (eq > 0) r.props[t.text.slice(0, eq).toLowerCase()] = unquote(t.text.slice(eq + 1).replace(/;$/, ''));
  }
  // "domain of contoso.com designates …" / "contoso.com does not designate …"
  const c = r.comment ?? '';
  const m = /domain of (?:[^\s@]+@)?([A-Za-z0-9.-]{1,253})/.exec(c.slice(0, 400)) ?? /:\s*(?:[^\s@]+@)?([A-Za-z0-9.-]{1,253}) does not designate/.exec(c.slice(0, 400));
  if (m?.[1] && !r.props['smtp.mailfrom']) r.props['smtp.mailfrom'] = m[1];
  return r;
}

/** The composite authentication reason codes, in our words (Microsoft's anti-spam header reference). */
export function compauthMeaning(result: string, reason: string | undefined): string {
  const r = reason ?? '';
  if (r === '000') return 'explicit failure: the From domain publishes DMARC with quarantine or reject and the message failed it';
  if (r === '001') return 'implicit failure: the From domain has no enforcing authentication (no records, soft fail, or DMARC p=none) and Microsoft judged the sender unauthenticated';
  if (r === '002') return 'the organization explicitly forbids this sender/domain pair from spoofing (an admin setting)';
  if (r === '010') return 'failed DMARC with quarantine or reject while the From domain is one of your own accepted domains (intra-org spoofing)';
  const lead = r.charAt(0);
  if (lead === '1' || lead === '7') return 'passed composite authentication';
  if (lead === '2') return 'soft pass of implicit authentication';
  if (lead === '3') return 'composite authentication was not checked';
  if (lead === '4' || lead === '9') return 'composite authentication was bypassed (for example a trusted connector or an allow entry)';
  if (lead === '6') return 'failed implicit authentication while the From domain is one of your own accepted domains (intra-org spoofing)';
  return result === 'fail' ? 'composite authentication failed' : `composite authentication ${result}`;
}

function ipFromComment(c: string | undefined): string | undefined {
  if (!c) return undefined;
  const i = c.toLowerCase().indexOf('sender ip is ');
  if (i >= 0) return c.slice(i + 13).trim().split(/[\s)]/)[0];
  return undefined;
}

/**
 * Combine the results of every authentication header. The receiving organization's own
 * Authentication-Results (the topmost) wins over ARC copies and Received-SPF.
 */
export function readAuthentication(fields: readonly HeaderField[]): Authentication {
  const results: AuthResult[] = [];
  for (const f of fields) {
    if (f.key === 'authentication-results' || f.key === 'arc-authentication-results' || f.key === 'x-ms-exchange-authentication-results') results.push(...parseAuthField(f));
    else if (f.key === 'received-spf') {
      const r = parseReceivedSpf(f);
      if (r) results.push(r);
    }
  }
  const rank = (r: AuthResult) => (r.source === 'authentication-results' ? 0 : r.source === 'x-ms-exchange-authentication-results' ? 1 : r.source === 'arc-authentication-results' ? 2 : 3);
  const pick = (method: string) => results.filter((r) => r.method === method).sort((a, b) => rank(a) - rank(b))[0];
  const auth: Authentication = { dkim: [], results };
  const spf = pick('spf');
  if (spf) {
    auth.spf = { result: spf.result, span: spf.span, source: spf.source };
    const domain = spf.props['smtp.mailfrom'] ?? spf.props['envelope-from'];
    if (domain) auth.spf.domain = domain.includes('@') ? domain.slice(domain.lastIndexOf('@') + 1) : domain;
    const ip = ipFromComment(spf.comment) ?? spf.props['client-ip'];
    if (ip) auth.spf.ip = ip;
  }
  const bestDkimSource = results.filter((r) => r.method === 'dkim').sort((a, b) => rank(a) - rank(b))[0]?.source;
  for (const d of results.filter((r) => r.method === 'dkim' && r.source === bestDkimSource)) {
    const entry: Authentication['dkim'][number] = { result: d.result, span: d.span };
    const domain = d.props['header.d'] ?? (d.props['header.i'] ? d.props['header.i'].slice(d.props['header.i'].lastIndexOf('@') + 1) : undefined);
    if (domain && domain !== 'none') entry.domain = domain;
    if (d.comment) entry.reason = d.comment;
    auth.dkim.push(entry);
  }
  const dmarc = pick('dmarc');
  if (dmarc) {
    auth.dmarc = { result: dmarc.result, span: dmarc.span };
    if (dmarc.props['header.from']) auth.dmarc.domain = dmarc.props['header.from'];
    if (dmarc.props.action) auth.dmarc.action = dmarc.props.action.toLowerCase();
    const p = /\bp=([A-Za-z]+)/.exec((dmarc.comment ?? '').slice(0, 200));
    if (p?.[1]) auth.dmarc.policy = p[1].toLowerCase();
  }
  const comp = pick('compauth');
  if (comp) {
    auth.compauth = { result: comp.result, span: comp.span };
    if (comp.props.reason) auth.compauth.reason = comp.props.reason;
    auth.compauth.meaning = compauthMeaning(comp.result, comp.props.reason);
  }
  return auth;
}
