// Free-text similarity: stemmed words and word pairs weighted by TF-IDF, compared by cosine.
// natural supplies the Porter stemmer and the English stop words; we import the submodules only
// (the package root loads storage back ends and reads .env; see DESIGN.md).
//
// The index is compiled once (and cached beside the catalog, see compiled.ts): every term is an
// integer, a pair of stems is the number a·S+b, postings are flat typed arrays. Matching a paste
// looks each word's class up once (in the lexicon, lexicon.ts), collects the paste's index terms in
// first-seen order into reused buffers, and adds up the cosine over the postings: no strings built.
import { createRequire } from 'node:module';
import { hashString, type Lexicon, type WordBuf } from './lexicon.ts';
import { moodFactor } from './mood.ts';
import type { Word } from './types.ts';

const require = createRequire(import.meta.url);
/** The stemmer, loaded on first use (a warm start finds most words already classified in the cache). */
let stemmer: { stem(word: string): string } | undefined;
const porter = {
  stem(word: string): string {
    stemmer ??= require('natural/lib/natural/stemmers/porter_stemmer') as { stem(word: string): string };
    return stemmer.stem(word);
  },
};
const { words: naturalStopwords } = require('natural/lib/natural/util/stopwords') as { words: string[] };

/** Words too common in this field to tell playbooks apart. */
const DOMAIN_STOPWORDS = ['exchange', 'error', 'message', 'messages', 'mail', 'email', 'e', 'server', 'microsoft', 'please', 'following', 'information', 'com', 'contoso', 'example', 'www', 'http', 'https', 'hi', 'hello', 'thanks', 'help', 'issue', 'problem', 'get', 'got', 'getting', 'using', 'use', 'also', 'still', 'now', 'one', 'will', 'can', 'may', 'even', 'like'];
/** The placeholder names of anonymised sample bounces (sisimai's cats, RFC 2606 hosts): no error's wording. */
const PLACEHOLDER_WORDS = ['kijitora', 'shironeko', 'sironeko', 'mikeneko', 'kuroneko', 'sabineko', 'sabatora', 'hachiware', 'nekochan', 'neko', 'nyaan', 'nyaaan', 'libsisimai', 'sisimai', 'bouncehammer', 'fabrikam'];
const STOP = new Set([...naturalStopwords, ...DOMAIN_STOPWORDS, ...PLACEHOLDER_WORDS]);

/** Only the start of a long paste is used for wording; codes are found everywhere by signals.ts. */
export const MAX_WORDS = 1500;
/** Terms in more than this share of the playbooks tell none apart and are left out of the index. */
const MAX_DOC_SHARE = 0.5;
/** How many of the paste's words an explanation names. */
const TOP_TERMS = 4;

/** Word classes (non-negative values are stem ids). */
const STOPWORD = -3;
const UNUSABLE = -2;
const UNKNOWN_STEM = -1;

function usable(w: string): boolean {
  if (w.length < 2 || w.length > 40 || STOP.has(w)) return false;
  const c = w.charCodeAt(0);
  return !(c >= 48 && c <= 57);
}

/** Where a paste term (a word or a pair of words) first occurs, for explanations. */
export interface Term {
  start: number;
  end: number;
}

/** The compiled index, as cached: plain arrays and typed arrays only. */
export interface TextIndexData {
  docIds: string[];
  /** Every stem of the documents; its index is the stem id. */
  stems: string[];
  /** Document words and their class (stem id, or STOPWORD / UNUSABLE), to skip the stemmer. */
  words: string[];
  wordClass: Int32Array;
  /** The same words for the lexicon (lexicon.ts): each one's hash, and their characters end to end (wordStarts[i] where word i's begin). */
  wordHashes: Uint32Array;
  wordChars: Int32Array;
  wordStarts: Int32Array;
  /** stem id -> term index, or -1 when the stem alone is no term of the index. */
  unigramTerm: Int32Array;
  /** Pair terms: sorted keys a·S+b and their term indexes. */
  pairKeys: Float64Array;
  pairTerm: Int32Array;
  /** The same pairs as an open-addressing table (power-of-two size, -1 in pairA: empty slot). */
  pairA: Int32Array;
  pairB: Int32Array;
  pairT: Int32Array;
  /** term index -> idf and its postings (docs ascending) in postDocs/postWeights[postStart[t]..postStart[t+1]). */
  idf: Float64Array;
  postStart: Int32Array;
  postDocs: Int32Array;
  postWeights: Float64Array;
}

/** Build the index from one document per playbook (the weights exactly as the reference computes them). */
export function compileTextIndex(docs: ReadonlyArray<{ id: string; words: Word[] }>): TextIndexData {
  const stemOf = new Map<string, string>();
  const stemFor = (w: string) => {
    let s = stemOf.get(w);
    if (s === undefined) stemOf.set(w, (s = porter.stem(w)));
    return s;
  };
  const stemIds = new Map<string, number>();
  const stemId = (s: string) => {
    let id = stemIds.get(s);
    if (id === undefined) stemIds.set(s, (id = stemIds.size));
    return id;
  };
  const wordClass = new Map<string, number>();
  const tfs = docs.map((d) => {
    const tf = new Map<string, number>();
    let prev: string | null = null;
    for (const word of d.words) {
      const w = word.text;
      if (!usable(w)) {
        if (!STOP.has(w)) prev = null;
        if (!wordClass.has(w)) wordClass.set(w, STOP.has(w) ? STOPWORD : UNUSABLE);
        continue;
      }
      const s = stemFor(w);
      if (!wordClass.has(w)) wordClass.set(w, stemId(s));
      tf.set(s, (tf.get(s) ?? 0) + 1);
      if (prev) tf.set(`${prev} ${s}`, (tf.get(`${prev} ${s}`) ?? 0) + 1);
      prev = s;
    }
    return tf;
  });
  const df = new Map<string, number>();
  for (const tf of tfs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const N = docs.length;
  const idfOf = new Map<string, number>();
  for (const [t, d] of df) if (d <= Math.max(1, N * MAX_DOC_SHARE)) idfOf.set(t, Math.log((N + 1) / d));
  const lists = new Map<string, Array<[number, number]>>();
  tfs.forEach((tf, di) => {
    const weights = new Map<string, number>();
    let norm = 0;
    for (const [t, f] of tf) {
      const w = (1 + Math.log(f)) * (idfOf.get(t) ?? 0);
      if (w > 0) weights.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of weights) {
      let list = lists.get(t);
      if (!list) lists.set(t, (list = []));
      list.push([di, w / norm]);
    }
  });
  const S = stemIds.size;
  const unigramTerm = new Int32Array(S).fill(-1);
  const pairs: Array<[number, number]> = [];
  const idf: number[] = [];
  const postStart: number[] = [0];
  const postDocs: number[] = [];
  const postWeights: number[] = [];
  for (const [t, list] of lists) {
    const ti = idf.length;
    idf.push(idfOf.get(t) as number);
    for (const [d, w] of list) {
      postDocs.push(d);
      postWeights.push(w);
    }
    postStart.push(postDocs.length);
    const space = t.indexOf(' ');
    if (space < 0) unigramTerm[stemIds.get(t) as number] = ti;
    else pairs.push([(stemIds.get(t.slice(0, space)) as number) * S + (stemIds.get(t.slice(space + 1)) as number), ti]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return {
    docIds: docs.map((d) => d.id),
    stems: [...stemIds.keys()],
    words: [...wordClass.keys()],
    wordClass: Int32Array.from(wordClass.values()),
    ...packWords([...wordClass.keys()]),
    unigramTerm,
    pairKeys: Float64Array.from(pairs, (p) => p[0]),
    pairTerm: Int32Array.from(pairs, (p) => p[1]),
    ...pairTable(pairs, S),
    idf: Float64Array.from(idf),
    postStart: Int32Array.from(postStart),
    postDocs: Int32Array.from(postDocs),
    postWeights: Float64Array.from(postWeights),
  };
}

/** The result of one similarity computation; valid until the index computes the next. */
export interface TextScores {
  sims: Float64Array;
  /** The paste terms that add most to a document (prepared by explain() for the documents shown). */
  topTerms(docIndex: number): Term[];
  /** Works out the top terms of docs[0, count) in one walk over the paste terms' postings. */
  explain(docs: ArrayLike<number>, count: number): void;
}

/** What a TextIndex derives from its data: the pair table interleaved (a slot's three numbers together) and its bit table. */
export interface TextIndexDerived {
  pairs: Int32Array<ArrayBuffer>;
  pairBits: Int32Array<ArrayBuffer>;
}

/** A TF-IDF index over one document per playbook. */
export class TextIndex {
  readonly docIds: string[];
  readonly data: TextIndexData;
  private readonly stemCount: number;
  private readonly stemIds = new Map<string, number>();
  /** Pair terms in an open-addressing table: stems (a, b) -> term index, three numbers a slot (a -1: empty), so a probe reads one place. */
  private readonly pairs: Int32Array<ArrayBuffer>;
  private readonly pairMask: number;
  /**
   * One bit per hash of a pair the table holds (PAIR_BITS of them, small enough to stay in the cache): a
   * clear bit says the pair is not there without a probe (most adjacent words of a paste are no pair term).
   */
  private readonly pairBits: Int32Array<ArrayBuffer>;
  // Buffers reused by every paste (the matcher is synchronous: one paste at a time).
  private readonly seen: Int32Array;
  private generation = 0;
  private qTerm = new Int32Array(256);
  private qStart = new Int32Array(256);
  private qEnd = new Int32Array(256);
  private qCount = 0;
  private readonly sims: Float64Array;
  /** Each paste term's query weight (idf / norm), kept for the explanations. */
  private qWeight = new Float64Array(256);
  /** explain(): document -> its slot (-1: none), and per slot its top terms (paste term index, weight). */
  private readonly docSlot: Int32Array;
  private slotDoc = new Int32Array(0);
  private slotTerm = new Int32Array(0);
  private slotWeight = new Float64Array(0);
  private slotCount = 0;
  /** The generation the slots were filled for (a later paste's topTerms() must not read them). */
  private slotGeneration = -1;
  private readonly scores: TextScores = {
    sims: new Float64Array(0),
    topTerms: (di: number) => this.topTermsOf(di),
    explain: (docs: ArrayLike<number>, count: number) => this.explain(docs, count),
  };

  /**
   * `derived`: what derived() gave for this same data (a warm start), taken over when the lengths fit,
   * else computed (a loop over every slot of the pair table: a measurable part of a cold start).
   */
  constructor(data: TextIndexData, derived?: TextIndexDerived) {
    this.data = data;
    this.docIds = data.docIds;
    this.stemCount = data.stems.length;
    this.pairMask = data.pairA.length - 1;
    if (derived && derived.pairs.length === data.pairA.length * 3 && derived.pairBits.length === PAIR_BITS >> 5) {
      this.pairs = derived.pairs;
      this.pairBits = derived.pairBits;
    } else {
      this.pairs = interleavePairs(data.pairA, data.pairB, data.pairT);
      this.pairBits = new Int32Array(PAIR_BITS >> 5);
      for (let slot = 0; slot < data.pairA.length; slot++) {
        const a = data.pairA[slot] as number;
        if (a < 0) continue;
        const bit = pairBit(a, data.pairB[slot] as number);
        this.pairBits[bit >> 5] = (this.pairBits[bit >> 5] as number) | (1 << (bit & 31));
      }
    }
    this.seen = new Int32Array(data.idf.length);
    const n = data.docIds.length;
    this.sims = new Float64Array(n);
    this.scores.sims = this.sims;
    this.docSlot = new Int32Array(n).fill(-1);
  }

  /** The tables the constructor derives from the data (for a warm start to take over, see MatcherTables). */
  derived(): TextIndexDerived {
    return { pairs: this.pairs.slice(), pairBits: this.pairBits.slice() };
  }

  static build(docs: ReadonlyArray<{ id: string; words: Word[] }>): TextIndex {
    return new TextIndex(compileTextIndex(docs));
  }

  /** A word's class: a stem id, or STOPWORD / UNUSABLE / UNKNOWN_STEM (the lexicon keeps it per word). */
  classify(w: string): number {
    if (usable(w)) {
      // Built on the first word the lexicon does not know (a warm start may never need it).
      if (this.stemIds.size === 0) this.data.stems.forEach((s, i) => this.stemIds.set(s, i));
      return this.stemIds.get(porter.stem(w)) ?? UNKNOWN_STEM;
    }
    return STOP.has(w) ? STOPWORD : UNUSABLE;
  }

  /** The term index of the pair (a, b), or -1. */
  private pairTermOf(a: number, b: number): number {
    const pairs = this.pairs;
    for (let slot = pairHash(a, b) & this.pairMask; ; slot = (slot + 1) & this.pairMask) {
      const x = pairs[slot * 3] as number;
      if (x < 0) return -1;
      if (x === a && pairs[slot * 3 + 1] === b) return pairs[slot * 3 + 2] as number;
    }
  }

  private push(term: number, start: number, end: number): void {
    if (this.seen[term] === this.generation) return;
    this.seen[term] = this.generation;
    if (this.qCount === this.qTerm.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.qTerm = grow(this.qTerm);
      this.qStart = grow(this.qStart);
      this.qEnd = grow(this.qEnd);
    }
    this.qTerm[this.qCount] = term;
    this.qStart[this.qCount] = start;
    this.qEnd[this.qCount] = end;
    this.qCount++;
  }

  /**
   * Cosine similarity of the paste's words to every document (by document index), and for each
   * document the TOP_TERMS paste terms that add most to it (to explain the similarity). Terms are
   * taken in the order they first occur, unigrams and adjacent pairs of usable words (stop words
   * are skipped over, other unusable words break a pair).
   */
  /** `skip`: per word, 1 to leave it out of the wording (a delivery report's envelope lines, envelope.ts). */
  similarities(words: WordBuf, lexicon: Lexicon, skip?: Uint8Array): TextScores {
    const d = this.data;
    if (++this.generation === 0x7fffffff) {
      this.generation = 1;
      this.seen.fill(0);
    }
    this.qCount = 0;
    this.slotGeneration = -1;
    let prev = UNUSABLE;
    let prevStart = 0;
    const n = Math.min(words.n, MAX_WORDS);
    const lex = words.lex;
    const wordStart = words.start;
    const wordEnd = words.end;
    const pairBits = this.pairBits;
    for (let i = 0; i < n; i++) {
      if (skip !== undefined && skip[i] === 1) {
        prev = UNUSABLE;
        continue;
      }
      const id = lex[i] as number;
      const s = id >= 0 ? lexicon.classOf(id) : words.length(i) > 40 ? UNUSABLE : lexicon.classifyText(words.text(i));
      if (s === STOPWORD) continue;
      if (s === UNUSABLE) {
        prev = UNUSABLE;
        continue;
      }
      const ws = wordStart[i] as number;
      const we = wordEnd[i] as number;
      if (s >= 0) {
        const t = d.unigramTerm[s] as number;
        if (t >= 0) this.push(t, ws, we);
        const bit = prev >= 0 ? pairBit(prev, s) : 0;
        if (prev >= 0 && ((pairBits[bit >> 5] as number) & (1 << (bit & 31))) !== 0) {
          const p = this.pairTermOf(prev, s);
          if (p >= 0) this.push(p, prevStart, we);
        }
      }
      prev = s;
      prevStart = ws;
    }
    const sims = this.sims;
    const idfs = d.idf;
    const postStart = d.postStart;
    const postDocs = d.postDocs;
    const postWeights = d.postWeights;
    const qTerm = this.qTerm;
    const qCount = this.qCount;
    if (this.qWeight.length < qCount) this.qWeight = new Float64Array(this.qTerm.length);
    const qWeight = this.qWeight;
    sims.fill(0);
    let qnorm = 0;
    for (let q = 0; q < qCount; q++) {
      const idf = idfs[qTerm[q] as number] as number;
      qnorm += idf * idf;
    }
    qnorm = Math.sqrt(qnorm) || 1;
    // A description that tells of trouble counts its wording more, a question that names none less (mood.ts).
    const mood = qCount > 0 ? moodFactor(words, lexicon) : 1;
    for (let q = 0; q < qCount; q++) {
      const t = qTerm[q] as number;
      const qw = ((idfs[t] as number) / qnorm) * mood;
      qWeight[q] = qw;
      const end = postStart[t + 1] as number;
      for (let p = postStart[t] as number; p < end; p++) {
        const di = postDocs[p] as number;
        sims[di] = (sims[di] as number) + qw * (postWeights[p] as number);
      }
    }
    return this.scores;
  }

  /**
   * The top terms of several documents at once: each paste term's postings walked once, a posting of
   * a marked document offered to that document's top list, the terms in paste order as topTermsOf()
   * takes them (so the lists come out the same).
   */
  private explain(docs: ArrayLike<number>, count: number): void {
    const d = this.data;
    if (this.slotDoc.length < count) {
      this.slotDoc = new Int32Array(count);
      this.slotTerm = new Int32Array(count * TOP_TERMS);
      this.slotWeight = new Float64Array(count * TOP_TERMS);
    }
    const docSlot = this.docSlot;
    const slotTerm = this.slotTerm;
    const slotWeight = this.slotWeight;
    for (let k = 0; k < count; k++) {
      const di = docs[k] as number;
      this.slotDoc[k] = di;
      docSlot[di] = k;
    }
    slotTerm.fill(-1, 0, count * TOP_TERMS);
    slotWeight.fill(0, 0, count * TOP_TERMS);
    const postStart = d.postStart;
    const postDocs = d.postDocs;
    const postWeights = d.postWeights;
    // A long posting list is searched for each document (halving), a short one walked once.
    const searchFrom = count * 24;
    for (let q = 0; q < this.qCount; q++) {
      const t = this.qTerm[q] as number;
      const qw = this.qWeight[q] as number;
      const start = postStart[t] as number;
      const end = postStart[t + 1] as number;
      if (end - start > searchFrom) {
        for (let slot = 0; slot < count; slot++) {
          const p = findPosting(postDocs, start, end, docs[slot] as number);
          if (p >= 0) offer(slotTerm, slotWeight, slot * TOP_TERMS, q, qw * (postWeights[p] as number));
        }
        continue;
      }
      for (let p = start; p < end; p++) {
        const slot = docSlot[postDocs[p] as number] as number;
        if (slot >= 0) offer(slotTerm, slotWeight, slot * TOP_TERMS, q, qw * (postWeights[p] as number));
      }
    }
    for (let k = 0; k < count; k++) docSlot[docs[k] as number] = -1;
    this.slotCount = count;
    this.slotGeneration = this.generation;
  }

  /**
   * The TOP_TERMS paste terms that add most to document di's similarity, asked only for the few
   * documents shown: each term's weight in di found by binary search in its postings (documents
   * ascending), the terms taken in paste order as the sum took them (so ties break the same way).
   */
  private topTermsOf(di: number): Term[] {
    if (this.slotGeneration === this.generation) {
      for (let k = 0; k < this.slotCount; k++) {
        if (this.slotDoc[k] !== di) continue;
        const out: Term[] = [];
        for (let j = k * TOP_TERMS; j < (k + 1) * TOP_TERMS; j++) {
          const q = this.slotTerm[j] as number;
          if (q >= 0) out.push({ start: this.qStart[q] as number, end: this.qEnd[q] as number });
        }
        return out;
      }
    }
    const d = this.data;
    const topWeight = new Float64Array(TOP_TERMS);
    const topTerm = new Int32Array(TOP_TERMS).fill(-1);
    for (let q = 0; q < this.qCount; q++) {
      const t = this.qTerm[q] as number;
      let lo = d.postStart[t] as number;
      let hi = (d.postStart[t + 1] as number) - 1;
      let p = -1;
      // Most posting lists are a few documents long: walk those, halve the long ones.
      while (hi - lo > 8) {
        const mid = (lo + hi) >> 1;
        if ((d.postDocs[mid] as number) < di) lo = mid + 1;
        else hi = mid;
      }
      for (; lo <= hi; lo++) {
        const doc = d.postDocs[lo] as number;
        if (doc >= di) {
          if (doc === di) p = lo;
          break;
        }
      }
      if (p < 0) continue;
      const c = (this.qWeight[q] as number) * (d.postWeights[p] as number);
      if (c <= (topWeight[TOP_TERMS - 1] as number)) continue;
      let k = TOP_TERMS - 1;
      while (k > 0 && c > (topWeight[k - 1] as number)) {
        topWeight[k] = topWeight[k - 1] as number;
        topTerm[k] = topTerm[k - 1] as number;
        k--;
      }
      topWeight[k] = c;
      topTerm[k] = q;
    }
    const out: Term[] = [];
    for (let k = 0; k < TOP_TERMS; k++) {
      const q = topTerm[k] as number;
      if (q >= 0) out.push({ start: this.qStart[q] as number, end: this.qEnd[q] as number });
    }
    return out;
  }
}

/** The position of doc in the ascending postDocs[start, end), or -1. */
function findPosting(postDocs: Int32Array, start: number, end: number, doc: number): number {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = postDocs[mid] as number;
    if (d === doc) return mid;
    if (d < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Offers paste term q adding c to one document's top list (base: the list's first slot); a tie keeps the earlier term. */
function offer(slotTerm: Int32Array, slotWeight: Float64Array, base: number, q: number, c: number): void {
  if (c <= (slotWeight[base + TOP_TERMS - 1] as number)) return;
  let k = TOP_TERMS - 1;
  while (k > 0 && c > (slotWeight[base + k - 1] as number)) {
    slotWeight[base + k] = slotWeight[base + k - 1] as number;
    slotTerm[base + k] = slotTerm[base + k - 1] as number;
    k--;
  }
  slotWeight[base + k] = c;
  slotTerm[base + k] = q;
}

/** The document words as the lexicon stores them (so a warm start adopts them without hashing each). */
function packWords(words: readonly string[]): { wordHashes: Uint32Array; wordChars: Int32Array; wordStarts: Int32Array } {
  const wordStarts = new Int32Array(words.length + 1);
  words.forEach((w, i) => (wordStarts[i + 1] = (wordStarts[i] as number) + w.length));
  const wordChars = new Int32Array(wordStarts[words.length] as number);
  words.forEach((w, i) => {
    for (let k = 0; k < w.length; k++) wordChars[(wordStarts[i] as number) + k] = w.charCodeAt(k);
  });
  return { wordHashes: Uint32Array.from(words, hashString), wordChars, wordStarts };
}

/** The pair terms (keys a·S+b) in an open-addressing table, built once with the index. */
function pairTable(pairs: ReadonlyArray<[number, number]>, S: number): { pairA: Int32Array; pairB: Int32Array; pairT: Int32Array } {
  let capacity = 16;
  while (capacity < pairs.length * 2) capacity *= 2;
  const mask = capacity - 1;
  const pairA = new Int32Array(capacity).fill(-1);
  const pairB = new Int32Array(capacity);
  const pairT = new Int32Array(capacity);
  for (const [k, t] of pairs) {
    const a = Math.floor(k / S);
    const b = k - a * S;
    let slot = pairHash(a, b) & mask;
    while ((pairA[slot] as number) >= 0) slot = (slot + 1) & mask;
    pairA[slot] = a;
    pairB[slot] = b;
    pairT[slot] = t;
  }
  return { pairA, pairB, pairT };
}

/** The pair table's three arrays (as compiled and cached) side by side, slot by slot, for the look-ups of a paste. */
function interleavePairs(pairA: Int32Array, pairB: Int32Array, pairT: Int32Array): Int32Array<ArrayBuffer> {
  const out = new Int32Array(pairA.length * 3);
  for (let slot = 0; slot < pairA.length; slot++) {
    out[slot * 3] = pairA[slot] as number;
    out[slot * 3 + 1] = pairB[slot] as number;
    out[slot * 3 + 2] = pairT[slot] as number;
  }
  return out;
}

/** Bits of TextIndex.pairBits (a power of two: 32 KiB). */
const PAIR_BITS = 1 << 18;

/** A pair's bit in TextIndex.pairBits (mixed otherwise than pairHash, whose low bits pick the slot). */
function pairBit(a: number, b: number): number {
  return Math.imul(a ^ Math.imul(b, 0x27d4eb2d), 0x165667b1) >>> 14;
}

function pairHash(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 7;
}
