// The paste's words without a string per word: one pass over the characters finds each word, hashes
// its lowercased characters on the way, and looks it up in the lexicon (every word the catalog knows:
// document words with their stem class, phrase words, field words), keeping only its id and span in
// reused typed arrays. A word's text is cut out only when something needs it (a signal's value, a
// word never seen before). The same words as splitWords() (words.ts), in the same places.
import { splitWords } from './words.ts';
import { flatten, isWordChar } from './chars.ts';
import type { Word } from './types.ts';

/** Class not computed yet (see Lexicon.classOf). */
const UNCLASSIFIED = -4;
/** Words learned from pastes (to classify each once); past this, an unknown word is classified each time. */
const MAX_LEARNED = 50_000;
/** A longer unknown word is not learned (no stem, no phrase, no field word is that long). */
const MAX_LEARNED_LENGTH = 40;

export const FLAG_DOMAIN = 1;

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A lexicon as data (Lexicon.state()). */
export interface LexiconState {
  texts: string[];
  hashes: Uint32Array<ArrayBuffer>;
  cls: Int32Array<ArrayBuffer>;
  flagBits: Uint8Array<ArrayBuffer>;
  table: Int32Array<ArrayBuffer>;
  chars: Uint16Array<ArrayBuffer>;
  charStart: Int32Array<ArrayBuffer>;
  maxLength: number;
}

export class Lexicon {
  readonly texts: string[] = [];
  private hashes: Uint32Array;
  private cls: Int32Array;
  private flagBits: Uint8Array;
  /**
   * The hash table, four numbers per slot: id (-1: empty), hash, where the word's characters start in
   * `chars`, its length. A look-up reads one slot and the characters, both packed (no string visited).
   */
  private table: Int32Array;
  private slotCount: number;
  private mask: number;
  /** Every word's characters, one after another; charStart[id] is where word id's begin. */
  private chars = new Uint16Array(16384);
  private charsUsed = 0;
  private charStart: Int32Array;
  private learned = 0;
  /** The longest word in the lexicon: a longer paste word is not looked up. */
  maxLength = 0;
  private readonly classify: (word: string) => number;

  /** `expected`: about how many words will be added at once (so the table is not rebuilt as it fills). */
  constructor(classify: (word: string) => number, expected = 1024) {
    this.classify = classify;
    let capacity = 2048;
    while (capacity < expected * 2) capacity *= 2;
    this.table = new Int32Array(capacity * 4).fill(-1);
    this.slotCount = capacity;
    this.mask = capacity - 1;
    this.hashes = new Uint32Array(capacity / 2);
    this.charStart = new Int32Array(capacity / 2);
    this.cls = new Int32Array(capacity / 2);
    this.flagBits = new Uint8Array(capacity / 2);
  }

  get size(): number {
    return this.texts.length;
  }

  /**
   * Adds words known to be distinct, into an empty lexicon, from their packed form (freetext.ts
   * packWords: hashes, characters end to end, where each starts): copies, and one placement each.
   */
  adopt(words: readonly string[], classes: Int32Array, hashes: Uint32Array, chars: Int32Array, starts: Int32Array): void {
    if (this.texts.length !== 0) throw new Error('adopt() needs an empty lexicon');
    const n = words.length;
    let capacity = this.hashes.length;
    while (capacity < n + 1) capacity *= 2;
    if (capacity !== this.hashes.length) {
      this.hashes = new Uint32Array(capacity);
      this.cls = new Int32Array(capacity);
      this.flagBits = new Uint8Array(capacity);
      this.charStart = new Int32Array(capacity);
    }
    let size = this.chars.length;
    while (size < chars.length) size *= 2;
    if (size !== this.chars.length) this.chars = new Uint16Array(size);
    this.chars.set(chars);
    this.charsUsed = chars.length;
    this.hashes.set(hashes);
    this.cls.set(classes);
    this.charStart.set(starts.subarray(0, n));
    for (let i = 0; i < n; i += 8192) Array.prototype.push.apply(this.texts, words.slice(i, i + 8192));
    let slots = this.slotCount;
    while (n * 2 > slots) slots *= 2;
    if (slots !== this.slotCount) {
      this.table = new Int32Array(slots * 4).fill(-1);
      this.slotCount = slots;
      this.mask = slots - 1;
    }
    for (let id = 0; id < n; id++) {
      const len = (starts[id + 1] as number) - (starts[id] as number);
      if (len > this.maxLength) this.maxLength = len;
      this.place(id, hashes[id] as number);
    }
  }

  /** Everything the lexicon holds, copied (a warm start restores it instead of adding each word again). */
  state(): LexiconState {
    const n = this.texts.length;
    return {
      texts: this.texts.slice(), hashes: this.hashes.slice(0, n), cls: this.cls.slice(0, n), flagBits: this.flagBits.slice(0, n),
      table: this.table.slice(), chars: this.chars.slice(0, this.charsUsed), charStart: this.charStart.slice(0, n), maxLength: this.maxLength,
    };
  }

  /**
   * A lexicon from state() (its arrays taken over, not copied), or undefined when its shape is wrong
   * (lengths, a table that is no power of two or too full). The entries are taken as state() wrote them.
   */
  static restore(classify: (word: string) => number, s: LexiconState): Lexicon | undefined {
    const n = s.texts.length;
    const slots = s.table.length / 4;
    if (s.hashes.length !== n || s.cls.length !== n || s.flagBits.length !== n || s.charStart.length !== n || !Number.isInteger(s.maxLength)) return undefined;
    if (slots < 16 || (slots & (slots - 1)) !== 0 || n * 2 > slots) return undefined;
    const lex = new Lexicon(classify, 0);
    // Room to learn words as a built lexicon has: the arrays grow on demand (add()), from at least these sizes.
    const room = (len: number) => {
      let c = 1024;
      while (c < len + 1) c *= 2;
      return c;
    };
    const grown = <T extends Uint32Array | Int32Array | Uint8Array | Uint16Array>(a: T, size: number, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    const cap = room(n);
    lex.hashes = grown(s.hashes, cap, (k) => new Uint32Array(k));
    lex.cls = grown(s.cls, cap, (k) => new Int32Array(k));
    lex.flagBits = grown(s.flagBits, cap, (k) => new Uint8Array(k));
    lex.charStart = grown(s.charStart, cap, (k) => new Int32Array(k));
    lex.chars = grown(s.chars, room(s.chars.length), (k) => new Uint16Array(k));
    lex.charsUsed = s.chars.length;
    lex.table = s.table;
    lex.slotCount = slots;
    lex.mask = slots - 1;
    lex.maxLength = s.maxLength;
    for (let i = 0; i < n; i += 8192) Array.prototype.push.apply(lex.texts, s.texts.slice(i, i + 8192));
    return lex;
  }

  /** The id of word, adding it (with its class, or unclassified) when new. */
  add(word: string, cls = UNCLASSIFIED): number {
    const h = hashString(word);
    const found = this.lookupString(word, h);
    if (found >= 0) {
      if (cls !== UNCLASSIFIED) this.cls[found] = cls;
      return found;
    }
    const id = this.texts.length;
    if (id === this.hashes.length) {
      const grow = <T extends Uint32Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.hashes = grow(this.hashes, (n) => new Uint32Array(n));
      this.cls = grow(this.cls, (n) => new Int32Array(n));
      this.flagBits = grow(this.flagBits, (n) => new Uint8Array(n));
      this.charStart = grow(this.charStart, (n) => new Int32Array(n));
    }
    if (this.charsUsed + word.length > this.chars.length) {
      let size = this.chars.length * 2;
      while (size < this.charsUsed + word.length) size *= 2;
      const bigger = new Uint16Array(size);
      bigger.set(this.chars);
      this.chars = bigger;
    }
    this.charStart[id] = this.charsUsed;
    for (let k = 0; k < word.length; k++) this.chars[this.charsUsed++] = word.charCodeAt(k);
    this.texts.push(word);
    this.hashes[id] = h;
    this.cls[id] = cls;
    this.flagBits[id] = 0;
    if (word.length > this.maxLength) this.maxLength = word.length;
    if ((id + 1) * 2 > this.slotCount) this.rehash(this.slotCount * 2);
    else this.place(id, h);
    return id;
  }

  setFlag(id: number, flag: number): void {
    this.flagBits[id] = (this.flagBits[id] as number) | flag;
  }

  hasFlag(id: number, flag: number): boolean {
    return id >= 0 && ((this.flagBits[id] as number) & flag) !== 0;
  }

  /** The word's class (a stem id, or a stop word / unusable / unknown stem mark), computed once. */
  classOf(id: number): number {
    let c = this.cls[id] as number;
    if (c === UNCLASSIFIED) this.cls[id] = c = this.classify(this.texts[id] as string);
    return c;
  }

  /** Classifies a word that has no id (not learned). */
  classifyText(word: string): number {
    return this.classify(word);
  }

  private place(id: number, h: number): void {
    let slot = h & this.mask;
    while ((this.table[slot * 4] as number) >= 0) slot = (slot + 1) & this.mask;
    const b = slot * 4;
    this.table[b] = id;
    this.table[b + 1] = h | 0;
    this.table[b + 2] = this.charStart[id] as number;
    this.table[b + 3] = (this.texts[id] as string).length;
  }

  private rehash(capacity: number): void {
    this.table = new Int32Array(capacity * 4).fill(-1);
    this.slotCount = capacity;
    this.mask = capacity - 1;
    for (let id = 0; id < this.texts.length; id++) this.place(id, this.hashes[id] as number);
  }

  private lookupString(word: string, h: number): number {
    return this.lookupRange(word, 0, word.length, h);
  }

  /** The id of src[start, end) (already lowercased, hash h), or -1. */
  lookupRange(src: string, start: number, end: number, h: number): number {
    const len = end - start;
    const table = this.table;
    const chars = this.chars;
    const hi = h | 0;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const b = slot * 4;
      const id = table[b] as number;
      if (id < 0) return -1;
      if (table[b + 1] === hi && table[b + 3] === len) {
        const from = table[b + 2] as number;
        let k = 0;
        while (k < len && chars[from + k] === src.charCodeAt(start + k)) k++;
        if (k === len) return id;
      }
    }
  }

  /** The id of a paste word, learning it when it is new and short enough (-1: not known, not learned). */
  wordId(src: string, start: number, end: number, h: number): number {
    const len = end - start;
    if (len > this.maxLength && len > MAX_LEARNED_LENGTH) return -1;
    const id = len <= this.maxLength ? this.lookupRange(src, start, end, h) : -1;
    if (id >= 0 || len > MAX_LEARNED_LENGTH || this.learned >= MAX_LEARNED) return id;
    this.learned++;
    return this.add(src.slice(start, end));
  }
}

/** The words of one paste: spans and lexicon ids in reused typed arrays. */
export class WordBuf {
  n = 0;
  start = new Int32Array(1024);
  end = new Int32Array(1024);
  lex = new Int32Array(1024);
  /** Where the lowercased words are read: the lowercased paste (or, see slow, nothing). */
  src = '';
  /** When lowercasing the paste moved offsets: each word's own text. */
  slow: string[] | null = null;
  /** Whether some word may hold a code unit from U+3040 on (kana, Han …): false lets CJK checks skip the words. */
  wide = false;
  /**
   * Whether the text may hold a code unit from U+3040 on anywhere, in a word or not (kana and Han
   * punctuation, surrogates …): false, with `slow` null, lets the localised wording read its terms off these words (langtext.ts).
   */
  high = false;
  /**
   * Per word, how many words a phrase hops over when it runs into this one (the repeated prefix of a
   * multi-line SMTP reply, continuation.ts), or null when there is none.
   */
  hop: Uint8Array | null = null;

  /** A word list from splitWords() (tests, and pastes whose lowercase moves offsets). */
  static fromWords(words: readonly Word[], lexicon?: Lexicon): WordBuf {
    const b = new WordBuf();
    b.reset();
    b.wide = true;
    b.high = true;
    b.slow = [];
    for (const w of words) {
      b.slow.push(w.text);
      b.push(w.start, w.end, lexicon ? lexicon.wordId(w.text, 0, w.text.length, hashString(w.text)) : -1);
    }
    return b;
  }

  reset(): void {
    this.n = 0;
    this.src = '';
    this.slow = null;
    this.wide = false;
    this.high = false;
    this.hop = null;
  }

  push(start: number, end: number, lex: number): void {
    if (this.n === this.start.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start);
      this.end = grow(this.end);
      this.lex = grow(this.lex);
    }
    this.start[this.n] = start;
    this.end[this.n] = end;
    this.lex[this.n] = lex;
    this.n++;
  }

  /** The word's lowercased text (cut out now). */
  text(i: number): string {
    return this.slow ? (this.slow[i] as string) : this.src.slice(this.start[i], this.end[i]);
  }

  length(i: number): number {
    return this.slow ? (this.slow[i] as string).length : (this.end[i] as number) - (this.start[i] as number);
  }

  /** The k-th character code of word i. */
  code(i: number, k: number): number {
    return this.slow ? (this.slow[i] as string).charCodeAt(k) : this.src.charCodeAt((this.start[i] as number) + k);
  }

  /** Whether word i is exactly lit. */
  is(i: number, lit: string): boolean {
    if (i < 0 || i >= this.n) return false;
    if (this.slow) return this.slow[i] === lit;
    return (this.end[i] as number) - (this.start[i] as number) === lit.length && this.src.startsWith(lit, this.start[i]);
  }

  /** Whether word i is ASCII digits only from its k-th character on (and has at least one). */
  digitsFrom(i: number, k: number): boolean {
    const len = this.length(i);
    if (len <= k) return false;
    for (let j = k; j < len; j++) {
      const c = this.code(i, j);
      if (c < 48 || c > 57) return false;
    }
    return true;
  }
}

/**
 * Fills buf with the words of text (maximal runs of letters and digits, as splitWords() finds them),
 * each looked up in the lexicon by its lowercased characters. `lower` is text.toLowerCase().
 */
export function scanWords(text: string, lower: string, lexicon: Lexicon, buf: WordBuf): void {
  buf.reset();
  if (lower.length !== text.length) {
    // Lowercasing moved offsets ('İ' became two code units): words cut one by one, as splitWords does.
    const b = WordBuf.fromWords(splitWords(text), lexicon);
    buf.slow = b.slow;
    buf.wide = true;
    buf.high = true;
    for (let i = 0; i < b.n; i++) buf.push(b.start[i] as number, b.end[i] as number, b.lex[i] as number);
    return;
  }
  flatten(lower);
  buf.src = lower;
  const n = text.length;
  let start = -1;
  let h = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // An ASCII letter or digit lowercases by table; other word characters are read from `lower`.
    let lc = ASCII_LOWER[c] as number;
    if (lc === 0 && c >= 128) {
      if (c >= WIDE_FROM) buf.high = true;
      if (isWordUnit(c)) {
        lc = lower.charCodeAt(i);
        if (lc >= WIDE_FROM) buf.wide = true;
      }
    }
    if (lc !== 0) {
      if (start < 0) {
        start = i;
        h = 0x811c9dc5;
      }
      h = Math.imul(h ^ lc, 16777619);
    } else if (start >= 0) {
      buf.push(start, i, lexicon.wordId(lower, start, i, h >>> 0));
      start = -1;
    }
  }
  if (start >= 0) buf.push(start, n, lexicon.wordId(lower, start, n, h >>> 0));
}

/** The first code unit that sets WordBuf.wide (U+3040, where kana begin; every CJK code of cjk.ts is past it). */
export const WIDE_FROM = 0x3040;

/** Per code unit: its lowercase when an ASCII letter or digit, else 0. */
export const ASCII_LOWER = new Uint8Array(65536);
for (let c = 48; c <= 57; c++) ASCII_LOWER[c] = c;
for (let c = 97; c <= 122; c++) ASCII_LOWER[c] = c;
for (let c = 65; c <= 90; c++) ASCII_LOWER[c] = c + 32;

/** Non-ASCII code units seen so far: 1 a word character (isWordChar), 2 not, 0 not asked yet. */
const NON_ASCII_WORD = new Uint8Array(65536);

export function isWordUnit(c: number): boolean {
  let k = NON_ASCII_WORD[c] as number;
  if (k === 0) NON_ASCII_WORD[c] = k = isWordChar(c, String.fromCharCode(c)) ? 1 : 2;
  return k === 1;
}

