// One Received row read into its clauses (RFC 5321 section 4.4): from, by, via, with, id, for, and
// the date after the last ';'. Exchange ("with Microsoft SMTP Server (version=TLS1_2, …) id 15.20…
// via Frontend Transport"), Exchange Online, Postfix, Exim ("(envelope-from <…>) id 1pTV6j-…"),
// Gmail ("by 2002:a05:…  with SMTP id …"), qmail ("(qmail 123 invoked from network)") and broken
// rows (no ';', no date) all go through the same token scan: words at parenthesis depth 0 switch
// the clause, comments stay with the clause they follow.
import { isIP } from 'node:net';
import type { Span } from '../match/types.ts';
import { parseHeaderDate, type ParsedDate } from './dates.ts';
import { commentEnd } from './comment.ts';

export interface ReceivedRow {
  from?: string;
  /** The comment after the from host: "(mail-mw2nam04lp2169.outbound.protection.outlook.com [104.47.73.169])". */
  fromComment?: string;
  /** The sending IP the receiving server saw, when the row names one. */
  fromIp?: string;
  by?: string;
  with?: string;
  id?: string;
  for?: string;
  via?: string;
  /** UTC milliseconds, when the date could be read. */
  time?: number;
  offsetMinutes?: number;
  /** Why the row is odd, when it is: "no-semicolon", "no-date", "bad-date", "no-by". */
  problems: string[];
  /** [start, end) of the Received field in the paste. */
  span: Span;
}

const CLAUSES = new Set(['from', 'by', 'via', 'with', 'id', 'for']);
const QMAIL_NOTE = /^\(qmail \d{1,12} invoked (from network|by uid \d{1,10}|by alias|for bounce|from \d)/i;
const MAX_ROW = 8 * 1024;

interface Piece {
  word: string;
  comment: boolean;
}

/** Words and (comments) at depth 0, in order; a comment keeps its parentheses. Bounded nesting. */
function pieces(s: string): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 40) {
      const j = commentEnd(s, i);
      out.push({ word: s.slice(i, Math.min(j + 1, s.length)), comment: true });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < s.length && s.charCodeAt(j) !== 32 && s.charCodeAt(j) !== 9 && s.charCodeAt(j) !== 40) j++;
    out.push({ word: s.slice(i, j), comment: false });
    i = j;
  }
  return out;
}

/** The first IP address in a comment or a bracketed literal: "[104.47.73.169]", "(10.97.4.175)", "[IPv6:2603:…]". */
export function ipIn(s: string): string | undefined {
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('[', i);
    if (open < 0) break;
    const close = s.indexOf(']', open);
    if (close < 0 || close - open > 60) {
      i = open + 1;
      continue;
    }
    let inner = s.slice(open + 1, close);
    if (inner.toLowerCase().startsWith('ipv6:')) inner = inner.slice(5);
    if (isIP(inner)) return inner;
    i = close + 1;
  }
  // Exchange writes "(165.204.84.17)" and "(2603:10b6:610:54::28)"; Postfix "host (HELO) [ip]".
  for (const tok of s.split(/[\s()]+/)) {
    const t = tok.endsWith(',') ? tok.slice(0, -1) : tok;
    if (t && t.length <= 45 && isIP(t)) return t;
  }
  return undefined;
}

function readDate(text: string, row: ReceivedRow): void {
  const parsed: ParsedDate | null = parseHeaderDate(text);
  if (!parsed) {
    row.problems.push('bad-date');
    return;
  }
  row.time = parsed.ms;
  if (parsed.offsetMinutes !== undefined) row.offsetMinutes = parsed.offsetMinutes;
}

function unbracket(s: string): string {
  const t = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  return t.toLowerCase().startsWith('ipv6:') ? t.slice(5) : t;
}

/** The comment without its "helo=…" / "HELO …" claim, so the claimed name or literal is not taken for the IP. */
function withoutHelo(comment: string): string {
  const at = comment.search(/\bhelo[= ]/i);
  if (at < 0) return comment;
  let i = at + 5;
  while (i < comment.length && comment.charCodeAt(i) === 32) i++;
  while (i < comment.length && comment.charCodeAt(i) !== 32 && comment.charCodeAt(i) !== 41 && comment.charCodeAt(i) !== 9) i++;
  return comment.slice(0, at) + comment.slice(i);
}

/** Parse the value of one Received field. */
export function parseReceived(value: string, span: Span): ReceivedRow {
  const v = value.length > MAX_ROW ? value.slice(0, MAX_ROW) : value;
  const row: ReceivedRow = { problems: [], span };
  const semi = v.lastIndexOf(';');
  let clauses = v;
  if (semi >= 0) {
    clauses = v.slice(0, semi);
    const date = v.slice(semi + 1).trim();
    if (date) readDate(date, row);
    else row.problems.push('no-date');
  } else {
    row.problems.push('no-semicolon');
    // Some relays omit the ';': look for a date among the last words.
    const words = v.trim().split(/\s+/);
    const tail = words.slice(-7).join(' ');
    const parsed = parseHeaderDate(tail);
    if (parsed) {
      row.time = parsed.ms;
      if (parsed.offsetMinutes !== undefined) row.offsetMinutes = parsed.offsetMinutes;
    } else row.problems.push('no-date');
  }
  let clause: string | undefined;
  const collected = new Map<string, string[]>();
  const comments = new Map<string, string[]>();
  for (const p of pieces(clauses)) {
    if (!p.comment && CLAUSES.has(p.word.toLowerCase())) {
      clause = p.word.toLowerCase();
      if (!collected.has(clause)) collected.set(clause, []);
      continue;
    }
    if (!clause) {
      // A leading comment ("(qmail 1234 invoked from network)") or stray words.
      const list = comments.get('') ?? [];
      list.push(p.word);
      comments.set('', list);
      continue;
    }
    if (p.comment) {
      const list = comments.get(clause) ?? [];
      list.push(p.word);
      comments.set(clause, list);
    } else collected.get(clause)?.push(p.word);
  }
  const joined = (k: string) => {
    const words = collected.get(k);
    return words && words.length ? words.join(' ') : undefined;
  };
  const from = joined('from');
  if (from) row.from = from.split(' ')[0];
  const fromComment = comments.get('from')?.join(' ');
  if (fromComment) row.fromComment = fromComment;
  // "from [198.51.100.7] (port=37652 helo=[192.168.1.29])" (Exim without reverse DNS): the literal in
  // the from position is the connecting IP; an address after "helo=" is only what the client claimed.
  const literal = from ? unbracket(from.split(' ')[0] ?? '') : undefined;
  const ip = literal && isIP(literal) ? literal : ipIn(withoutHelo(fromComment ?? ''));
  if (ip) row.fromIp = ip;
  const by = joined('by');
  if (by) row.by = by.split(' ')[0];
  // qmail's "(qmail 123 invoked from network)" / "(qmail 4 invoked by uid 89)" notes a local
  // hand-over: it names no server by design, so it is not a malformed row.
  else if (!(!collected.size && QMAIL_NOTE.test(comments.get('')?.[0] ?? ''))) row.problems.push('no-by');
  const withV = joined('with');
  if (withV) row.with = withV;
  const id = joined('id');
  if (id) row.id = id.split(' ')[0];
  const forV = joined('for');
  if (forV) row.for = forV.split(' ')[0]?.replace(/^<|>$/g, '');
  const via = joined('via');
  if (via) row.via = via;
  if (!row.from && !row.by) {
    const lead = comments.get('')?.join(' ');
    if (lead) row.from = lead.slice(0, 80);
  }
  return row;
}
