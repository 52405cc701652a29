// A pasted header block split into fields: "Name: value" lines with their folded continuation lines
// joined (RFC 5322 section 2.2.3), each field with the span of the paste it came from. One pass over
// the characters, no regular expression on the paste: a 5 MB paste costs time linear in its length.
import type { Span } from '../match/types.ts';

/** Analysis stops after this many characters of the paste (the report says so). */
export const MAX_HEADER_CHARS = 2 * 1024 * 1024;
/** A field longer than this is cut (Received rows are a few hundred characters; DKIM keys a few thousand). */
export const MAX_FIELD_CHARS = 64 * 1024;
/** At most this many fields are kept. */
export const MAX_FIELDS = 20_000;

export interface HeaderField {
  /** The name as written ("Received", "x-forefront-antispam-report"). */
  name: string;
  /** Lowercased name, for lookups. */
  key: string;
  /** The value with folds unfolded: CRLF + whitespace becomes one space, trimmed. */
  value: string;
  /** [start, end) of the whole field (name, colon, every continuation line) in the paste. */
  span: Span;
  /** Offset in the paste where the value starts (after "Name:" and its blanks). */
  valueStart: number;
}

export interface HeaderBlock {
  fields: HeaderField[];
  /** Characters of the paste that were read (less than its length when it was cut). */
  analysedChars: number;
  totalChars: number;
  /** Lines inside the block that were neither a field nor a continuation (prose, a dialog title). */
  strayLines: number;
}

/** A field name: printable ASCII except colon (RFC 5322 ftext), 1..76 characters, no spaces. */
function nameEnd(text: string, start: number, end: number): number {
  let i = start;
  const limit = Math.min(end, start + 77);
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === 58) return i > start ? i : -1; // ':'
    if (c <= 32 || c >= 127) return -1;
    i++;
  }
  return -1;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Skip a UTF-8 BOM and the leading lines that are not header fields (a note above the paste). */
function lineEnd(text: string, from: number, limit: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 || nl > limit ? limit : nl;
}

function trimmedEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && (text.charCodeAt(e - 1) === 13 || isBlank(text.charCodeAt(e - 1)))) e--;
  return e;
}

/**
 * Split a header paste into fields. Lines before the first field are skipped; an empty line after
 * fields were found ends the block (the body follows), unless more fields follow it (some clients
 * put empty lines between header fields when copying from a dialog).
 */
export function parseHeaderBlock(input: string): HeaderBlock {
  const totalChars = input.length;
  const limit = Math.min(input.length, MAX_HEADER_CHARS);
  const text = input;
  const fields: HeaderField[] = [];
  let strayLines = 0;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let current: { name: string; start: number; valueStart: number; parts: string[]; size: number; end: number } | null = null;
  let blankRun = 0;
  /** A field only a message's own header has (not a summary box's From/To/SPF lines) was seen. */
  let sawTransport = false;

  const flush = () => {
    if (!current) return;
    const value = current.parts.join(' ').trim();
    fields.push({ name: current.name, key: current.name.toLowerCase(), value, span: [current.start, current.end], valueStart: current.valueStart });
    current = null;
  };

  while (pos < limit && fields.length < MAX_FIELDS) {
    const end = lineEnd(text, pos, limit);
    const contentEnd = trimmedEnd(text, pos, end);
    const first = text.charCodeAt(pos);
    if (contentEnd === pos) {
      // An empty line: the end of the header block when a second one follows or a body starts.
      if (fields.length || current) blankRun++;
      pos = end + 1;
      continue;
    }
    if (isBlank(first) && current && blankRun === 0) {
      let s = pos;
      while (s < contentEnd && isBlank(text.charCodeAt(s))) s++;
      if (current.size < MAX_FIELD_CHARS) {
        const piece = text.slice(s, Math.min(contentEnd, s + MAX_FIELD_CHARS - current.size));
        current.parts.push(piece);
        current.size += piece.length + 1;
      }
      current.end = contentEnd;
      pos = end + 1;
      continue;
    }
    // Leading blanks on a field line happen when a dialog indents the whole block.
    let s = pos;
    while (s < contentEnd && isBlank(text.charCodeAt(s))) s++;
    const colon = nameEnd(text, s, contentEnd);
    // A field whose value went to the next line without the fold's blank (pasted from a dialog or
    // a table, "X-Microsoft-Antispam-Mailbox-Delivery:" then "ucf:0;jmr:0;…"): that line is the value.
    if (current && blankRun === 0 && current.size === 0 && (colon < 0 || !looksLikeFieldName(text.slice(s, colon)))) {
      const piece = text.slice(s, Math.min(contentEnd, s + MAX_FIELD_CHARS));
      current.parts = [piece];
      current.size = piece.length;
      current.end = contentEnd;
      pos = end + 1;
      continue;
    }
    // Message Header Analyzer's table copies the name alone on a line and the value on the next.
    if (colon < 0 && blankRun === 0 && isBareName(text, s, contentEnd)) {
      flush();
      current = { name: text.slice(s, contentEnd), start: s, valueStart: s, parts: [], size: 0, end: contentEnd };
      pos = end + 1;
      continue;
    }
    if (colon > 0) {
      if (blankRun > 1 && sawTransport) {
        // Two empty lines after the message's own fields: what follows is a body; stop here.
        break;
      }
      flush();
      blankRun = 0;
      let v = colon + 1;
      while (v < contentEnd && isBlank(text.charCodeAt(v))) v++;
      const firstPiece = text.slice(v, Math.min(contentEnd, v + MAX_FIELD_CHARS));
      current = { name: text.slice(s, colon), start: s, valueStart: v, parts: [firstPiece], size: firstPiece.length, end: contentEnd };
      if (!sawTransport && TRANSPORT_NAMES.has(current.name.toLowerCase())) sawTransport = true;
    } else if (fields.length || current) {
      // An empty line then prose is the body, once the message's own fields were seen; before them it
      // is the page around a paste (Gmail's summary box, its "Download original" link).
      if (blankRun > 0 && sawTransport) break;
      strayLines++;
      if (current) current.end = contentEnd;
    }
    pos = end + 1;
  }
  flush();
  return { fields, analysedChars: Math.min(pos, limit), totalChars, strayLines };
}

const TRANSPORT_NAMES = new Set(['received', 'return-path', 'delivered-to', 'authentication-results', 'arc-seal', 'arc-authentication-results', 'dkim-signature', 'message-id', 'x-received', 'received-spf', 'x-forefront-antispam-report', 'x-ms-exchange-organization-scl', 'x-microsoft-antispam']);

const STANDARD_NAMES = new Set(['received', 'from', 'to', 'cc', 'bcc', 'subject', 'date', 'sender', 'references', 'importance', 'priority', 'thread-index', 'thread-topic', 'message-id', 'return-path', 'reply-to', 'mime-version', 'content-type', 'delivered-to']);

/** A name that is a header field, not a "key:value" piece of a value ("ucf:0", "EFV:NLI"). */
function looksLikeFieldName(name: string): boolean {
  return name.includes('-') || STANDARD_NAMES.has(name.toLowerCase());
}

/** A line that is only a header name ("X-Forefront-Antispam-Report"), as MHA's table copies it. */
function isBareName(text: string, start: number, end: number): boolean {
  const len = end - start;
  if (len < 8 || len > 76) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45;
    if (!ok) return false;
  }
  const name = text.slice(start, end).toLowerCase();
  return (name.startsWith('x-') || name === 'authentication-results' || name === 'arc-authentication-results' || name === 'received-spf') && name.includes('-', 2);
}

/** Every field with this (lowercase) name, in paste order. */
export function fieldsNamed(block: HeaderBlock, key: string): HeaderField[] {
  return block.fields.filter((f) => f.key === key);
}

/** The first field with this (lowercase) name. */
export function firstField(block: HeaderBlock, key: string): HeaderField | undefined {
  return block.fields.find((f) => f.key === key);
}
