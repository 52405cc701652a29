// The paste as words: maximal runs of letters and digits, lowercased, each with its span.
// Used for phrases, event IDs, KB numbers and the free-text part. Linear in the text's length.
import { isWordChar } from './chars.ts';
import type { Word } from './types.ts';

export function splitWords(text: string): Word[] {
  const words: Word[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 32;
    const inWord = i < text.length && isWordChar(code, text[i] as string);
    if (inWord) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      words.push({ text: text.slice(start, i).toLowerCase(), start, end: i });
      start = -1;
    }
  }
  return words;
}

/** Lowercased word list of a phrase, the same way the paste is split. */
export function phraseWords(phrase: string): string[] {
  return splitWords(phrase).map((w) => w.text);
}
