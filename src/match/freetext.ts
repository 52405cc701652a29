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
const MAX_WORDS = 4000;

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

export interface TextHit {
  docId: string;
  similarity: number;
  terms: Term[];
}

/** A TF-IDF index over one document per playbook. */
export class TextIndex {
  private readonly idf = new Map<string, number>();
  /** term -> [docIndex, normalised weight] postings. */
  private readonly postings = new Map<string, Array<[number, number]>>();
  private readonly docIds: string[];

  constructor(docs: ReadonlyArray<{ id: string; words: Word[] }>) {
    this.docIds = docs.map((d) => d.id);
    const tfs = docs.map((d) => {
      const tf = new Map<string, number>();
      const n = d.words.length;
      let prev: string | null = null;
      for (let i = 0; i < n; i++) {
        const w = (d.words[i] as Word).text;
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
    for (const [t, d] of df) this.idf.set(t, Math.log((N + 1) / d));
    tfs.forEach((tf, di) => {
      const weights: Array<[string, number]> = [];
      let norm = 0;
      for (const [t, f] of tf) {
        const w = (1 + Math.log(f)) * (this.idf.get(t) ?? 0);
        weights.push([t, w]);
        norm += w * w;
      }
      norm = Math.sqrt(norm) || 1;
      for (const [t, w] of weights) {
        if (w <= 0) continue;
        let list = this.postings.get(t);
        if (!list) this.postings.set(t, (list = []));
        list.push([di, w / norm]);
      }
    });
  }

  /** Cosine similarity of the paste to every document that shares a term with it. */
  query(terms: Map<string, Term>): TextHit[] {
    let qnorm = 0;
    const qw = new Map<string, number>();
    for (const t of terms.keys()) {
      const idf = this.idf.get(t);
      if (idf === undefined || idf <= 0) continue;
      qw.set(t, idf);
      qnorm += idf * idf;
    }
    qnorm = Math.sqrt(qnorm) || 1;
    const sims = new Map<number, { sim: number; terms: Array<[number, Term]> }>();
    for (const [t, w] of qw) {
      for (const [di, dw] of this.postings.get(t) ?? []) {
        const contribution = (w / qnorm) * dw;
        let entry = sims.get(di);
        if (!entry) sims.set(di, (entry = { sim: 0, terms: [] }));
        entry.sim += contribution;
        entry.terms.push([contribution, terms.get(t) as Term]);
      }
    }
    return [...sims.entries()].map(([di, e]) => ({
      docId: this.docIds[di] as string,
      similarity: e.sim,
      terms: e.terms.sort((a, b) => b[0] - a[0]).map(([, term]) => term),
    }));
  }
}
