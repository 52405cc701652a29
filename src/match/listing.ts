// A listing of program source: a self-written SMTP server's command handler (`return "530 Relaying
// not allowed for policy reasons";`), a unit test that mocks the SMTP client
// (`mock.reply("550 5.1.1 User unknown")`), a library's table of replies. Its failure codes are string
// literals the program would send or expect, not replies a server gave in a session: no playbook
// reads them and the verdict is `none`.
//
// Only when all of these hold:
// - at least three lines start, after indentation, with a statement keyword (if, return, def,
//   const, private, throw, assert …);
// - every failure reply or enhanced status code (4xx, 5xx, 4.x.x, 5.x.x) sits inside a quoted string
//   on such a statement line (or on a line that assigns or returns it). A success code can be
//   anywhere ("I get invalidstatuscode for the server response "250 OK"").
// A stack trace keeps its error line outside any statement ("smtplib.SMTPAuthenticationError: (535,
// b'5.7.139 …')", "MailKit.Security.AuthenticationException: 535: 5.7.3 …"), and a printed error
// object ("response: '535 5.7.3 …',") is no statement: both stay candidates.
import type { Signal } from './types.ts';

/** Words a statement line starts with (lowercase; a following space, '(' or ':' is checked). */
const KEYWORDS = new Set([
  'if', 'else', 'elif', 'return', 'def', 'function', 'const', 'let', 'var', 'private', 'public', 'protected', 'static', 'class',
  'import', 'for', 'while', 'try', 'catch', 'except', 'throw', 'raise', 'assert', 'expect', 'it', 'describe', 'test', 'await',
]);

/** How many statement lines make a listing. */
const MIN_STATEMENTS = 3;
/** Lines looked at, at most. */
const MAX_LINES = 2000;

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Whether the line [from, to) starts, after blanks and a closing brace, with a statement keyword. */
function isStatement(text: string, from: number, to: number): boolean {
  let i = from;
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 125)) i++;
  let j = i;
  while (j < to && isLetter(text.charCodeAt(j))) j++;
  if (j === i || j - i > 9) return false;
  const next = j < to ? text.charCodeAt(j) : 10;
  // "return x", "if (", "it(", "except:"; not "Returned", not "If you …" in prose (the keywords are lowercase).
  if (next !== 32 && next !== 40 && next !== 58 && next !== 59) return false;
  const word = text.slice(i, j);
  return KEYWORDS.has(word);
}

/** Whether the line assigns or returns a value: "x = ", "=> ", ".reply(" — a literal there is the program's. */
function assigns(text: string, from: number, to: number): boolean {
  const line = text.slice(from, to);
  return line.includes(' = ') || line.includes('=>') || line.includes('return ');
}

/** Whether position `at` of the line starting at `from` is inside a quoted string ('…', "…" or `…`). */
function insideLiteral(text: string, from: number, at: number): boolean {
  let quote = 0;
  for (let i = from; i < at; i++) {
    const c = text.charCodeAt(i);
    if (quote === 0) {
      if (c === 34 || c === 39 || c === 96) quote = c;
    } else if (c === quote && text.charCodeAt(i - 1) !== 92) quote = 0;
  }
  return quote !== 0;
}

/** Whether the paste is program source whose failure codes are all string literals of its statements. */
export function isSourceListing(signals: readonly Signal[], text: string): boolean {
  let failures = 0;
  for (const s of signals) {
    if ((s.type === 'replyCode' || s.type === 'statusCode') && (s.value.charCodeAt(0) === 52 || s.value.charCodeAt(0) === 53)) failures++;
  }
  if (failures === 0) return false;
  let statements = 0;
  for (let line = 0, start = 0; line < MAX_LINES && start < text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (isStatement(text, start, end)) statements++;
    start = end + 1;
  }
  if (statements < MIN_STATEMENTS) return false;
  for (const s of signals) {
    if (s.type !== 'replyCode' && s.type !== 'statusCode') continue;
    const c = s.value.charCodeAt(0);
    if (c !== 52 && c !== 53) continue;
    const at = s.span[0];
    const from = text.lastIndexOf('\n', at - 1) + 1;
    let to = text.indexOf('\n', at);
    if (to < 0) to = text.length;
    if (!insideLiteral(text, from, at)) return false;
    if (!isStatement(text, from, to) && !assigns(text, from, to)) return false;
  }
  return true;
}

// A reference table of reply codes: a library's list of RFC 5321 replies ("* 550 - Requested action not taken:
// mailbox unavailable"), a bounce parser's map of codes to reasons ("- [x] `452` = `SystemFull`: …"), a provider's
// help table ("|535|Echec lors de l'authentification|…"). Each row opens on a reply code, set off from its
// meaning by a table's '|', a spaced dash, '=' or a dash of prose; a server's multi-line reply ("550-5.1.1 …")
// puts the dash right after the code, and a session's replies follow the code with a space and text or a status
// code, so neither is a row. With three rows of different failure codes (4xx, 5xx) the paste explains replies and
// reports none of its own.

/** Different failure codes in rows that make a code table; rows looked at, at most. */
const TABLE_CODES = 3;
const TABLE_LINES = 2000;
const tableSeen = new Int16Array(TABLE_CODES);

function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/**
 * The failure code (400–599) a table row [from, to) opens on, or -1: after blanks, list and table marks
 * ('|', '*', '-', '+', '•', '>'), a checkbox ("[x]") and a backtick or '*' of emphasis, three digits, the
 * emphasis closed, then (blanks allowed, but at least one blank or mark before a '-') '|', '=', '-', '–' or '—'.
 */
function rowCode(text: string, from: number, to: number): number {
  let i = from;
  let piped = false;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 124) piped = true;
    if (c === 32 || c === 9 || c === 124 || c === 42 || c === 45 || c === 43 || c === 62 || c === 0x2022 || c === 96) continue;
    if (c === 91 && i + 2 < to && text.charCodeAt(i + 2) === 93) { i += 2; continue; }
    break;
  }
  const enhanced = enhancedRowCode(text, i, to, piped);
  if (enhanced !== 0) return enhanced;
  if (i + 3 > to || !isDigitAt(text, i) || !isDigitAt(text, i + 1) || !isDigitAt(text, i + 2) || (i + 3 < to && isDigitAt(text, i + 3))) return -1;
  const first = text.charCodeAt(i);
  if (first !== 52 && first !== 53) return -1;
  const code = (first - 48) * 100 + (text.charCodeAt(i + 1) - 48) * 10 + (text.charCodeAt(i + 2) - 48);
  let j = i + 3;
  const columned = columnedStatus(text, j, to);
  if (columned !== 0) return columned;
  let gap = false;
  for (; j < to; j++) {
    const c = text.charCodeAt(j);
    if (c === 96 || c === 42 || c === 32 || c === 9) { gap = true; continue; }
    break;
  }
  if (j >= to) return -1;
  const sep = text.charCodeAt(j);
  if (sep === 124 || sep === 61 || sep === 0x2013 || sep === 0x2014 || (sep === 45 && gap)) return code;
  return -1;
}

/**
 * A row that opens (at `i`, marks skipped) on an enhanced status code instead of a reply code: a provider's
 * help table of NDR codes ("| 4.4.6 |", "5.1.0 - Sender denied. …", "5.2.2 – The recipient has exceeded …").
 * The code (class 4 or 5, subject and detail of one to three digits) must be followed, after blanks or a
 * closing '*' / '`', by '|', '=', '–', '—' or a spaced '-', or end the line after a '|' opened it: a report's
 * "Status: 5.1.1" opens on a word, a session's "5.1.1 <x>... User unknown" follows the code with an address,
 * and Exim's "#5.0.0 smtp; 550 …" opens on '#'. Returns a key distinct per code (> 1000), 0 for no such row.
 */
function enhancedRowCode(text: string, i: number, to: number, piped: boolean): number {
  const code = enhancedCodeAt(text, i, to);
  if (!code) return 0;
  let j = code.end;
  if (j < to && (isDigitAt(text, j) || text.charCodeAt(j) === 46)) return 0;
  let gap = false;
  for (; j < to; j++) {
    const c = text.charCodeAt(j);
    if (c === 96 || c === 42 || c === 32 || c === 9 || c === 13) { gap = true; continue; }
    break;
  }
  if (j >= to) return piped ? code.key : 0;
  const sep = text.charCodeAt(j);
  if (sep === 124 || sep === 61 || sep === 0x2013 || sep === 0x2014 || (sep === 45 && gap)) return code.key;
  return 0;
}

/**
 * A gateway's or provider's table of classification codes copied from its web page: the reply code, one blank,
 * the enhanced status code, then a column gap of two or more blanks or a tab before the meaning ("450 4.1.8
 * Sender address rejected: Domain not found  Blocked"). A server's reply puts one blank after its status code;
 * only a table's columns leave a gap there. `j` is just after the reply code; returns the enhanced code's table
 * key, 0 for no such row.
 */
function columnedStatus(text: string, j: number, to: number): number {
  if (j + 6 > to || text.charCodeAt(j) !== 32) return 0;
  const code = enhancedCodeAt(text, j + 1, to);
  if (!code || code.end + 2 > to) return 0;
  const a = text.charCodeAt(code.end);
  const b = text.charCodeAt(code.end + 1);
  return a === 9 || (a === 32 && (b === 32 || b === 9)) ? code.key : 0;
}

/** An enhanced status code at `i` (class 4 or 5, subject and detail of one to three digits): where it ends and its table key. */
function enhancedCodeAt(text: string, i: number, to: number): { end: number; key: number } | undefined {
  const cls = text.charCodeAt(i);
  if ((cls !== 52 && cls !== 53) || text.charCodeAt(i + 1) !== 46) return undefined;
  let j = i + 2;
  let subject = 0;
  let n = 0;
  for (; j < to && isDigitAt(text, j) && n < 3; j++, n++) subject = subject * 10 + text.charCodeAt(j) - 48;
  if (n === 0 || text.charCodeAt(j) !== 46) return undefined;
  j++;
  let detail = 0;
  n = 0;
  for (; j < to && isDigitAt(text, j) && n < 3; j++, n++) detail = detail * 10 + text.charCodeAt(j) - 48;
  return n === 0 ? undefined : { end: j, key: key(cls, subject, detail) };
}

/** A table key for an enhanced status code, apart from the reply codes (400–599) and positive. */
function key(cls: number, subject: number, detail: number): number {
  return 1000 + (cls - 52) * 10000 + (subject % 10) * 1000 + (detail % 1000);
}

function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * The failure code (400–599) an enum member or constant [from, to) assigns, or -1: after blanks, an
 * identifier, blanks, '=' or ':', blanks, three digits, then at most ',' or ';' and blanks to the line's
 * end ("MailboxUnavailable = 550,", "TransactionFailed = 554"). A printed error object names its code
 * among other fields ("responseCode: 535," beside "response: '535 5.7.8 …'"), so such rows count only
 * with three different codes, like the table rows.
 */
function memberCode(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  const name = i;
  while (i < to && isIdentChar(text.charCodeAt(i))) i++;
  if (i === name || isDigitAt(text, name)) return -1;
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  const eq = text.charCodeAt(i);
  if (eq !== 61 && eq !== 58) return -1;
  i++;
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (i + 3 > to || !isDigitAt(text, i) || !isDigitAt(text, i + 1) || !isDigitAt(text, i + 2)) return -1;
  const first = text.charCodeAt(i);
  if (first !== 52 && first !== 53) return -1;
  const code = (first - 48) * 100 + (text.charCodeAt(i + 1) - 48) * 10 + (text.charCodeAt(i + 2) - 48);
  let j = i + 3;
  if (j < to && (text.charCodeAt(j) === 44 || text.charCodeAt(j) === 59)) j++;
  while (j < to && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 13)) j++;
  return j === to ? code : -1;
}

function isCjkAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0x3400 && c <= 0x9fff;
}

/**
 * The failure code (400–599) a glossed row [from, to) opens on, or -1: after blanks and list marks
 * ('*', '-', '•', '>'), three digits and a blank, the server's text, then a CJK gloss in parentheses
 * that ends the line ("450 queue unavailable. (队列忙)", ">>553 host denies relay. (拒绝中继)\\r\\n" with the
 * CRLF printed as text): a translated list of a server's replies. A server's reply carries no gloss in
 * another language at its end, and Postfix's "(in reply to RCPT TO command)" is no CJK.
 */
function glossCode(text: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 42 || c === 45 || c === 62 || c === 0x2022) i++;
    else break;
  }
  if (i + 4 > to || !isDigitAt(text, i) || !isDigitAt(text, i + 1) || !isDigitAt(text, i + 2) || text.charCodeAt(i + 3) !== 32) return -1;
  const first = text.charCodeAt(i);
  if (first !== 52 && first !== 53) return -1;
  let e = to;
  while (e > i && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 13 || text.charCodeAt(e - 1) === 9)) e--;
  // The CRLF a page printed as text ("\\r\\n").
  if (e - 4 > i && text.charCodeAt(e - 4) === 92 && text.charCodeAt(e - 3) === 114 && text.charCodeAt(e - 2) === 92 && text.charCodeAt(e - 1) === 110) e -= 4;
  const close = text.charCodeAt(e - 1);
  if (close !== 41 && close !== 0xff09) return -1;
  // The gloss: back to its opening parenthesis (at most GLOSS_CHARS), CJK in it.
  let k = e - 2;
  let cjk = false;
  for (; k > i + 3 && e - k <= GLOSS_CHARS; k--) {
    const c = text.charCodeAt(k);
    if (c === 40 || c === 0xff08) break;
    if (isCjkAt(text, k)) cjk = true;
  }
  const open = text.charCodeAt(k);
  if (!cjk || (open !== 40 && open !== 0xff08)) return -1;
  return (first - 48) * 100 + (text.charCodeAt(i + 1) - 48) * 10 + (text.charCodeAt(i + 2) - 48);
}

/** Characters a row's gloss holds, at most. */
const GLOSS_CHARS = 40;

/** Keyword rows that make a provider's or help page's table of bounce keywords and their meaning. */
const GLOSS_ROWS = 3;

/**
 * The kind of a table cell line [from, to): one that ends in '|' (blanks after it allowed). 1: Latin text only
 * (a bounce keyword: "mail box is full |", "User ***@*** is disabled |"), 2: CJK text (its meaning: "送信先のメール
 * ボックスが満杯で送信できません |"), 3: both on one row, the keyword cell before the CJK one ("| user unknown | 用户不存在 |"),
 * 4: an empty cell ("|"); 0: no cell line. A Latin cell followed by a CJK one is a keyword glossed in another language: a
 * reference table of bounce messages, which a bounce or a log never is. Read only when the line ends in '|'.
 */
function cellKind(text: string, from: number, to: number): number {
  let e = to;
  while (e > from && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 13 || text.charCodeAt(e - 1) === 9)) e--;
  if (e === from || text.charCodeAt(e - 1) !== 124) return 0;
  let latin = false;
  let cjk = false;
  let latinFirst = false;
  for (let i = from; i < e - 1; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      if (!cjk) latinFirst = true;
      latin = true;
    } else if (c >= 0x3040 && c <= 0x9fff) cjk = true;
  }
  if (latin && cjk) return latinFirst ? 3 : 2;
  if (cjk) return 2;
  if (latin) return 1;
  return 4;
}

/**
 * Whether the paste holds a table of reply codes: rows (see rowCode), glossed rows (glossCode, a translated
 * list of a server's replies) or enum members (memberCode, a library's SmtpStatusCode) of TABLE_CODES
 * different failure codes.
 */
// A bounce classifier's phrase list is program source too: an array of quoted phrases, one a line
// ("'Address unknown',", "'Mailbox not found',", "\"email .*?n[o']t exist\","), that a handler matches
// bounces against. It names many failures and quotes no reply a server gave: with eight such rows, and
// seven in ten of the lines being such rows, the paste is a listing. A row that opens on a failure code
// ("'550 5.1.1 User unknown',", a log printed as an array) is no phrase row.

/** Phrase rows that make a phrase list, and the share of the paste's lines (in tenths) they must be. */
const PHRASE_ROWS = 8;
const PHRASE_SHARE = 7;

/** Whether the line [from, to) is one quoted string and nothing else but a trailing ',' (blanks around). */
function phraseRow(text: string, from: number, to: number): boolean {
  let i = from;
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  let j = to;
  while (j > i && (text.charCodeAt(j - 1) === 32 || text.charCodeAt(j - 1) === 9 || text.charCodeAt(j - 1) === 13)) j--;
  if (j > i && text.charCodeAt(j - 1) === 44) j--;
  if (j - i < 4) return false;
  const q = text.charCodeAt(i);
  if ((q !== 39 && q !== 34) || text.charCodeAt(j - 1) !== q) return false;
  for (let k = i + 1; k < j - 1; k++) if (text.charCodeAt(k) === q && text.charCodeAt(k - 1) !== 92) return false;
  const first = text.charCodeAt(i + 1);
  return !((first === 52 || first === 53) && isDigitAt(text, i + 2) && isDigitAt(text, i + 3));
}

export function isCodeTable(text: string): boolean {
  let phrases = 0;
  let filled = 0;
  let distinct = 0;
  // Keyword rows (glossRow): how many, and the kind of the last table cell line (0 none, 1 Latin, 2 CJK).
  let glossed = 0;
  let lastCell = 0;
  for (let line = 0, start = 0; line < TABLE_LINES && start < text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start) {
      filled++;
      if (phraseRow(text, start, end)) phrases++;
    }
    const cell = cellKind(text, start, end);
    if (cell === 3 || (cell === 2 && lastCell === 1)) {
      if (++glossed >= GLOSS_ROWS) return true;
    }
    // An empty cell line between a keyword and its gloss ("Host not found |\n|\n该用户不存在 |") keeps the keyword pending.
    if (cell !== 4) lastCell = cell;
    let code = rowCode(text, start, end);
    if (code < 0) code = memberCode(text, start, end);
    if (code < 0) code = glossCode(text, start, end);
    if (code > 0) {
      let known = false;
      for (let k = 0; k < distinct; k++) if (tableSeen[k] === code) known = true;
      if (!known) {
        tableSeen[distinct++] = code;
        if (distinct >= TABLE_CODES) return true;
      }
    }
    start = end + 1;
  }
  return phrases >= PHRASE_ROWS && phrases * 10 >= filled * PHRASE_SHARE;
}
