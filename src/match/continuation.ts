// Multi-line SMTP replies (RFC 5321 §4.2.1): every line but the last carries the reply code and a
// dash, "550-5.7.1 Our system has detected that this message is\n550-5.7.1 likely unsolicited …\n550 5.7.1 …".
// The prefix a line repeats from the line before is no part of the wording: phrases run on across it.
// Other MTAs quoting such a reply re-wrap it (Postfix's "said: 550-5.7.1 … this\n    message is 550-5.7.1
// likely …", sendmail's "<<< 550-5.7.1 …" transcript lines): the repeated prefixes then stand inside
// the lines, and a second pass over the words hops them too.
// One pass from line break to line break (indexOf), a few characters looked at per line; no regex.
import { isDigit } from './chars.ts';
import type { WordBuf } from './lexicon.ts';

/** Spaces or tabs allowed before a line's reply code (indented or quoted pastes). */
const MAX_INDENT = 16;

/**
 * The reply code (200-599) at `at` followed by a dash or a space, as a number; -1 when there is none.
 */
function replyCodeAt(text: string, at: number): number {
  const c0 = text.charCodeAt(at);
  if (c0 < 50 || c0 > 53) return -1;
  const c1 = text.charCodeAt(at + 1);
  const c2 = text.charCodeAt(at + 2);
  if (!isDigit(c1) || !isDigit(c2)) return -1;
  const sep = text.charCodeAt(at + 3);
  if (sep !== 45 && sep !== 32) return -1;
  return (c0 - 48) * 100 + (c1 - 48) * 10 + (c2 - 48);
}

/**
 * Sets words.hop for each line-leading reply-code prefix ("NNN-" or "NNN ", with the status code
 * after it when there is one, "NNN-X.Y.Z ") that continues the line just before it: that line
 * started with the same code followed by a dash. `text` is the text the words' spans point into.
 */
export function markContinuations(text: string, words: WordBuf): void {
  words.hop = null;
  /** The code the line before started with followed by a dash (-1: it did not). */
  let prevCode = -1;
  let hop: Uint8Array | null = null;
  // Each line, from the start of the text: `from` is where the line starts.
  for (let from = 0; from < text.length; ) {
    let at = from;
    while (at - from < MAX_INDENT && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)) at++;
    const code = replyCodeAt(text, at);
    if (code >= 0 && code === prevCode) {
      const i = wordAt(words, at);
      if (i >= 0) (hop ??= new Uint8Array(words.n))[i] = 1 + statusWordsAfter(text, words, i, at + 3);
    }
    prevCode = code >= 0 && text.charCodeAt(at + 3) === 45 ? code : -1;
    const nl = text.indexOf('\n', from);
    if (nl < 0) break;
    from = nl + 1;
  }
  words.hop = markRewrapped(text, words, hop);
}

/** Characters that may stand right before a quoted reply code ("said: 550-", "smtp;550 ", "<<< 550-", "(550-"). */
function opensCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 59 || c === 40 || c === 91 || c === 60 || c === 62 || c === 39 || c === 34 || c === 61;
}

/**
 * The prefixes of a re-wrapped multi-line reply, wherever they stand in a line: after a reply's first
 * "NNN-" (which is its start, not a repeat), each further "NNN-" with the same code is a repeat, and so
 * is the closing "NNN " once a repeat was seen (a lone "NNN " after "NNN-" may be a new reply: left alone).
 * Words the line pass marked keep their mark. One pass over the words, a few characters each.
 */
function markRewrapped(text: string, words: WordBuf, marked: Uint8Array | null): Uint8Array | null {
  let hop = marked;
  /** The code of the reply whose "NNN-" lines are running (-1: none), and whether a repeat was hopped. */
  let runCode = -1;
  let repeated = false;
  for (let i = 0; i < words.n; i++) {
    const s = words.start[i] as number;
    if ((words.end[i] as number) !== s + 3 || (s > 0 && !opensCode(text.charCodeAt(s - 1)))) continue;
    const code = replyCodeAt(text, s);
    if (code < 0) continue;
    const dash = text.charCodeAt(s + 3) === 45;
    if (hop !== null && (hop[i] as number) > 0) {
      runCode = dash ? code : -1;
      repeated = dash;
      continue;
    }
    if (code === runCode && (dash || repeated)) {
      (hop ??= new Uint8Array(words.n))[i] = 1 + statusWordsAfter(text, words, i, s + 3);
      repeated = dash;
      if (!dash) runCode = -1;
      continue;
    }
    runCode = dash ? code : -1;
    repeated = false;
  }
  return hop;
}

/** The index of the word starting at `pos` (binary search: the words are in text order), or -1. */
function wordAt(words: WordBuf, pos: number): number {
  let lo = 0;
  let hi = words.n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = words.start[mid] as number;
    if (s === pos) return mid;
    if (s < pos) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** 3 when the words after word i are an enhanced status code "X.Y.Z" right after its separator at `sepAt`, else 0. */
function statusWordsAfter(text: string, words: WordBuf, i: number, sepAt: number): number {
  if (i + 3 >= words.n) return 0;
  const s1 = words.start[i + 1] as number;
  if (s1 !== sepAt + 1) return 0;
  for (let k = i + 1; k <= i + 3; k++) {
    const s = words.start[k] as number;
    const e = words.end[k] as number;
    if (e - s > 3) return 0;
    for (let j = s; j < e; j++) if (!isDigit(text.charCodeAt(j))) return 0;
    if (k < i + 3 && (text.charCodeAt(e) !== 46 || words.start[k + 1] !== e + 1)) return 0;
  }
  return 3;
}
