// The compiled matcher's term index, cached beside the validated catalog (src/catalog/cache.ts):
// keyed by the catalog's content hash and a hash of the matcher code that shapes the index, and
// checked on reading (checksum, then every index in range), so a stale or corrupt file is ignored.
import { createRequire } from 'node:module';
import type { Packed } from '../catalog/cache.ts';
import type { CompiledCondition } from './evidence.ts';
import type { TextIndexData } from './freetext.ts';

// node:crypto and the cache's file format are loaded when a cache file is read or written, not with
// the matcher (a warm `ehlo match` maps its snapshot in without them, see src/cli/warm-matcher.ts).
const require = createRequire(import.meta.url);
// node:fs through require as well: its ESM facade would evaluate fs.promises (readline, os …).
const { readFileSync } = require('node:fs') as typeof import('node:fs');
const cache = () => require('../catalog/cache.ts') as typeof import('../catalog/cache.ts');

const NAME = 'matcher';
/** Bump when the compiled shape changes in a way the source hash would not show. */
const FORMAT = 1;
/** The sources whose code decides the compiled index (how words are split, stemmed and weighted). */
const SOURCES = ['./freetext.ts', './words.ts', './chars.ts', './matcher.ts', './compiled.ts', './evidence.ts', './localised.ts', './cjk.ts'];

/** natural's stemmer and stop words (an upgrade of natural changes the stems). */
const NATURAL = ['natural/lib/natural/stemmers/porter_stemmer', 'natural/lib/natural/util/stopwords'];

let codeHash: string | undefined;
function codeKey(): string {
  if (codeHash === undefined) {
    const { createHash } = require('node:crypto') as typeof import('node:crypto');
    const h = createHash('sha1').update(`${FORMAT}\n`);
    for (const s of SOURCES) h.update(readFileSync(new URL(s, import.meta.url)));
    for (const m of NATURAL) h.update(readFileSync(require.resolve(m)));
    codeHash = h.digest('hex');
  }
  return codeHash;
}

export function compiledKey(catalogKey: string): string {
  return `${catalogKey}:${codeKey()}`;
}

/** What is cached: the term index, and every intent condition compiled, in catalog order. */
export interface CompiledMatcher {
  text: TextIndexData;
  conditions: CompiledCondition[];
}

interface Meta {
  docIds: string[];
  stems: string[];
  words: string[];
  conditions: CompiledCondition[];
}

const ARRAYS = ['wordClass', 'wordHashes', 'wordChars', 'wordStarts', 'unigramTerm', 'pairKeys', 'pairTerm', 'pairA', 'pairB', 'pairT', 'idf', 'postStart', 'postDocs', 'postWeights'] as const;
const TYPES: Record<(typeof ARRAYS)[number], string> = {
  wordClass: 'Int32Array', wordHashes: 'Uint32Array', wordChars: 'Int32Array', wordStarts: 'Int32Array', unigramTerm: 'Int32Array', pairKeys: 'Float64Array', pairTerm: 'Int32Array',
  pairA: 'Int32Array', pairB: 'Int32Array', pairT: 'Int32Array',
  idf: 'Float64Array', postStart: 'Int32Array', postDocs: 'Int32Array', postWeights: 'Float64Array',
};

export function writeCompiled(root: string, catalogKey: string, compiled: CompiledMatcher): void {
  const data = compiled.text;
  const arrays: Record<string, Packed> = {};
  for (const a of ARRAYS) arrays[a] = data[a];
  cache().writeBlob(root, NAME, compiledKey(catalogKey), { docIds: data.docIds, stems: data.stems, words: data.words, conditions: compiled.conditions } satisfies Meta, arrays);
}

// The checksum (cache.ts) already refuses a damaged file; these checks keep a well-formed but wrong
// one from sending a loop out of bounds.
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && (x.length === 0 || typeof x[0] === 'string');

/** The cached index for this catalog, or undefined when there is none that can be trusted. */
export function readCompiled(root: string, catalogKey: string): CompiledMatcher | undefined {
  const blob = cache().readBlob(root, NAME, compiledKey(catalogKey));
  if (!blob) return undefined;
  const meta = blob.meta as Meta;
  if (!meta || !isStrings(meta.docIds) || !isStrings(meta.stems) || !isStrings(meta.words) || !Array.isArray(meta.conditions)) return undefined;
  for (const a of ARRAYS) if (blob.arrays[a]?.constructor.name !== TYPES[a]) return undefined;
  const data = { docIds: meta.docIds, stems: meta.stems, words: meta.words, ...blob.arrays } as unknown as TextIndexData;
  return consistent(data) ? { text: data, conditions: meta.conditions } : undefined;
}

/**
 * The postings well formed and every document index in range (what could send a loop astray).
 * `deep` false: the lengths and the pair table's empty slot only, not every entry (for a file whose
 * checksum already vouches for what was written, see src/cli/warm-matcher.ts).
 */
export function consistent(d: TextIndexData, deep = true): boolean {
  const terms = d.idf.length;
  const S = d.stems.length;
  if (d.wordClass.length !== d.words.length || d.unigramTerm.length !== S || d.pairKeys.length !== d.pairTerm.length) return false;
  // The packed words: one hash each, and each word's characters where wordStarts says.
  if (d.wordHashes.length !== d.words.length || d.wordStarts.length !== d.words.length + 1 || d.wordStarts[0] !== 0 || d.wordStarts[d.words.length] !== d.wordChars.length) return false;
  if (d.postStart.length !== terms + 1 || d.postStart[0] !== 0 || d.postStart[terms] !== d.postDocs.length || d.postDocs.length !== d.postWeights.length) return false;
  // The pair table: a power of two long, with an empty slot (else a probe would never end).
  const cap = d.pairA.length;
  if (cap < 16 || (cap & (cap - 1)) !== 0 || d.pairB.length !== cap || d.pairT.length !== cap || d.pairA.indexOf(-1) < 0) return false;
  if (!deep) return true;
  for (let i = 0; i < d.words.length; i++) if ((d.wordStarts[i + 1] as number) - (d.wordStarts[i] as number) !== (d.words[i] as string).length) return false;
  for (let t = 0; t < terms; t++) if ((d.postStart[t] as number) > (d.postStart[t + 1] as number)) return false;
  const docs = d.docIds.length;
  for (let p = 0; p < d.postDocs.length; p++) {
    const doc = d.postDocs[p] as number;
    if (doc < 0 || doc >= docs) return false;
  }
  for (let i = 0; i < d.pairKeys.length; i++) {
    const k = d.pairKeys[i] as number;
    if (!(k >= 0 && k < S * S)) return false;
  }
  return true;
}
