// When a number shaped like an enhanced status code ("5.2.2") is something else, by what stands
// right around it: a version ("version 5.2.2", "Exim 4.94.2", "v4.4.7", "x@4.4.7"), a section
// number ("see section 5.7.1 of the manual", "§ 5.1.1"), a part of a longer dotted number
// ("4.4.7.1"), a segment of a path or URL ("node_modules/x/4.4.7/index.js",
// "https://example.com/?v=5.2.2") or a date followed by a time ("5.1.24 10:33"). A real code keeps
// what it is: "550 5.2.2", "#5.2.2", "Status: 5.2.2", "dsn=5.2.2", "NDR 5.1.1", "(5.7.1)".
// Only a bounded stretch around the number is read (no regex), so the cost per code is constant.
import { isAsciiLetter, isDigit } from './chars.ts';
import { VERSION_TERMS, VERSION_WORDS } from './version-words.ts';

/** Words after which a dotted number is a place in a document, not a code. */
const SECTION_WORDS: ReadonlySet<string> = new Set([
  'section', 'sections', 'sect', 'chapter', 'paragraph', 'para', 'clause', 'appendix', 'annex', 'article', 'step',
  'figure', 'fig', 'table', 'page',
]);

/** The longest word looked for before the number, and how far back a URL's "://" is looked for. */
const MAX_WORD = 16;
const URL_LOOKBACK = 256;

const SLASH = 47;
const BACKSLASH = 92;
const DOT = 46;

/** Whether the code-shaped number text[start, end) is, by its context, no status code. */
export function notAStatusCode(text: string, start: number, end: number): boolean {
  const before = start > 0 ? text.charCodeAt(start - 1) : 32;
  const after = end < text.length ? text.charCodeAt(end) : 32;
  // Glued to a path separator, a version mark or an npm-style "@": a path segment or a version.
  if (before === SLASH || before === BACKSLASH || after === SLASH || after === BACKSLASH) return true;
  if (before === 64 || ((before === 118 || before === 86) && !(start > 1 && isAsciiLetter(text.charCodeAt(start - 2))))) return true;
  // Part of a longer dotted number: "4.4.7.1", "1.5.2.2".
  if (after === DOT && isDigit(text.charCodeAt(end + 1))) return true;
  if (before === DOT && start > 1 && isDigit(text.charCodeAt(start - 2))) return true;
  return wordBeforeSaysNot(text, start) || insideUrl(text, start) || followedByTime(text, end);
}

/**
 * Whether the word before `start` (only spaces between) is a version word or a section word, or a
 * '§' stands there; after one ':', '=', '-' or '_' ("Version: 5.2.2", "ver=4.4.7") only a word
 * naming a version itself counts ("Status: 5.2.2", "MailKit: 5.7.60" and "550-5.7.1" are codes).
 */
function wordBeforeSaysNot(text: string, start: number): boolean {
  let i = skipBlanks(text, start - 1);
  const c = i >= 0 ? text.charCodeAt(i) : 0;
  if (c === 0xa7) return true;
  const signed = c === 58 || c === 61 || c === 45 || c === 95;
  if (signed) i = skipBlanks(text, i - 1);
  const wordEnd = i + 1;
  while (i >= 0 && wordEnd - i <= MAX_WORD && isAsciiLetter(text.charCodeAt(i))) i--;
  const len = wordEnd - i - 1;
  // A single letter or too long a run of letters is no word of the lists.
  if (len < 2 || len >= MAX_WORD) return false;
  const word = text.slice(i + 1, wordEnd).toLowerCase();
  if (signed) return VERSION_TERMS.has(word);
  return VERSION_WORDS.has(word) || SECTION_WORDS.has(word);
}

/** The index of the last character at or before i that is no space or tab (at most 4 skipped), or -1. */
function skipBlanks(text: string, i: number): number {
  const from = i;
  while (i >= 0 && from - i < 4 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  return i;
}

/** Whether a "://" stands before `start` in the same run of non-blank characters (a URL's query or path). */
function insideUrl(text: string, start: number): boolean {
  const stop = Math.max(0, start - URL_LOOKBACK);
  for (let i = start - 1; i >= stop + 2; i--) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c === 34 || c === 39 || c === 60 || c === 62) return false;
    if (c === SLASH && text.charCodeAt(i - 1) === SLASH && text.charCodeAt(i - 2) === 58) return true;
  }
  return false;
}

/** Whether a time of day follows (one space or a comma and a space between): "5.1.24 10:33", "4.5.24, 9:05". */
function followedByTime(text: string, end: number): boolean {
  let i = end;
  if (text.charCodeAt(i) === 44) i++;
  if (text.charCodeAt(i) !== 32) return false;
  i++;
  if (!isDigit(text.charCodeAt(i))) return false;
  i++;
  if (isDigit(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === 58 && isDigit(text.charCodeAt(i + 1)) && isDigit(text.charCodeAt(i + 2));
}
