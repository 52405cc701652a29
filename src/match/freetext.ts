// Free-text similarity: stemmed words and word pairs weighted by TF-IDF, compared by cosine.
// natural supplies the Porter stemmer and the English stop words; we import the submodules only
// (the package root loads storage back ends and reads .env; see DESIGN.md).
import { createRequire } from 'node:module';
import type { Word } from './types.ts';

const require = createRequire(import.meta.url);
const porter = require('natural/lib/natural/stemmers/porter_stemmer') as { stem(word: string): string };
const { words: naturalStopwords } = require('natural/lib/natural/util/stopwords') as { words: string[] };

/** Words too common in this field to tell playbooks apart. */
const DOMAIN_STOPWORDS = ['exchange', 'error', 'message', 'messages', 'mail', 'email', 'e', 'server', 'microsoft', 'please', 'following', 'information', 'com', 'contoso', 'example', 'www', 'http', 'https', 'hi', 'hello', 'thanks', 'help', 'issue', 'problem', 'get', 'got', 'getting', 'using', 'use', 'also', 'still', 'now', 'one', 'will', 'can', 'may', 'even', 'like'];
const STOP = new Set([...naturalStopwords, ...DOMAIN_STOPWORDS]);

/** Only the start of a long paste is used for wording; codes are found everywhere by signals.ts. */
const MAX_WORDS = 1500;
/** Terms in more than this share of the playbooks tell none apart and are left out of the index. */
const MAX_DOC_SHARE = 0.5;

const stemCache = new Map<string, string>();
function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = porter.stem(word);
    if (stemCache.size < 50_000) stemCache.set(word, s);
  }
  return s;
}

export interface Term {
  term: string;
  /** The paste words that produced it (for explanations). */
  start: number;
  end: number;
}

function usable(w: string): boolean {
  if (w.length < 2 || w.length > 40 || STOP.has(w)) return false;
  const c = w.charCodeAt(0);
  return !(c >= 48 && c <= 57);
}

/** Stemmed terms (unigrams and adjacent pairs) with the span of their first occurrence. */
export function termsOf(words: readonly Word[]): Map<string, Term> {
  const out = new Map<string, Term>();
  let prev: { stem: string; start: number } | null = null;
  const n = Math.min(words.length, MAX_WORDS);
  for (let i = 0; i < n; i++) {
    const w = words[i] as Word;
    if (!usable(w.text)) {
      if (!STOP.has(w.text)) prev = null;
      continue;
    }
    const s = stem(w.text);
    if (!out.has(s)) out.set(s, { term: s, start: w.start, end: w.end });
    if (prev) {
      const pair = `${prev.stem} ${s}`;
      if (!out.has(pair)) out.set(pair, { term: pair, start: prev.start, end: w.end });
    }
    prev = { stem: s, start: w.start };
  }
  return out;
}

/** A TF-IDF index over one document per playbook. */
export class TextIndex {
  private readonly idf = new Map<string, number>();
  /** term -> postings: the documents holding it and its normalised weight in each. */
  private readonly postings = new Map<string, { docs: Int32Array; weights: Float64Array }>();
  readonly docIds: string[];

  constructor(docs: ReadonlyArray<{ id: string; words: Word[] }>) {
    this.docIds = docs.map((d) => d.id);
    const tfs = docs.map((d) => {
      const tf = new Map<string, number>();
      let prev: string | null = null;
      for (const word of d.words) {
        const w = word.text;
        if (!usable(w)) {
          if (!STOP.has(w)) prev = null;
          continue;
        }
        const s = stem(w);
        tf.set(s, (tf.get(s) ?? 0) + 1);
        if (prev) tf.set(`${prev} ${s}`, (tf.get(`${prev} ${s}`) ?? 0) + 1);
        prev = s;
      }
      return tf;
    });
    const df = new Map<string, number>();
    for (const tf of tfs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    const N = docs.length;
    for (const [t, d] of df) if (d <= Math.max(1, N * MAX_DOC_SHARE)) this.idf.set(t, Math.log((N + 1) / d));
    const lists = new Map<string, Array<[number, number]>>();
    tfs.forEach((tf, di) => {
      const weights = new Map<string, number>();
      let norm = 0;
      for (const [t, f] of tf) {
        const w = (1 + Math.log(f)) * (this.idf.get(t) ?? 0);
        if (w > 0) weights.set(t, w);
        norm += w * w;
      }
      norm = Math.sqrt(norm) || 1;
      for (const [t, w] of weights) {
        weights.set(t, w / norm);
        let list = lists.get(t);
        if (!list) lists.set(t, (list = []));
        list.push([di, w / norm]);
      }
    });
    for (const [t, list] of lists) {
      this.postings.set(t, { docs: Int32Array.from(list, (x) => x[0]), weights: Float64Array.from(list, (x) => x[1]) });
    }
  }

  /**
   * Cosine similarity of the paste to every document (by document index), and for each document
   * the TOP_TERMS paste terms that add most to it (to explain the similarity).
   */
  similarities(terms: Map<string, Term>): TextScores {
    const n = this.docIds.length;
    const sims = new Float64Array(n);
    const topWeight = new Float64Array(n * TOP_TERMS);
    const topTerm: Array<string | undefined> = new Array(n * TOP_TERMS);
    let qnorm = 0;
    const query: Array<[string, number]> = [];
    for (const t of terms.keys()) {
      const idf = this.idf.get(t);
      if (idf === undefined || idf <= 0) continue;
      query.push([t, idf]);
      qnorm += idf * idf;
    }
    qnorm = Math.sqrt(qnorm) || 1;
    for (const [t, idf] of query) {
      const qw = idf / qnorm;
      const { docs, weights } = this.postings.get(t) as { docs: Int32Array; weights: Float64Array };
      for (let p = 0; p < docs.length; p++) {
        const di = docs[p] as number;
        const c = qw * (weights[p] as number);
        sims[di] = (sims[di] as number) + c;
        const base = di * TOP_TERMS;
        if (c <= (topWeight[base + TOP_TERMS - 1] as number)) continue;
        let k = TOP_TERMS - 1;
        while (k > 0 && c > (topWeight[base + k - 1] as number)) {
          topWeight[base + k] = topWeight[base + k - 1] as number;
          topTerm[base + k] = topTerm[base + k - 1];
          k--;
        }
        topWeight[base + k] = c;
        topTerm[base + k] = t;
      }
    }
    return {
      sims,
      topTerms: (di: number) => topTerm.slice(di * TOP_TERMS, di * TOP_TERMS + TOP_TERMS).filter((t): t is string => t !== undefined).map((t) => terms.get(t) as Term),
    };
  }
}

/** How many of the paste's words an explanation names. */
const TOP_TERMS = 4;

export interface TextScores {
  sims: Float64Array;
  topTerms(docIndex: number): Term[];
}
