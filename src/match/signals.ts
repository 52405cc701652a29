// Deterministic signal extraction: codes, components, agents, addresses, event IDs … each with its span.
// One pass over the text splits it into pieces; each piece is classified by linear scans (classify.ts).
import { isCmdlet, isComponent, isEmail, isExceptionName, isHexCode, mayEndException, isHostName, isIp, isReplyCodeShape, isStatusCode } from './classify.ts';
import { notAStatusCode } from './code-context.ts';
import { flatten, isAsciiLetter, isDigit, isSpace } from './chars.ts';
import { ASCII_LOWER, isWordUnit, scanWords, WIDE_FROM, WordBuf, type Lexicon } from './lexicon.ts';
import type { Signal, Word } from './types.ts';

/** A piece longer than this is no code, name or address (hosts are at most 253, addresses 320). */
const MAX_PIECE = 320;

/** ASCII lookup tables: 1 where a character ends a chunk (COARSE) or a piece within one (FINE). */
function table(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (const c of chars) t[c.charCodeAt(0)] = 1;
  return t;
}
const COARSE = table('<>[](){}"\'`,|; \t\n\r\v\f');
const FINE = table(':=/\\#!?*&+~^$%');

/**
 * From U+2E80 on (CJK radicals and punctuation, kana, Han, Hangul, fullwidth forms, surrogates)
 * a character ends a piece: no code, name or address holds one, and Chinese and Japanese text
 * runs straight into codes ("5.1.1收件人", "550 5.4.1リレー アクセス", "发生5.7.1错误").
 */
const WIDE_SCRIPT_FROM = 0x2e80;

interface Piece {
  text: string;
  start: number;
  end: number;
}

/** Characters trimmed from the start of a piece, of a chunk, and from the end of either. */
const LEAD_PIECE = table('#*:.-\\/');
const LEAD_CHUNK = table('#*:.-');
const TRAIL = table('.:!?-\\/');

/** Trim punctuation that ends sentences or wraps tokens. */
function trimPiece(text: string, start: number, end: number, lead = LEAD_PIECE): Piece | null {
  if (!trimBounds(text, start, end, lead)) return null;
  return { text: text.slice(trimmedStart, trimmedEnd), start: trimmedStart, end: trimmedEnd };
}

/** What trimBounds found (valid until its next call). */
let trimmedStart = 0;
let trimmedEnd = 0;

/** trimPiece without cutting the piece out: its bounds in trimmedStart/End, false when nothing (or too much) is left. */
function trimBounds(text: string, start: number, end: number, lead: Uint8Array): boolean {
  let s = start;
  let e = end;
  for (let c = text.charCodeAt(s); s < e && c < 128 && lead[c] === 1; c = text.charCodeAt(s)) s++;
  for (let c = text.charCodeAt(e - 1); e > s && c < 128 && TRAIL[c] === 1; c = text.charCodeAt(e - 1)) e--;
  trimmedStart = s;
  trimmedEnd = e;
  return e > s && e - s <= MAX_PIECE;
}

/** Past this many signals of one type, a value already seen is not recorded again (bounded memory). */
const REPEATS_KEPT = 200;

/** Collects signals; repeats of one value beyond REPEATS_KEPT per type are dropped. */
class Sink {
  readonly signals: Signal[] = [];
  /** Per type: how many were kept, and (from REPEATS_KEPT on) the values kept so far. */
  private readonly seen = new Map<Signal['type'], { values: Set<string> | null; count: number }>();

  /** Whether the signal was kept (once one is not, the same type and value never will be again). */
  emit(type: Signal['type'], value: string, start: number, end: number): boolean {
    let kind = this.seen.get(type);
    if (!kind) this.seen.set(type, (kind = { values: null, count: 0 }));
    if (kind.count >= REPEATS_KEPT) {
      // The set of values is built only for a type that reaches the limit (most pastes never do).
      kind.values ??= new Set(this.signals.filter((s) => s.type === type).map((s) => s.value));
      if (kind.values.has(value)) return false;
      kind.values.add(value);
    }
    kind.count++;
    this.signals.push({ type, value, span: [start, end] });
    return true;
  }
}

interface Emitter {
  emit(type: Signal['type'], value: string, start: number, end: number): void;
}

/** Past this many chunks in one paste, the classification of each distinct chunk text is remembered. */
const MEMO_AFTER = 2000;
const MEMO_MAX = 20_000;

/** What classifyChunk did for one chunk text, relative to the chunk's start: emits, then numbers. */
interface ChunkMemo {
  emits: Array<[Signal['type'], string, number, number]>;
  numbers: Array<[number, number]>;
  /** Set when a replay kept none of its signals: every later replay would drop them all too. */
  spent: boolean;
}

/**
 * Chunk texts already classified, by a hash of their characters (open addressing), so that a
 * repeated chunk is found without being cut out of the paste.
 */
class ChunkMemos {
  private readonly records: ChunkMemo[] = [];
  private readonly hashes = new Int32Array(MEMO_MAX);
  /** Each key's characters, end to end in one array (compared there: no string visited), where each starts and its length. */
  private pool = new Uint16Array(16384);
  private poolUsed = 0;
  private readonly keyStart = new Int32Array(MEMO_MAX);
  private readonly keyLength = new Int32Array(MEMO_MAX);
  private readonly slots = new Int32Array(MEMO_SLOTS).fill(-1);
  private slot = 0;
  private hash = 0;

  /** The record for text[start, end), or undefined (then add() stores one for it). */
  find(text: string, start: number, end: number): ChunkMemo | undefined {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    this.hash = h;
    const len = end - start;
    for (let slot = (h >>> 0) & (MEMO_SLOTS - 1); ; slot = (slot + 1) & (MEMO_SLOTS - 1)) {
      const id = this.slots[slot] as number;
      if (id < 0) {
        this.slot = slot;
        return undefined;
      }
      if (this.hashes[id] === h && this.keyLength[id] === len && this.sameAt(text, start, this.keyStart[id] as number, len)) return this.records[id];
    }
  }

  /** Whether text holds the pooled key at start. */
  private sameAt(text: string, start: number, from: number, len: number): boolean {
    const pool = this.pool;
    for (let k = 0; k < len; k++) if (text.charCodeAt(start + k) !== pool[from + k]) return false;
    return true;
  }

  /** Stores the record of the chunk text[start, end) that find() just missed (while there is room). */
  add(text: string, start: number, end: number, record: ChunkMemo): void {
    const id = this.records.length;
    if (id >= MEMO_MAX) return;
    const len = end - start;
    if (this.poolUsed + len > this.pool.length) {
      let size = this.pool.length * 2;
      while (size < this.poolUsed + len) size *= 2;
      const bigger = new Uint16Array(size);
      bigger.set(this.pool.subarray(0, this.poolUsed));
      this.pool = bigger;
    }
    const pool = this.pool;
    const from = this.poolUsed;
    for (let k = 0; k < len; k++) pool[from + k] = text.charCodeAt(start + k);
    this.poolUsed += len;
    this.records.push(record);
    this.hashes[id] = this.hash;
    this.keyStart[id] = from;
    this.keyLength[id] = len;
    this.slots[this.slot] = id;
  }
}

/** Slots of the memo table: a power of two, over twice MEMO_MAX (so a probe always ends). */
const MEMO_SLOTS = 65536;

/** classifyChunk, remembered by chunk text (a long paste repeats the same chunks many times). */
function classifyChunkMemo(text: string, start: number, end: number, out: Sink, numbers: Spans, memo: ChunkMemos): void {
  const base = start;
  const known = memo.find(text, start, end);
  if (known) {
    if (!known.spent) {
      let kept = false;
      for (const [type, value, s, e] of known.emits) if (out.emit(type, value, base + s, base + e)) kept = true;
      if (!kept) known.spent = true;
    }
    for (const [s, e] of known.numbers) numbers.push(base + s, base + e);
    return;
  }
  const record: ChunkMemo = { emits: [], numbers: [], spent: false };
  const recorder: Emitter = {
    emit(type, value, s, e) {
      record.emits.push([type, value, s - base, e - base]);
      out.emit(type, value, s, e);
    },
  };
  const from = numbers.n;
  classifyChunk(text, start, end, recorder, numbers);
  for (let k = from; k < numbers.n; k++) record.numbers.push([(numbers.start[k] as number) - base, (numbers.end[k] as number) - base]);
  memo.add(text, start, end, record);
}

/** Past this length classifyChunk looks for '@' and ':' in the chunk cut out (natively) instead of one character at a time. */
const LONG_CHUNK = 64;

/** The chunk text[start, end): an address, an X.500 name or an IPv6 address whole, else each of its pieces. */
function classifyChunk(text: string, start: number, end: number, out: Emitter, numbers: Spans): void {
  // What decides the branch, read in place: the chunk is cut out only for one of the first three.
  // A long chunk (a run of dotted digits, base64) is searched natively, as its own string.
  let at = false;
  let colons = 0;
  if (end - start > LONG_CHUNK) {
    const t = text.slice(start, end);
    at = t.includes('@');
    const first = t.indexOf(':');
    colons = first < 0 ? 0 : first === t.lastIndexOf(':') ? 1 : 2;
  } else {
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 64) {
        at = true;
        break;
      }
      if (c === 58) colons++;
    }
  }
  if (at) {
    const t = text.slice(start, end);
    const upper = t.slice(0, 8).toUpperCase();
    if (upper === 'IMCEAEX-') out.emit('imceaex', t, start, end);
    else if (upper.startsWith('MAILTO:') && isEmail(t.slice(7))) out.emit('email', t.slice(7).toLowerCase(), start + 7, end);
    else if (isEmail(t)) out.emit('email', t.toLowerCase(), start, end);
    return;
  }
  const c0 = text.charCodeAt(start);
  const c1 = text.charCodeAt(start + 1);
  if (end - start > 3 && (c0 === 47 || c0 === 92) && (c1 === 111 || c1 === 79) && text.charCodeAt(start + 2) === 61) {
    out.emit('x500', text.slice(start, end), start, end);
    return;
  }
  if (colons >= 2) {
    const t = text.slice(start, end);
    if (isIp(t)) {
      out.emit('ip', t.toLowerCase(), start, end);
      return;
    }
  }
  let pieceStart = start;
  for (let i = start; i <= end; i++) {
    const c = text.charCodeAt(i);
    if (i === end || (c < 128 ? FINE[c] === 1 : c >= WIDE_SCRIPT_FROM)) {
      // A piece that can be nothing (a word without digits first, dots or dashes, and no exception's
      // ending) is passed over without being cut out: classifyPiece would find nothing in it.
      if (trimBounds(text, pieceStart, i, LEAD_PIECE) && mayBeSignal(text, trimmedStart, trimmedEnd)) {
        classifyPiece({ text: text.slice(trimmedStart, trimmedEnd), start: trimmedStart, end: trimmedEnd }, out, numbers);
      }
      pieceStart = i + 1;
    }
  }
}

/**
 * Whether classifyPiece could find anything in text[start, end): false only for a piece that starts
 * with no digit and holds no '.' and no '-', and whose end names no exception (isExceptionName's own first test).
 */
function mayBeSignal(text: string, start: number, end: number): boolean {
  if (isDigit(text.charCodeAt(start))) return true;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 45) return true;
  }
  if (end - start < 9) return false;
  if (mayEndException(text, start, end)) return true;
  const at = text.indexOf('MapiException', start);
  return at >= 0 && at + 13 <= end;
}

function classifyPiece(p: Piece, out: Emitter, numbers: Spans): void {
  const t = p.text;
  const c0 = t.charCodeAt(0);
  if (isDigit(c0)) {
    // "550-5.7.1": a multi-line reply code glued to its status code.
    if (t.length > 4 && t[3] === '-' && isReplyCodeShape(t.slice(0, 3))) {
      numbers.push(p.start, p.start + 3);
      const rest = trimPiece(t, 4, t.length);
      if (rest) classifyPiece({ text: rest.text, start: p.start + rest.start, end: p.start + rest.end }, out, numbers);
      return;
    }
    if (isReplyCodeShape(t)) numbers.push(p.start, p.end);
    else if (isStatusCode(t)) out.emit('statusCode', t, p.start, p.end);
    else if (isHexCode(t)) out.emit('hresult', t.slice(0, 2).toLowerCase() + t.slice(2).toUpperCase(), p.start, p.end);
    else if (isIp(t)) out.emit('ip', t, p.start, p.end);
    else if (isHostName(t)) out.emit('host', t.toLowerCase(), p.start, p.end);
    return;
  }
  if (!t.includes('.')) {
    if (t.includes('-') && isCmdlet(t)) out.emit('cmdlet', t, p.start, p.end);
    else if (isExceptionName(t)) out.emit('exception', t, p.start, p.end);
    return;
  }
  if (isComponent(t)) out.emit('component', t, p.start, p.end);
  else if (isExceptionName(t)) out.emit('exception', t, p.start, p.end);
  else if (isHostName(t)) out.emit('host', t.toLowerCase(), p.start, p.end);
}

/** Characters allowed between a reply code and its status code: spaces, or the dash of "550-5.7.1". */
function onlyGap(text: string, from: number, to: number): boolean {
  if (to - from > 3) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!isSpace(c) && c !== 45) return false;
  }
  return true;
}

/**
 * True when only spaces stand between pos and the start of its line, or a ; # ' " = : > just before it,
 * or a client's marker of what the server said: "<" (Go's "- < 250-…"), "<-" and "<~" (swaks), swaks's "<**" and "<~*"
 * for a reply it counts as an error (a 5xx refusal after DATA, with no status code to lean on), or the
 * ")" that ends a log line's prefix ("(executor-thread-25) 220 …", JavaMail's debug log), each with a
 * space before the code.
 */
function lineStartBefore(text: string, pos: number): boolean {
  let i = pos - 1;
  while (i >= 0 && pos - i < 40 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  if (i < 0) return true;
  const c = text.charCodeAt(i);
  // The markers stand apart from the code ("<318 bytes" is no reply).
  const apart = i < pos - 1;
  if (apart && (c === 60 || c === 41)) return true;
  if (apart && (c === 45 || c === 126) && i > 0 && text.charCodeAt(i - 1) === 60) return true;
  if (apart && c === 42 && i > 1 && (text.charCodeAt(i - 1) === 42 || text.charCodeAt(i - 1) === 126) && text.charCodeAt(i - 2) === 60) return true;
  // A ':' glued to the number after something other than a word ("<web-address>:443", "[10.0.0.1]:587",
  // "mx.example.com:465") makes it a port; after a word ("SERVER:220", PHPMailer's echo; "退信包含:552")
  // a reply only when it is shaped like one: a second digit 0-5 ("SendReport:474", "index.js:983" are
  // line numbers).
  if (c === 58 && !apart) {
    const w = i > 0 ? text.charCodeAt(i - 1) : 0;
    return (isAsciiLetter(w) || w >= 0x3000) && text.charCodeAt(pos + 1) <= 53;
  }
  return '\n\r;#\'"=:>'.includes(text[i] as string);
}

/** Whether c is a quote: ' " or a typographic one (‘ ’ “ ”). */
function isQuote(c: number): boolean {
  return c === 39 || c === 34 || c === 0x2018 || c === 0x2019 || c === 0x201c || c === 0x201d;
}

/**
 * Where the reply text starts when the number text[start, end) opens a Python tuple or repr of an
 * SMTP reply, "(535, b'5.7.139 …')" or "(550, '5.7.0 …')" (smtplib's exceptions print them so):
 * '(' before it, then ',', at most one space, an optional string prefix (b, u, r) and a quote; else -1.
 */
function tupleReplyStart(text: string, start: number, end: number): number {
  if (start === 0 || text.charCodeAt(start - 1) !== 40 || text.charCodeAt(end) !== 44) return -1;
  let i = end + 1;
  if (text.charCodeAt(i) === 32) i++;
  const c = text.charCodeAt(i) | 0x20;
  if (c === 98 || c === 117 || c === 114) i++;
  return isQuote(text.charCodeAt(i)) ? i + 1 : -1;
}

/**
 * Whether the number text[start, end) is a 4xx/5xx reply code in parentheses after an SMTP error's
 * wording: PEAR Net_SMTP and Roundcube print "SMTP Error (535): Authentication failed", "Erreur
 * SMTP (535)", "Invalid response code received from server (535)". The word "smtp" or "response
 * code" stands at most 48 characters before the '('.
 */
function smtpErrorParens(text: string, start: number, end: number): boolean {
  if (start < 2 || text.charCodeAt(start - 1) !== 40 || text.charCodeAt(end) !== 41) return false;
  const c = text.charCodeAt(start);
  if (c !== 52 && c !== 53) return false;
  const before = text.slice(Math.max(0, start - 49), start - 1).toLowerCase();
  return before.includes('smtp') || before.includes('response code');
}

/**
 * Whether the reply text after a code starts at `at`: a letter ("550 Requested action …"), a quoted text
 * ("550 \"You are not allowed to send email\"", "550-\"[ACD14] List software not permitted", as Exim's ACL
 * messages and quoted custom replies print), or the address the reply is about ("550 <user@example.com>:
 * Recipient address rejected", "554 <host>: Relay access denied": Postfix's own reply format).
 */
function opensReplyText(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (isAsciiLetter(c)) return true;
  const d = text.charCodeAt(at + 1);
  // A quoted text is words, a sentence: a space comes before its closing quote ('550 "px"' is no reply).
  if (c === 34) {
    if (!isAsciiLetter(d) && d !== 91) return false;
    for (let i = at + 2; i < text.length && i - at < 80; i++) {
      const e = text.charCodeAt(i);
      if (e === 32) return true;
      if (e === 34 || e === 10) return false;
    }
    return false;
  }
  // "<" then an address or host and its ">:" ("<a@b.c>:", "<unknown[192.0.2.1]>:"), not a tag or a redirect ("550 <br>").
  if (c !== 60 || !isAsciiLetter(d)) return false;
  const close = text.indexOf('>', at + 2);
  if (close < 0 || close - at > 260 || text.charCodeAt(close + 1) !== 58) return false;
  for (let i = at + 2; i < close; i++) {
    const e = text.charCodeAt(i);
    if (e === 64 || e === 46) return true;
  }
  return false;
}

/**
 * A three-digit number is a reply code when a status code follows it ("550 5.1.1"), or when it
 * starts a line or follows ';', '#', a quote or '=' and is followed by text ("smtp;550 Requested action…"),
 * or when it opens a Python tuple of a reply followed by a status code ("(535, b'5.7.139 …')", "(535, '5.7.0 …')")
 * or by text in a bytes repr ("(535, b'Authentication unsuccessful')").
 */
function resolveReplyCodes(text: string, numbers: Spans, statusStarts: Map<number, Signal>, out: Sink): void {
  for (let k = 0; k < numbers.n; k++) {
    const start = numbers.start[k] as number;
    const end = numbers.end[k] as number;
    let next = end;
    while (next < text.length && next - end < 4 && (isSpace(text.charCodeAt(next)) || text.charCodeAt(next) === 45)) next++;
    const followedByStatus = statusStarts.has(next) && onlyGap(text, end, next);
    const after = text.charCodeAt(end);
    const startsReply = !followedByStatus && lineStartBefore(text, start) && next < text.length && opensReplyText(text, next) && after !== 46 && after !== 41;
    let tuple = false;
    if (!followedByStatus && !startsReply) {
      const q = tupleReplyStart(text, start, end);
      // Text alone after the quote counts only in a bytes repr (b'…': smtplib's own reply), not any Python tuple.
      tuple = q > 0 && (statusStarts.has(q) || ((text.charCodeAt(q - 2) | 0x20) === 98 && isAsciiLetter(text.charCodeAt(q))));
    }
    if (followedByStatus || startsReply || tuple || smtpErrorParens(text, start, end)) out.emit('replyCode', text.slice(start, end), start, end);
  }
}

/** Spans in reused typed arrays (the three-digit numbers that may be reply codes). */
class Spans {
  n = 0;
  start = new Int32Array(256);
  end = new Int32Array(256);

  push(start: number, end: number): void {
    if (this.n === this.start.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start);
      this.end = grow(this.end);
    }
    this.start[this.n] = start;
    this.end[this.n] = end;
    this.n++;
  }
}

/** Reused by every call (extraction is synchronous). */
const NUMBERS = new Spans();

/** "[Agent: Mailbox Rules Agent]" and "Agent: X" up to the bracket or end of line. */
function extractAgents(text: string, lower: string, out: Sink): void {
  let from = 0;
  for (;;) {
    const at = lower.indexOf('agent:', from);
    if (at < 0) return;
    from = at + 6;
    let s = from;
    while (s < text.length && text[s] === ' ') s++;
    let e = s;
    while (e < text.length && e - s < 80 && text[e] !== ']' && text[e] !== '\n' && text[e] !== '\r' && text[e] !== ';') e++;
    const name = text.slice(s, e).trim();
    if (name.length >= 3 && /^[A-Za-z]/.test(name)) out.emit('agent', name, s, s + name.length);
  }
}

const HTTP_REASONS = new Set(['unauthorized', 'forbidden', 'not', 'bad', 'internal', 'service', 'method', 'gateway', 'request', 'proxy', 'conflict', 'unavailable', 'timeout', 'moved', 'found', 'temporary', 'permanent', 'redirect', 'precondition', 'too', 'payload', 'unsupported', 'length', 'gone', 'continue', 'ok', 'no', 'accepted', 'created']);

/** Three digits, the first 1-5: the shape of an HTTP status. */
function isHttpStatusShape(words: WordBuf, i: number): boolean {
  if (words.length(i) !== 3) return false;
  const f = words.code(i, 0);
  return f >= 49 && f <= 53 && isDigit(words.code(i, 1)) && isDigit(words.code(i, 2));
}

/** Event IDs, KB numbers and HTTP statuses, which read best as words. */
function extractFromWords(text: string, words: WordBuf, out: Sink): void {
  const n = words.n;
  const start = words.start;
  const end = words.end;
  for (let i = 0; i < n; i++) {
    // Every branch below wants a word starting with 'e', 'k' or a digit 1-5.
    const c0 = words.code(i, 0);
    // A word starting with a digit can only be an HTTP status, with 'e' only "event", with 'k' only a KB.
    const digit = c0 >= 49 && c0 <= 53;
    if (c0 !== 101 && c0 !== 107 && !digit) continue;
    if (digit && words.length(i) !== 3) continue;
    const ws = start[i] as number;
    const we = end[i] as number;
    const hasNext = i + 1 < n;
    const isEvent = c0 === 101 && words.is(i, 'event');
    if ((isEvent || (c0 === 101 && words.is(i, 'eventid'))) && hasNext) {
      let num = i + 1;
      if (isEvent && words.is(i + 1, 'id')) num = i + 2;
      if (num < n && words.length(num) <= 5 && words.digitsFrom(num, 0) && (start[num] as number) - we < 12) out.emit('eventId', words.text(num), start[num] as number, end[num] as number);
    } else if (c0 === 107 && words.is(i, 'kb') && hasNext && (start[i + 1] as number) - we <= 2 && words.length(i + 1) >= 5 && words.length(i + 1) <= 8 && words.digitsFrom(i + 1, 0)) {
      out.emit('kb', words.text(i + 1), ws, end[i + 1] as number);
    } else if (c0 === 107 && words.length(i) >= 7 && words.length(i) <= 10 && words.code(i, 1) === 98 && words.digitsFrom(i, 2)) {
      out.emit('kb', words.text(i).slice(2), ws, we);
    } else if (digit && isHttpStatusShape(words, i)) {
      const nearHttp = (i > 0 && ws - (end[i - 1] as number) <= 2 && (words.is(i - 1, 'http') || words.is(i - 1, 'status') || words.is(i - 1, 'code'))) ||
        (i >= 2 && words.is(i - 2, 'http') && ws - (end[i - 2] as number) <= 8) || (i >= 3 && words.is(i - 3, 'http') && ws - (end[i - 3] as number) <= 8);
      const inParens = text[ws - 1] === '(' && text[we] === ')' && hasNext && HTTP_REASONS.has(words.text(i + 1));
      if (nearHttp || inParens) out.emit('http', words.text(i), ws, we);
    }
  }
}

/** Per code unit: ends a chunk (COARSE, no-break space), ASCII letter or digit, digit, trimmed at the end (TRAIL). */
const C_DELIM = 1;
const C_ALNUM = 2;
const C_DIGIT = 4;
const C_TRAIL = 8;
const CHUNK_CLASS = new Uint8Array(65536);
for (let c = 0; c < 128; c++) {
  const digit = c >= 48 && c <= 57;
  const alnum = digit || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  CHUNK_CLASS[c] = (COARSE[c] === 1 ? C_DELIM : 0) | (alnum ? C_ALNUM : 0) | (digit ? C_DIGIT : 0) | (TRAIL[c] === 1 ? C_TRAIL : 0);
}
CHUNK_CLASS[0xa0] = C_DELIM;
/** Typographic quotes wrap tokens as ASCII quotes do ("b’5.7.60 …" from a word processor or a forum). */
const TYPOGRAPHIC_QUOTES = [0x2018, 0x2019, 0x201c, 0x201d];
for (const q of TYPOGRAPHIC_QUOTES) CHUNK_CLASS[q] = C_DELIM;

/** Chunk shapes: anything, a word (a letter, then letters and digits), digits only. */
const PLAIN_NONE = 0;
const PLAIN_WORD = 1;
const PLAIN_DIGITS = 2;

/** '2' to '5': the first digit of a reply code. */
function isReplyCodeFirst(c: number): boolean {
  return c >= 50 && c <= 53;
}

/**
 * Whether the plain word text[start, end) could be an exception name (all else a plain word can be
 * is nothing): at least 9 characters, ending in "Exception", holding "MapiException", or an smtplib
 * class name (SMTPAuthenticationError, SMTPServerDisconnected, see classify.ts).
 */
function mayNameException(text: string, start: number, end: number): boolean {
  const len = end - start;
  if (len < 9 || len > MAX_PIECE) return false;
  if (mayEndException(text, start, end)) return true;
  for (let k = start; k + 13 <= end; k++) if (text.charCodeAt(k) === 77 && text.startsWith('MapiException', k)) return true;
  return false;
}

/** What the chunk scan leaves for extractSignals, in text order: a number that may be a reply code, or a chunk to classify. */
const PENDING_NUMBER = 0;
const PENDING_CHUNK = 1;

class Pending {
  n = 0;
  start = new Int32Array(256);
  end = new Int32Array(256);
  kind = new Uint8Array(256);

  push(start: number, end: number, kind: number): void {
    if (this.n === this.start.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start, (n) => new Int32Array(n));
      this.end = grow(this.end, (n) => new Int32Array(n));
      this.kind = grow(this.kind, (n) => new Uint8Array(n));
    }
    this.start[this.n] = start;
    this.end[this.n] = end;
    this.kind[this.n] = kind;
    this.n++;
  }
}

/** Reused by every paste (extraction is synchronous); pendingFor is the text it was filled for. */
const PENDING = new Pending();
let pendingFor: string | null = null;

/**
 * A chunk [start, end) has ended (runEnd: where its trailing punctuation starts, or -1). A chunk of
 * digits only is at most a reply code, a plain word at most an exception name: those are decided
 * here without being cut out; the rest are left to classify.
 */
function endChunk(text: string, start: number, end: number, runEnd: number, shape: number): void {
  const e = runEnd >= 0 ? runEnd : end;
  if (shape === PLAIN_DIGITS) {
    if (e - start === 3 && isReplyCodeFirst(text.charCodeAt(start))) PENDING.push(start, e, PENDING_NUMBER);
  } else if (shape !== PLAIN_WORD || mayNameException(text, start, e)) PENDING.push(start, end, PENDING_CHUNK);
}

/** The chunks of the text (runs between COARSE delimiters), into PENDING. */
function findChunks(text: string): void {
  PENDING.n = 0;
  let chunkStart = -1;
  // The chunk's shape so far (see PLAIN_*): letters and digits only, then at most a run of trailing
  // punctuation that trimming removes.
  let shape = PLAIN_NONE;
  /** Where the chunk's letters and digits end (its trailing punctuation starts), -1 while in them. */
  let runEnd = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const cls = CHUNK_CLASS[text.charCodeAt(i)] as number;
    if ((cls & C_DELIM) === 0) {
      if (chunkStart < 0) {
        chunkStart = i;
        runEnd = -1;
        shape = (cls & C_DIGIT) !== 0 ? PLAIN_DIGITS : (cls & C_ALNUM) !== 0 ? PLAIN_WORD : PLAIN_NONE;
      } else if (shape !== PLAIN_NONE) {
        if (runEnd >= 0) {
          if ((cls & C_TRAIL) === 0) shape = PLAIN_NONE;
        } else if ((cls & C_ALNUM) !== 0) {
          if (shape === PLAIN_DIGITS && (cls & C_DIGIT) === 0) shape = PLAIN_NONE;
        } else if ((cls & C_TRAIL) !== 0) runEnd = i;
        else shape = PLAIN_NONE;
      }
    } else if (chunkStart >= 0) {
      endChunk(text, chunkStart, i, runEnd, shape);
      chunkStart = -1;
    }
  }
  if (chunkStart >= 0) endChunk(text, chunkStart, n, runEnd, shape);
}

/** Per code unit: the chunk class (high byte) and the word scan's lowercase (low byte, see lexicon.ts). */
const FUSED = new Uint16Array(65536);
// Both tables are 0 past U+00FF but for the typographic quotes.
for (let c = 0; c < 256; c++) FUSED[c] = ((CHUNK_CLASS[c] as number) << 8) | (ASCII_LOWER[c] as number);
// Past U+00FF only the typographic quotes have a chunk class (they are no word units: low byte 0).
for (const q of TYPOGRAPHIC_QUOTES) FUSED[q] = C_DELIM << 8;

/**
 * The paste's words (as scanWords() finds them, lexicon.ts) and its chunks (as extractSignals would
 * find them) in one pass over the characters; extractSignals on the same text then reads the chunks.
 * `lower` is text.toLowerCase().
 */
export function scanPaste(text: string, lower: string, lexicon: Lexicon, buf: WordBuf): void {
  if (lower.length !== text.length) {
    scanWords(text, lower, lexicon, buf);
    return;
  }
  buf.reset();
  flatten(lower);
  buf.src = lower;
  PENDING.n = 0;
  const n = text.length;
  let wordStart = -1;
  let h = 0;
  let chunkStart = -1;
  let shape = PLAIN_NONE;
  let runEnd = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const f = FUSED[c] as number;
    let lc = f & 0xff;
    if (lc === 0 && c >= 128) {
      if (c >= WIDE_FROM) buf.high = true;
      if (isWordUnit(c)) {
        lc = lower.charCodeAt(i);
        if (lc >= WIDE_FROM) buf.wide = true;
      }
    }
    if (lc !== 0) {
      if (wordStart < 0) {
        wordStart = i;
        h = 0x811c9dc5;
      }
      h = Math.imul(h ^ lc, 16777619);
    } else if (wordStart >= 0) {
      buf.push(wordStart, i, lexicon.wordId(lower, wordStart, i, h >>> 0));
      wordStart = -1;
    }
    const cls = f >> 8;
    if ((cls & C_DELIM) === 0) {
      if (chunkStart < 0) {
        chunkStart = i;
        runEnd = -1;
        shape = (cls & C_DIGIT) !== 0 ? PLAIN_DIGITS : (cls & C_ALNUM) !== 0 ? PLAIN_WORD : PLAIN_NONE;
      } else if (shape !== PLAIN_NONE) {
        if (runEnd >= 0) {
          if ((cls & C_TRAIL) === 0) shape = PLAIN_NONE;
        } else if ((cls & C_ALNUM) !== 0) {
          if (shape === PLAIN_DIGITS && (cls & C_DIGIT) === 0) shape = PLAIN_NONE;
        } else if ((cls & C_TRAIL) !== 0) runEnd = i;
        else shape = PLAIN_NONE;
      }
    } else if (chunkStart >= 0) {
      endChunk(text, chunkStart, i, runEnd, shape);
      chunkStart = -1;
    }
  }
  if (wordStart >= 0) buf.push(wordStart, n, lexicon.wordId(lower, wordStart, n, h >>> 0));
  if (chunkStart >= 0) endChunk(text, chunkStart, n, runEnd, shape);
  pendingFor = text;
}

/** Every signal in the text, sorted by position. */
/** `words` as splitWords() gives them, or as the matcher keeps them (lexicon.ts). */
export function extractSignals(text: string, words: readonly Word[] | WordBuf, lowered?: string): Signal[] {
  const out = new Sink();
  const numbers = NUMBERS;
  numbers.n = 0;
  if (pendingFor !== text) findChunks(text);
  pendingFor = null;
  // The chunks in text order: numbers that may be reply codes, and chunks to classify.
  let chunks = 0;
  let memo: ChunkMemos | undefined;
  const p = PENDING;
  for (let k = 0; k < p.n; k++) {
    const s = p.start[k] as number;
    const e = p.end[k] as number;
    if (p.kind[k] === PENDING_NUMBER) {
      numbers.push(s, e);
      continue;
    }
    if (!trimBounds(text, s, e, LEAD_CHUNK)) continue;
    if (++chunks <= MEMO_AFTER) classifyChunk(text, trimmedStart, trimmedEnd, out, numbers);
    else classifyChunkMemo(text, trimmedStart, trimmedEnd, out, numbers, (memo ??= new ChunkMemos()));
  }
  dropNonCodes(text, out.signals);
  const statusStarts = new Map<number, Signal>();
  for (const s of out.signals) if (s.type === 'statusCode') statusStarts.set(s.span[0], s);
  resolveReplyCodes(text, numbers, statusStarts, out);
  extractAgents(text, lowered ?? text.toLowerCase(), out);
  extractFromWords(text, words instanceof WordBuf ? words : WordBuf.fromWords(words), out);
  const signals = sortByStart(out.signals);
  markNested(text, signals);
  return signals;
}

/** Drops the code-shaped numbers that their context makes a version, a section, a path part or a date (code-context.ts). */
function dropNonCodes(text: string, signals: Signal[]): void {
  let kept = 0;
  for (const s of signals) if (s.type !== 'statusCode' || !notAStatusCode(text, s.span[0], s.span[1])) signals[kept++] = s;
  signals.length = kept;
}

/** Up to this many signals are sorted by insertion (they come in a few ascending runs: chunks, reply codes, agents, words). */
const INSERTION_SORT_MAX = 64;

/** The signals by start, stably, as Array.prototype.sort orders them (equal starts keep their order). */
function sortByStart(signals: Signal[]): Signal[] {
  if (signals.length > INSERTION_SORT_MAX) return signals.sort((a, b) => a.span[0] - b.span[0]);
  for (let k = 1; k < signals.length; k++) {
    const s = signals[k] as Signal;
    const key = s.span[0];
    let j = k - 1;
    while (j >= 0 && (signals[j] as Signal).span[0] > key) {
      signals[j + 1] = signals[j] as Signal;
      j--;
    }
    signals[j + 1] = s;
  }
  return signals;
}

/** A status code after another one on the same line is an inner cause ("450 4.4.317 … 5.7.3 STARTTLS …"). */
function markNested(text: string, signals: Signal[]): void {
  let lastStatusEnd = -1;
  // The first newline at or after lastStatusEnd (-1: none), found again only once passed, so a
  // long paste without newlines is searched once, not once per status code.
  let nl = -2;
  for (const s of signals) {
    if (s.type !== 'statusCode') continue;
    if (lastStatusEnd >= 0) {
      if (nl === -2 || (nl >= 0 && nl < lastStatusEnd)) nl = text.indexOf('\n', lastStatusEnd);
      if (nl < 0 || nl >= s.span[0]) s.nested = true;
    }
    lastStatusEnd = s.span[1];
  }
}
