// The paste as words: maximal runs of letters and digits, lowercased, each with its span.
// Used for phrases, event IDs, KB numbers and the free-text part. Linear in the text's length.
import { flatten, isWordChar } from './chars.ts';
import type { Word } from './types.ts';

export function splitWords(input: string, lowered?: string): Word[] {
  const text = flatten(input);
  const words: Word[] = [];
  // Lowercase once when that keeps every offset (it does unless a letter changes length, like 'İ').
  // `lowered`, when given, is text.toLowerCase() computed by the caller.
  const lower = flatten(lowered ?? text.toLowerCase());
  const sameOffsets = lower.length === text.length;
  let start = -1;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    let inWord = false;
    if (i < n) {
      const c = text.charCodeAt(i);
      inWord = c < 128 ? (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) : isWordChar(c, text[i] as string);
    }
    if (inWord) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      words.push({ text: sameOffsets ? lower.slice(start, i) : text.slice(start, i).toLowerCase(), start, end: i });
      start = -1;
    }
  }
  return words;
}

/** Lowercased word list of a phrase, the same way the paste is split. */
export function phraseWords(phrase: string): string[] {
  return splitWords(phrase).map((w) => w.text);
}
