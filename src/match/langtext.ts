// Free-text similarity in one language other than English: the paste's prose as that language's
// terms (lang.ts: Snowball stems, CJK bigrams) against each playbook's wording in that language (its
// intents' localised symptoms and phrases), TF-IDF weighted, compared by cosine. Built when the
// matcher is (the localised wording is small); asked only of pastes detected in that language.
import { createRequire } from 'node:module';
import { stemmerFor, terms, type Lang } from './lang.ts';

const require = createRequire(import.meta.url);

/** natural's stop word lists where it has one; German has none there, so a short list of our own. */
const STOPWORD_MODULES: Partial<Record<Lang, string>> = {
  fr: 'natural/lib/natural/util/stopwords_fr',
  es: 'natural/lib/natural/util/stopwords_es',
  it: 'natural/lib/natural/util/stopwords_it',
  nl: 'natural/lib/natural/util/stopwords_nl',
  pt: 'natural/lib/natural/util/stopwords_pt',
};
const GERMAN_STOPWORDS = [
  'der', 'die', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'einen', 'einem', 'einer', 'eines', 'und', 'oder', 'aber', 'doch', 'denn',
  'ist', 'sind', 'war', 'waren', 'sein', 'bin', 'bist', 'wird', 'werden', 'wurde', 'wurden', 'worden', 'kann', 'können', 'konnte',
  'konnten', 'muss', 'müssen', 'soll', 'sollte', 'will', 'möchte', 'hat', 'haben', 'hatte', 'hatten', 'habe', 'nicht', 'kein', 'keine',
  'keinen', 'mit', 'von', 'vom', 'für', 'auf', 'aus', 'bei', 'beim', 'nach', 'über', 'unter', 'vor', 'zum', 'zur', 'zu', 'im', 'in',
  'an', 'am', 'als', 'wie', 'wenn', 'dass', 'ob', 'weil', 'da', 'so', 'auch', 'noch', 'nur', 'schon', 'sehr', 'mehr', 'immer', 'wieder',
  'jetzt', 'heute', 'dann', 'hier', 'dort', 'alle', 'alles', 'allen', 'ich', 'du', 'er', 'es', 'wir', 'ihr', 'sie', 'mich', 'mir',
  'uns', 'euch', 'ihnen', 'sich', 'mein', 'meine', 'meinen', 'meinem', 'meiner', 'dein', 'deine', 'ihre', 'ihren', 'ihrem', 'ihrer',
  'unser', 'unsere', 'sein', 'seine', 'seinen', 'dies', 'diese', 'dieser', 'diesen', 'diesem', 'dieses', 'was', 'wer', 'wo', 'warum',
  'bitte', 'hallo', 'danke', 'zusammen', 'mal', 'gibt', 'geht', 'etwas', 'man', 'ja', 'nein', 'gut', 'neu', 'neue', 'neuen',
  // Words of any German help text ("enthält Informationen über …", "im Weiteren"): they tell no playbook from another.
  'enthält', 'enthalten', 'information', 'informationen', 'bestimmt', 'bestimmten', 'bestimmte', 'weiteren', 'weitere', 'folgende',
  'folgenden', 'administrator', 'administratoren', 'finden', 'verwenden', 'können',
];
/** Common verbs and fillers natural's lists leave out ("puede", "vez"): they tell no playbook from another. */
const EXTRA_STOPWORDS: Partial<Record<Lang, string[]>> = {
  fr: ['peut', 'peuvent', 'fait', 'faire', 'être', 'avoir', 'plus', 'tout', 'tous', 'bonjour', 'merci'],
  es: ['vez', 'puede', 'pueden', 'hay', 'ser', 'está', 'están', 'hacer', 'tiene', 'alguna', 'algún', 'hola', 'gracias'],
  it: ['può', 'possono', 'essere', 'fare', 'ciao', 'grazie', 'tutto', 'tutti'],
  nl: ['kan', 'kunnen', 'worden', 'hebben', 'heeft', 'hallo', 'bedankt'],
  pt: ['pode', 'podem', 'ser', 'fazer', 'tem', 'olá', 'obrigado'],
};
/** Words of this field too common in every language's messages to tell playbooks apart. */
const FIELD_STOPWORDS = ['exchange', 'microsoft', 'outlook', 'office', 'mail', 'mails', 'e-mail', 'email', 'server'];

const stopCache = new Map<Lang, Set<string>>();
function stopwordsFor(lang: Lang): Set<string> {
  let set = stopCache.get(lang);
  if (!set) {
    const mod = STOPWORD_MODULES[lang];
    const listed = lang === 'de' ? GERMAN_STOPWORDS : mod ? ((require(mod) as { words: string[] }).words ?? []) : [];
    // terms() stems, so each stop word is kept as written and as its stem.
    const stemmer = stemmerFor(lang);
    set = new Set<string>();
    for (const w of [...listed, ...(EXTRA_STOPWORDS[lang] ?? []), ...FIELD_STOPWORDS]) {
      const lower = w.toLowerCase();
      set.add(lower);
      if (stemmer) {
        try {
          set.add(stemmer.stem(lower));
        } catch {
          // A word the stemmer cannot take is kept as written.
        }
      }
    }
    stopCache.set(lang, set);
  }
  return set;
}

/** Chinese characters that carry grammar, not meaning: a bigram of two of them is no term (all in the BMP). */
const ZH_FUNCTION_CHARS = new Set(Array.from('的了是在我你您他她它们这那和与也就都而及等个吗呢吧啊把被从对', (ch) => ch.charCodeAt(0)));

/**
 * Whether a CJK bigram carries no meaning: Japanese hiragana only (particles, endings), or two Chinese
 * function characters. Read by code unit: a term of two characters, both of them hiragana or function
 * characters (BMP, no surrogate), is exactly a term of two code units that are.
 */
function isFunctionBigram(t: string, lang: Lang): boolean {
  if (t.length !== 2) return false;
  const a = t.charCodeAt(0);
  const b = t.charCodeAt(1);
  if (lang === 'ja') return a >= 0x3040 && a <= 0x309f && b >= 0x3040 && b <= 0x309f;
  if (lang === 'zh') return ZH_FUNCTION_CHARS.has(a) && ZH_FUNCTION_CHARS.has(b);
  return false;
}

/** The terms contentTerms keeps in each language (one closure per language, made once). */
const keepers = new Map<Lang, (t: string) => boolean>();
function keeperFor(lang: Lang): (t: string) => boolean {
  let keep = keepers.get(lang);
  if (!keep) {
    const stop = stopwordsFor(lang);
    keep = (t) => !stop.has(t) && !isFunctionBigram(t, lang);
    keepers.set(lang, keep);
  }
  return keep;
}

/**
 * The terms of a text in a language, less its stop words: natural's list where it has one (the words
 * stemmed as the terms are, since terms() stems), ours for German; for CJK, bigrams that carry grammar only.
 * `max`: only the first this many (the rest of the text is not read).
 */
export function contentTerms(text: string, lang: Lang, max = Infinity): string[] {
  return terms(text, lang, keeperFor(lang), max);
}

/** Terms in more than this share of the language's documents tell none apart. */
const MAX_DOC_SHARE = 0.5;
/** The paste's first terms used (the wording sits at the start; codes are found everywhere else). */
const MAX_QUERY_TERMS = 1500;
/**
 * Terms a document must share with the paste before its likeness counts in full: a language's wording is
 * a few sentences per playbook, so one shared word ("Postfach") would otherwise make a short paste look
 * like it. With fewer, the similarity is scaled down in proportion.
 */
const FULL_HITS = 2;

/** One term of a language's index: its idf and postings (document index, normalised weight). */
interface Posting {
  term: string;
  idf: number;
  docs: Int32Array;
  weights: Float64Array;
  /** A generic word of the field (see LangTextIndex.generic). */
  generic: boolean;
  /** The generation of the last paste that took this term (LangTextIndex.similarities). */
  seen: number;
}

/** One language's index: term -> postings (document index, normalised weight) and idf. */
export class LangTextIndex {
  readonly lang: Lang;
  private readonly postings = new Map<string, Posting>();
  /** The paste the postings' `seen` marks belong to (the query takes each term once). */
  private generation = 0;
  private readonly sims: Float64Array;
  private readonly hits: Int32Array;
  private readonly specific: Int32Array;
  /** Terms every topic of the field shares (mail, mailbox, server, "cannot"): they count in `hits`, not in `specific`. */
  private readonly generic = new Set<string>();

  /**
   * `docs[i]` is the wording of document i (a playbook) in this language; empty when it has none.
   * `generic`: words of the whole field in this language (taken as terms, as the paste is).
   */
  constructor(lang: Lang, docs: readonly string[], generic: readonly string[] = []) {
    this.lang = lang;
    this.sims = new Float64Array(docs.length);
    this.hits = new Int32Array(docs.length);
    this.specific = new Int32Array(docs.length);
    for (const g of generic) for (const t of terms(g, lang)) this.generic.add(t);
    const tfs = docs.map((d) => {
      const tf = new Map<string, number>();
      if (!d) return tf;
      const ts = contentTerms(d, lang);
      for (let k = 0; k < ts.length; k++) {
        const t = ts[k] as string;
        tf.set(t, (tf.get(t) ?? 0) + 1);
      }
      return tf;
    });
    const withText = tfs.filter((tf) => tf.size > 0).length;
    const df = new Map<string, number>();
    for (const tf of tfs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    const idf = new Map<string, number>();
    // The idf is taken over every playbook, so a term the language shares among a few is still worth something.
    const N = docs.length;
    for (const [t, d] of df) if (d <= Math.max(1, withText * MAX_DOC_SHARE)) idf.set(t, Math.log((N + 1) / d));
    const lists = new Map<string, Array<[number, number]>>();
    tfs.forEach((tf, di) => {
      let norm = 0;
      const weights: Array<[string, number]> = [];
      for (const [t, f] of tf) {
        const w = (1 + Math.log(f)) * (idf.get(t) ?? 0);
        if (w > 0) weights.push([t, w]);
        norm += w * w;
      }
      norm = Math.sqrt(norm) || 1;
      for (const [t, w] of weights) {
        let list = lists.get(t);
        if (!list) lists.set(t, (list = []));
        list.push([di, w / norm]);
      }
    });
    for (const [t, list] of lists) {
      this.postings.set(t, { term: t, idf: idf.get(t) as number, docs: Int32Array.from(list, (p) => p[0]), weights: Float64Array.from(list, (p) => p[1]), generic: this.generic.has(t), seen: 0 });
    }
  }

  get terms(): number {
    return this.postings.size;
  }

  /**
   * Cosine similarity of the prose to each document (reused arrays: valid until the next call), how many
   * terms each shares (`hits`), how many of those are not generic words of the field (`specific`), and the terms that matched.
   */
  similarities(prose: string): { sims: Float64Array; hits: Int32Array; specific: Int32Array; matched: string[] } {
    const sims = this.sims;
    const hits = this.hits;
    const specific = this.specific;
    sims.fill(0);
    hits.fill(0);
    specific.fill(0);
    // The first MAX_QUERY_TERMS terms only (the rest of the prose is not read); each term the index knows taken once.
    const ts = contentTerms(prose, this.lang, MAX_QUERY_TERMS);
    const n = ts.length;
    if (++this.generation === 0x7fffffff) {
      this.generation = 1;
      for (const p of this.postings.values()) p.seen = 0;
    }
    const generation = this.generation;
    const query: Posting[] = [];
    const matched: string[] = [];
    let qnorm = 0;
    for (let k = 0; k < n; k++) {
      const p = this.postings.get(ts[k] as string);
      if (!p || p.seen === generation) continue;
      p.seen = generation;
      query.push(p);
      matched.push(p.term);
      qnorm += p.idf * p.idf;
    }
    // Only the terms the index knows weigh in the paste's norm, as in freetext.ts.
    qnorm = Math.sqrt(qnorm) || 1;
    for (const p of query) {
      const qw = p.idf / qnorm;
      for (let j = 0; j < p.docs.length; j++) {
        const di = p.docs[j] as number;
        sims[di] = (sims[di] as number) + qw * (p.weights[j] as number);
        hits[di] = (hits[di] as number) + 1;
        if (!p.generic) specific[di] = (specific[di] as number) + 1;
      }
    }
    for (let di = 0; di < sims.length; di++) {
      const h = hits[di] as number;
      if (h > 0 && h < FULL_HITS) sims[di] = (sims[di] as number) * (h / FULL_HITS);
    }
    return { sims, hits, specific, matched };
  }
}
