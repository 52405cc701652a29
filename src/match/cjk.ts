// CJK phrases: found as substrings, since Chinese and Japanese put no spaces between words and the
// paste's word splitter (words.ts) sees a whole run of CJK characters as one word. Korean (Hangul) is
// treated alike: it spaces its words, but each carries its particles and endings ("사서함이", "사서함에"),
// so a phrase is found as a substring too, with the spaces between words skipped as for Japanese.
//
// An Aho–Corasick automaton over the phrases' code units (transitions in one hash map keyed
// state·2^16 + code unit, failure links computed once) walks the words of a paste that holds CJK
// text: every phrase in one pass, linear in the characters walked, whatever the number of phrases.
// Only the first MAX_CHARS characters are walked (bounded on a hostile paste); a paste without CJK
// text costs one look at each word's first and last character.
import type { Found } from './evidence.ts';
import type { WordBuf } from './lexicon.ts';
import { splitWords } from './words.ts';

/** Characters walked per paste, at most. */
const MAX_CHARS = 64 * 1024;

/**
 * Han, kana, the CJK symbols block, full-width forms and Hangul (syllables, compatibility jamo): the
 * scripts a CJK phrase is written in. Every one is past WIDE_FROM (lexicon.ts), so WordBuf.wide still
 * tells whether a paste may hold any.
 */
export function isCjkCode(c: number): boolean {
  return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xf900 && c <= 0xfaff) || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0xff66 && c <= 0xff9d) ||
    (c >= 0xac00 && c <= 0xd7af) || (c >= 0x3130 && c <= 0x318f);
}

/** Whether a phrase is CJK text (it holds a CJK character): such a phrase is matched as a substring. */
export function isCjkPhrase(phrase: string): boolean {
  for (let i = 0; i < phrase.length; i++) if (isCjkCode(phrase.charCodeAt(i))) return true;
  return false;
}

/** The phrase as it is looked for: its word characters lowercased, run together (the scan skips the gaps between words). */
export function cjkKey(phrase: string): string {
  let out = '';
  for (const w of splitWords(phrase)) out += w.text;
  return out;
}

/** A CjkPhraseIndex's phrases (CjkPhraseIndex.state()). */
export interface CjkPhraseState {
  keys: string[];
  ids: Int32Array;
}

export class CjkPhraseIndex {
  private readonly patterns: Array<{ key: string; id: number }> = [];
  private readonly ids = new Set<number>();
  private readonly next = new Map<number, number>();
  private fail = new Int32Array(1);
  /** Code unit -> 1 when some phrase holds it (a unit none holds has no transition from any state: back to the root). */
  private used = new Uint8Array(0);
  /** State -> condition ids ending there (its own and, through failure links, its suffixes'). */
  private out: Array<number[] | undefined> = [];
  private built = false;

  get size(): number {
    return this.patterns.length;
  }

  add(phrase: string, id: number): void {
    const key = cjkKey(phrase);
    if (key.length === 0 || this.ids.has(id)) return;
    this.ids.add(id);
    this.patterns.push({ key, id });
    this.built = false;
  }

  /** The phrases as data (the automaton is built on the first CJK paste, restored or not). */
  state(): CjkPhraseState {
    return { keys: this.patterns.map((p) => p.key), ids: Int32Array.from(this.patterns, (p) => p.id) };
  }

  /** In place of add(). */
  restore(s: CjkPhraseState): boolean {
    if (this.patterns.length !== 0 || s.keys.length !== s.ids.length) return false;
    for (let k = 0; k < s.ids.length; k++) {
      const id = s.ids[k] as number;
      this.ids.add(id);
      this.patterns.push({ key: s.keys[k] as string, id });
    }
    this.built = false;
    return true;
  }

  private build(): void {
    this.next.clear();
    this.used = new Uint8Array(65536);
    for (const { key } of this.patterns) for (let i = 0; i < key.length; i++) this.used[key.charCodeAt(i)] = 1;
    const out: Array<number[] | undefined> = [undefined];
    let states = 1;
    for (const { key, id } of this.patterns) {
      let s = 0;
      for (let i = 0; i < key.length; i++) {
        const k = s * 65536 + key.charCodeAt(i);
        let t = this.next.get(k);
        if (t === undefined) {
          t = states++;
          this.next.set(k, t);
          out.push(undefined);
        }
        s = t;
      }
      (out[s] ??= []).push(id);
    }
    // Failure links breadth first: children of each state, found by scanning the transition map once.
    const children: number[][] = Array.from({ length: states }, () => []);
    const labels = new Int32Array(states);
    for (const [k, t] of this.next) {
      children[Math.floor(k / 65536)]?.push(t);
      labels[t] = k % 65536;
    }
    const fail = new Int32Array(states);
    const queue: number[] = [...(children[0] ?? [])];
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q] as number;
      for (const t of children[s] ?? []) {
        const c = labels[t] as number;
        let f = fail[s] as number;
        let to = this.next.get(f * 65536 + c);
        while (to === undefined && f !== 0) {
          f = fail[f] as number;
          to = this.next.get(f * 65536 + c);
        }
        fail[t] = to !== undefined && to !== t ? to : 0;
        const inherited = out[fail[t] as number];
        if (inherited) out[t] = [...(out[t] ?? []), ...inherited];
        queue.push(t);
      }
    }
    this.fail = fail;
    this.out = out;
    this.built = true;
  }

  /**
   * Marks each CJK phrase found in the paste with the span of its words. Runs only on a paste with CJK
   * text; its words are read as one stream in which a one-character gap (a space: Japanese puts them
   * between katakana words, "メッセージ サイズ", and around Latin names, "Microsoft Exchange への") is
   * skipped and a longer gap starts afresh.
   */
  scan(words: WordBuf, found: Found): void {
    if (this.patterns.length === 0 || !hasCjkWord(words)) return;
    if (!this.built) this.build();
    const next = this.next;
    const fail = this.fail;
    const out = this.out;
    const used = this.used;
    let budget = MAX_CHARS;
    let s = 0;
    /** The word where the current stream began (a phrase's span starts there at the earliest). */
    let streamStart = 0;
    for (let i = 0; i < words.n && budget > 0; i++) {
      if (i > 0 && (words.start[i] as number) - (words.end[i - 1] as number) > 1) {
        s = 0;
        streamStart = i;
      }
      const len = Math.min(words.length(i), budget);
      budget -= len;
      for (let k = 0; k < len; k++) {
        const c = words.code(i, k);
        if (used[c] === 0) {
          // No phrase holds this character: the failure walk would end at the root, where nothing ends.
          s = 0;
          continue;
        }
        let t = next.get(s * 65536 + c);
        while (t === undefined && s !== 0) {
          s = fail[s] as number;
          t = next.get(s * 65536 + c);
        }
        s = t ?? 0;
        const done = out[s];
        if (done) for (const id of done) if (!found.has(id)) found.set(id, words.start[streamStart] as number, words.end[i] as number);
      }
    }
  }
}

/** Whether a word of the paste starts or ends with CJK text (a word with CJK inside nearly always does). */
function hasCjkWord(words: WordBuf): boolean {
  if (!words.wide) return false;
  for (let i = 0; i < words.n; i++) {
    if (isCjkCode(words.code(i, 0)) || isCjkCode(words.code(i, words.length(i) - 1))) return true;
  }
  return false;
}
