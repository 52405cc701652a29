// Multi-line SMTP replies (RFC 5321 §4.2.1): every line but the last carries the reply code and a
// dash, "550-5.7.1 Our system has detected that this message is\n550-5.7.1 likely unsolicited …\n550 5.7.1 …".
// The prefix a line repeats from the line before is no part of the wording: phrases run on across it.
// One pass over the words, each line looked at once; no regex.
import { isDigit } from './chars.ts';
import type { WordBuf } from './lexicon.ts';

/** Spaces or tabs allowed before a line's reply code (indented or quoted pastes). */
const MAX_INDENT = 16;

/**
 * Sets words.hop for each line-leading reply-code prefix ("NNN-" or "NNN ", with the status code
 * after it when there is one, "NNN-X.Y.Z ") that continues the line just before it: that line
 * started with the same code followed by a dash. `text` is the text the words' spans point into.
 */
export function markContinuations(text: string, words: WordBuf): void {
  const n = words.n;
  const start = words.start;
  const end = words.end;
  /** The previous line that started with a reply code and a dash: where it starts, and its code. */
  let prevLine = -1;
  let prevCode = -1;
  let hop: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const ws = start[i] as number;
    const we = end[i] as number;
    if (we - ws !== 3) continue;
    const c0 = text.charCodeAt(ws);
    if (c0 < 50 || c0 > 53 || !isDigit(text.charCodeAt(ws + 1)) || !isDigit(text.charCodeAt(ws + 2))) continue;
    // At the start of its line (after at most a little indentation)?
    let k = ws - 1;
    while (k >= 0 && ws - k <= MAX_INDENT && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k--;
    if (k >= 0 && text.charCodeAt(k) !== 10 && text.charCodeAt(k) !== 13) continue;
    const sep = text.charCodeAt(we);
    if (sep !== 45 && sep !== 32) continue;
    const code = (c0 - 48) * 100 + (text.charCodeAt(ws + 1) - 48) * 10 + (text.charCodeAt(ws + 2) - 48);
    const lineStart = k + 1;
    // The line just before ("\n" or "\r\n" ends it): its first line break is the one before this line.
    if (prevLine >= 0 && prevCode === code && text.charCodeAt(k) === 10 && text.indexOf('\n', prevLine) === k) {
      (hop ??= new Uint8Array(n))[i] = 1 + statusWordsAfter(text, words, i, we);
    }
    if (sep === 45) {
      prevLine = lineStart;
      prevCode = code;
    } else prevLine = -1;
  }
  words.hop = hop;
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
