// An address in angle brackets inside a sentence is no part of the wording: other MTAs put the
// recipient in the middle of their phrase ("Recipient <a@example.net> does not exist", "User
// <a@example.net> unknown", "mailbox <a@example.net> is full"), so a phrase runs on across it the
// way it runs on across a multi-line reply's repeated prefix (continuation.ts, words.hop).
// One pass over the text with indexOf, a bounded look for the closing bracket; no regex.
import type { WordBuf } from './lexicon.ts';

/** Longest bracketed address looked at (an RFC 5321 path is at most 256 octets). */
const MAX_ADDRESS = 256;

/**
 * Marks, in words.hop, the first word inside each "<local@domain>" (no white space, an @ inside)
 * with the number of words up to its closing bracket. Marks already there (continuation.ts) stay.
 */
export function markAddressHops(text: string, words: WordBuf): void {
  let hop = words.hop;
  let w = 0;
  for (let lt = text.indexOf('<'); lt >= 0 && w < words.n; lt = text.indexOf('<', lt + 1)) {
    let gt = -1;
    let at = false;
    const limit = Math.min(text.length, lt + 1 + MAX_ADDRESS);
    for (let i = lt + 1; i < limit; i++) {
      const c = text.charCodeAt(i);
      if (c === 62) {
        gt = i;
        break;
      }
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 60) break;
      if (c === 64) at = true;
    }
    if (gt < 0 || !at) continue;
    while (w < words.n && (words.start[w] as number) <= lt) w++;
    let end = w;
    while (end < words.n && (words.end[end] as number) <= gt) end++;
    const count = Math.min(end - w, 255);
    if (count > 0 && (hop === null || (hop[w] as number) === 0)) (hop ??= new Uint8Array(words.n))[w] = count;
    w = end;
    lt = gt;
  }
  words.hop = hop;
}
