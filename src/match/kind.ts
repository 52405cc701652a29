// What sort of paste this is, from its layout and markers (the kinds are listed in docs/contracts.md).
// One ordered table decides it: the first row whose markers are found names the kind. Every
// substring marker of every row is found in one pass over the lowercased head (automaton.ts).
import type { PasteKind } from '../catalog/schema.ts';
import { Automaton } from './automaton.ts';
import type { Signal } from './types.ts';

/** The kind is decided from the head of the paste; markers sit near the top. */
export const KIND_HEAD = 64 * 1024;
const HEAD = KIND_HEAD;

/**
 * How a row's markers are looked for in the lowercased head:
 * - `anywhere`: any one marker anywhere;
 * - `header-lines`: at least `atLeast` distinct markers, each at the start of a line;
 * - `dialogue-lines`: at least `atLeast` of the first 400 lines start (after blanks) with a marker,
 *   or are exactly one of `wholeLines`;
 * - `reply-codes`: the paste has a reply or enhanced status code (the signals decide, no markers).
 */
export interface KindRow {
  kind: PasteKind;
  how: 'anywhere' | 'header-lines' | 'dialogue-lines' | 'reply-codes';
  markers: readonly string[];
  wholeLines?: readonly string[];
  atLeast?: number;
}

export const KIND_TABLE: readonly KindRow[] = [
  {
    kind: 'ndr',
    how: 'anywhere',
    markers: [
      'diagnostic information for administrators', 'delivery has failed to these recipients', "your message couldn't be delivered",
      'your message could not be delivered', 'delivery status notification', 'undeliverable:', 'generating server:', 'remote server returned',
      'original message headers', 'the following recipient(s) cannot be reached', "message wasn't delivered",
    ],
  },
  {
    kind: 'headers',
    how: 'header-lines',
    atLeast: 3,
    markers: ['received:', 'message-id:', 'authentication-results:', 'x-ms-exchange-', 'dkim-signature:', 'return-path:', 'x-originating-ip:', 'mime-version:', 'content-type:'],
  },
  {
    kind: 'smtp-transcript',
    how: 'dialogue-lines',
    atLeast: 2,
    markers: ['s: ', 'c: ', '<<< ', '>>> ', '<- ', '-> ', 'ehlo ', 'helo ', 'mail from:', 'rcpt to:'],
    wholeLines: ['starttls', 'data', 'quit'],
  },
  { kind: 'message-trace', how: 'anywhere', markers: ['get-messagetrace', 'messagetraceid', 'message trace', 'get-messagetracedetail', 'get-messagetracev2', 'get-messagetracedetailv2'] },
  { kind: 'queue', how: 'anywhere', markers: ['lasterror', 'get-queue', 'get-message', 'nexthopdomain', 'deliverytype', 'retry-queue', 'messagecount'] },
  {
    kind: 'powershell',
    how: 'anywhere',
    markers: ['+ categoryinfo', 'fullyqualifiederrorid', 'pssessionopenfailed', 'at line:', '[ps] ', 'ps c:\\', 'psremotingtransportexception', 'connect-exchangeonline', 'new-pssession'],
  },
  { kind: 'event-log', how: 'anywhere', markers: ['event id', 'eventid', 'log name:', 'source:        msexchange', 'task category:', 'level:         error', 'faulting application'] },
  { kind: 'smtp-reply', how: 'reply-codes', markers: [] },
  {
    kind: 'client-dialog',
    how: 'anywhere',
    markers: [
      'microsoft outlook', 'outlook cannot', 'cannot start microsoft outlook', 'security alert', 'the name on the security certificate',
      'outlook was redirected', 'automatic reply settings', 'the connection to microsoft exchange', 'outlook must be online',
      'there is a problem with the proxy server', "we can't show mailtips", 'allow this website to configure', 'enter password', 'windows security',
    ],
  },
];

/** Each substring marker of the table once, with the rows that use it; the automaton over them. */
const patterns: string[] = [];
const rowOfPattern: number[] = [];
KIND_TABLE.forEach((row, ri) => {
  if (row.how !== 'anywhere' && row.how !== 'header-lines') return;
  for (const m of row.markers) {
    patterns.push(row.how === 'header-lines' ? `\n${m}` : m);
    rowOfPattern.push(ri);
  }
});
/** The substring markers, as found in the lowercased head after a '\n' (header markers start with one). */
export const KIND_PATTERNS: readonly string[] = patterns;
/** Built on the first paste whose markers the matcher's one-pass scan (literals.ts) did not find already (a long one). */
let automaton: Automaton | undefined;
const found = new Uint8Array(patterns.length);
const perRow = new Int32Array(KIND_TABLE.length);

const firstCharTables = new Map<KindRow, Uint8Array>();
/** The first characters of a row's markers and whole lines (a line starting otherwise is no hit). */
function firstChars(row: KindRow): Uint8Array {
  let t = firstCharTables.get(row);
  if (!t) {
    t = new Uint8Array(128);
    for (const m of [...row.markers, ...(row.wholeLines ?? [])]) t[m.charCodeAt(0)] = 1;
    firstCharTables.set(row, t);
  }
  return t;
}

/** What String.prototype.trimStart() removes (WhiteSpace and LineTerminator). */
function isJsSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/**
 * Lines (of the first 400) that start, after blanks, with a marker of the row or are one of its
 * whole lines; read in place (as head.split('\n', 400) with trimStart(), without the copies).
 */
function dialogueLines(head: string, row: KindRow): number {
  let n = 0;
  const whole = row.wholeLines ?? [];
  const firsts = firstChars(row);
  for (let line = 0, start = 0; line < 400 && start <= head.length; line++) {
    let end = head.indexOf('\n', start);
    if (end < 0) end = head.length;
    let s = start;
    while (s < end && isJsSpace(head.charCodeAt(s))) s++;
    let hit = false;
    const c = head.charCodeAt(s);
    if (s >= end || c >= 128 || firsts[c] === 0) {
      start = end + 1;
      continue;
    }
    for (const m of row.markers) if (s + m.length <= end && head.startsWith(m, s)) hit = true;
    for (const w of whole) if (end - s === w.length && head.startsWith(w, s)) hit = true;
    if (hit) n++;
    start = end + 1;
  }
  return n;
}

/**
 * `lowered`, when given, is text.toLowerCase() computed by the caller (used when it keeps the offsets).
 * `marked`, when given, says which KIND_PATTERNS occur in '\n' + lowered, found by the caller's own
 * pass (literals.ts); it is only given for a paste of at most KIND_HEAD characters whose lowercase keeps the offsets.
 */
export function detectKind(text: string, signals: readonly Signal[], lowered?: string, marked?: Uint8Array): PasteKind {
  const whole = lowered !== undefined && text.length <= HEAD && lowered.length === text.length;
  const head = whole ? lowered : text.slice(0, HEAD).toLowerCase();
  let hitOf: Uint8Array = found;
  if (marked && whole) hitOf = marked;
  else {
    found.fill(0);
    // A leading '\n' lets "\nreceived:" match a header on the first line too.
    automaton ??= new Automaton(patterns);
    automaton.scan(head, found, 0, head.length, 10);
  }
  perRow.fill(0);
  for (let p = 0; p < patterns.length; p++) {
    if (hitOf[p] === 1) {
      const ri = rowOfPattern[p] as number;
      perRow[ri] = (perRow[ri] as number) + 1;
    }
  }
  for (let ri = 0; ri < KIND_TABLE.length; ri++) {
    const row = KIND_TABLE[ri] as KindRow;
    const hits = perRow[ri] as number;
    switch (row.how) {
      case 'anywhere':
        if (hits > 0) return row.kind;
        break;
      case 'header-lines':
        if (hits >= (row.atLeast ?? 1)) return row.kind;
        break;
      case 'dialogue-lines':
        if (dialogueLines(head, row) >= (row.atLeast ?? 1)) return row.kind;
        break;
      case 'reply-codes':
        if (signals.some((s) => s.type === 'replyCode' || s.type === 'statusCode')) return row.kind;
        break;
    }
  }
  return 'free-text';
}
