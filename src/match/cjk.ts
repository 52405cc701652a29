// CJK phrases: found as substrings, since Chinese and Japanese put no spaces between words and the
// paste's word splitter (words.ts) sees a whole run of CJK characters as one word.
//
// An Aho–Corasick automaton over the phrases' code units (transitions in one hash map keyed
// state·2^16 + code unit, failure links computed once) walks each word of the paste that holds CJK
// text: every phrase in one pass, linear in the characters walked, whatever the number of phrases.
// Only the first MAX_CHARS characters of CJK words are walked (bounded on a hostile paste).
import type { Found } from './evidence.ts';
import type { WordBuf } from './lexicon.ts';

/** Characters of CJK words walked per paste, at most. */
const MAX_CHARS = 64 * 1024;

/** Han, kana, the CJK symbols block and full-width forms: the scripts a CJK phrase is written in. */
export function isCjkCode(c: number): boolean {
  return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xf900 && c <= 0xfaff) || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0xff66 && c <= 0xff9d);
}

/** Whether a phrase is CJK text (it holds a CJK character): such a phrase is matched as a substring. */
export function isCjkPhrase(phrase: string): boolean {
  for (let i = 0; i < phrase.length; i++) if (isCjkCode(phrase.charCodeAt(i))) return true;
  return false;
}

/** The phrase as it is looked for: lowercased, without spaces (a CJK phrase's words run together). */
export function cjkKey(phrase: string): string {
  let out = '';
  const lower = phrase.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c !== 32 && c !== 0x3000 && c !== 9) out += lower[i];
  }
  return out;
}

export class CjkPhraseIndex {
  private readonly patterns: Array<{ key: string; id: number }> = [];
  private readonly ids = new Set<number>();
  private readonly next = new Map<number, number>();
  private fail = new Int32Array(1);
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

  private build(): void {
    this.next.clear();
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

  /** Marks each CJK phrase found in the paste's CJK words with the span of the word it is in. */
  scan(words: WordBuf, found: Found): void {
    if (this.patterns.length === 0) return;
    if (!this.built) this.build();
    const next = this.next;
    const fail = this.fail;
    const out = this.out;
    let budget = MAX_CHARS;
    for (let i = 0; i < words.n && budget > 0; i++) {
      const len = words.length(i);
      // A word with CJK text starts or ends with it ("Outlook无法连接", "邮箱已满"): others are skipped unread.
      if (!isCjkCode(words.code(i, 0)) && !isCjkCode(words.code(i, len - 1))) continue;
      let s = 0;
      const n = Math.min(len, budget);
      budget -= n;
      for (let k = 0; k < n; k++) {
        const c = words.code(i, k);
        let t = next.get(s * 65536 + c);
        while (t === undefined && s !== 0) {
          s = fail[s] as number;
          t = next.get(s * 65536 + c);
        }
        s = t ?? 0;
        const done = out[s];
        if (done) for (const id of done) if (!found.has(id)) found.set(id, words.start[i] as number, words.end[i] as number);
      }
    }
  }
}
