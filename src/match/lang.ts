// The paste's language, and its free text as comparable terms in that language.
//
// Admins paste NDR bodies, Outlook dialogs and descriptions in their own language. This module answers
// two questions the matcher asks of the prose part of a paste: which language is it (tinyld, a small
// n-gram detector kept in dependencies; scripts decide CJK, Hangul and Cyrillic before it runs), and what
// are its terms (lowercased, accent-aware words stemmed with natural's Snowball stemmer for that language;
// CJK and Hangul runs cut into character bigrams: neither Chinese nor Japanese puts spaces between words,
// and a Korean word carries its particles and endings: "사서함이", "사서함의").
//
// Hostile input is bounded: detection reads at most DETECT_LIMIT characters of prose and term
// extraction at most TERM_LIMIT; every loop is linear; no regular expression here can backtrack.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The detector, loaded on the first paste that needs it (its model is a fifth of an `ehlo match` start otherwise). */
let tinyld: typeof import('tinyld/light') | undefined;
function detector(): typeof import('tinyld/light') {
  tinyld ??= require('tinyld/light') as typeof import('tinyld/light');
  return tinyld;
}

/** Languages ehlo carries phrases and symptoms for. Anything else is treated as English. */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'ja', 'zh', 'ko', 'ru', 'pl', 'cs', 'sv', 'da', 'nb', 'fi', 'tr', 'hu', 'ro', 'el', 'uk', 'ar', 'he', 'fa'] as const;
export type Lang = (typeof LANGUAGES)[number];

export interface LanguageGuess {
  lang: Lang;
  /** 0..1: how sure the guess is (1 for a script decision, the detector's share otherwise). */
  confidence: number;
  /** How many letters of prose the guess was made on (codes, hosts and addresses are left out). */
  letters: number;
}

/** Characters of prose the detector reads (its cost grows with the text: a few hundred characters tell a language). */
const DETECT_LIMIT = 400;
const TERM_LIMIT = 64 * 1024;
/** Below this many letters of prose a guess is not worth making: the answer is English. */
const MIN_LETTERS = 12;
/** The detector's share a non-English guess needs; below it the answer is English. */
const MIN_SHARE = 0.3;
/** Or the top guess by this factor over the next one. */
const MIN_LEAD = 2;
/** This many CJK characters make the paste Chinese or Japanese by script alone. */
const CJK_DECIDES = 12;
/** This many Hangul syllables make it Korean (a syllable is a whole consonant-vowel group: fewer are needed). */
const HANGUL_DECIDES = 8;
/** This many Cyrillic letters, and half the letters of the prose, make it Russian (or Ukrainian, by its letters). */
const CYRILLIC_DECIDES = 12;
/** The same for Greek, Hebrew and Arabic-script letters (Arabic or Persian, by Persian's letters): no other carried language writes them. */
const SCRIPT_DECIDES = 12;

const isHan = (c: number) => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
const isKana = (c: number) => (c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0xff66 && c <= 0xff9d);
/** Hangul syllables, jamo and compatibility jamo. */
export const isHangul = (c: number) => (c >= 0xac00 && c <= 0xd7af) || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f);
/** Scripts whose runs are prose without spaces to go by (cut into bigrams): CJK and Hangul. */
const isCjk = (c: number) => isHan(c) || isKana(c) || isHangul(c);
const isCyrillic = (c: number) => c >= 0x400 && c <= 0x4ff;
/** Letters of Ukrainian (і ї є ґ, and capitals) that Russian does not use. */
export const isUkrainianLetter = (c: number) => c === 0x456 || c === 0x457 || c === 0x454 || c === 0x491 || c === 0x406 || c === 0x407 || c === 0x404 || c === 0x490;
/** Belarusian's ў: Cyrillic that is neither Russian nor Ukrainian (not carried). */
const isBelarusianLetter = (c: number) => c === 0x45e || c === 0x40e;
/** Letters of Russian that Ukrainian does not use (ы э ъ ё, and capitals). */
export const isRussianOnlyLetter = (c: number) => c === 0x44b || c === 0x44d || c === 0x44a || c === 0x451 || c === 0x42b || c === 0x42d || c === 0x42a || c === 0x401;
/** Greek and Coptic, and Greek Extended (polytonic). */
const isGreek = (c: number) => (c >= 0x370 && c <= 0x3ff) || (c >= 0x1f00 && c <= 0x1fff);
const isHebrew = (c: number) => (c >= 0x590 && c <= 0x5ff) || (c >= 0xfb1d && c <= 0xfb4f);
/** Arabic, Arabic Supplement and the presentation forms: Arabic and Persian. */
const isArabicScript = (c: number) => (c >= 0x600 && c <= 0x6ff) || (c >= 0x750 && c <= 0x77f) || (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfeff);
/** Letters Persian writes and Arabic does not (پ چ ژ گ, and Persian's own kaf and yeh: ک ی). */
const isPersianLetter = (c: number) => c === 0x67e || c === 0x686 || c === 0x698 || c === 0x6af || c === 0x6a9 || c === 0x6cc;
const LETTER = /^\p{L}$/u;
/** A letter outside ASCII: Latin-1 and Latin Extended-A/B by range (most accented letters), others by Unicode class. */
const isLatinLetter = (ch: string) => {
  const c = ch.codePointAt(0) as number;
  if (c >= 0xc0 && c <= 0x24f) return c !== 0xd7 && c !== 0xf7;
  return LETTER.test(ch);
};

/**
 * Strip what carries no language: tokens with digits, dots, @, slashes, underscores or colons inside
 * (codes, hosts, addresses, URLs, paths, identifiers), camelCase identifiers and all-capital tokens
 * (component names, hex).
 * Keeps whitespace-separated prose words; linear.
 */
export function proseOf(text: string, limit = DETECT_LIMIT): string {
  const out: string[] = [];
  eachProseWord(text, limit, (start, end) => out.push(text.slice(start, end)));
  return out.join(' ');
}

/**
 * Calls visit(start, end) for each prose word of text (the words proseOf keeps, in order), until the words
 * visited, each with the space that joins it, reach limit characters; reads at most limit × 4 characters.
 */
function eachProseWord(text: string, limit: number, visit: (start: number, end: number) => void): void {
  let size = 0;
  let i = 0;
  const n = Math.min(text.length, limit * 4);
  while (i < n && size < limit) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    const start = i;
    let skip = false;
    let upper = 0;
    let letters = 0;
    let prevLower = false;
    let cjk = false;
    while (i < n && !isSpace(text.charCodeAt(i))) {
      const c = text.charCodeAt(i);
      // CJK prose runs on without spaces through ASCII colons, digits and codes ("出错原因:您所发送的…"):
      // a token with CJK text in it is prose, whatever else it carries.
      if (!cjk && isCjk(c)) cjk = true;
      // camelCase inside a token (MapiExceptionShutoffQuotaExceeded) marks an identifier.
      if (c >= 65 && c <= 90 && prevLower) skip = true;
      prevLower = c >= 97 && c <= 122;
      if ((c >= 48 && c <= 57) || c === 64 || c === 47 || c === 92 || c === 95 || c === 58 || c === 61) skip = true;
      else if (c === 46 && i + 1 < n && !isSpace(text.charCodeAt(i + 1))) skip = true;
      if (c >= 65 && c <= 90) upper++;
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127) letters++;
      i++;
    }
    if (i === start) continue;
    if (!cjk && (skip || (upper >= 2 && upper === letters))) continue;
    visit(start, i);
    size += i - start + 1;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0x3000;
}

/** The language of a paste's prose. English unless the evidence for another supported language is clear. */
export function detectLanguage(text: string): LanguageGuess {
  countProse(text);
  return decide(true, text);
}

/** Chinese, Japanese, Korean or Russian when the script says so, without asking the detector (English otherwise). */
export function scriptLanguage(text: string): LanguageGuess {
  countProse(text);
  return decide(false, text);
}

/** The letters of the prose by script (countScripts), reused: kana, han, hangul, cyrillic, ukrainian, russianOnly, belarusian, greek, hebrew, arabic, persian, letters. */
const COUNTS = new Int32Array(12);
const KANA = 0;
const HAN = 1;
const HANGUL = 2;
const CYRILLIC = 3;
const UKRAINIAN = 4;
const RUSSIAN_ONLY = 5;
const BELARUSIAN = 6;
const GREEK = 7;
const HEBREW = 8;
const ARABIC = 9;
const PERSIAN = 10;
const LETTERS = 11;

/**
 * COUNTS of proseOf(text, limit), read from the text where its words stand (nothing cut out or joined):
 * the same words proseOf keeps, each counted by code point as a scan of the joined prose counts them
 * (the spaces that join them are no letters).
 */
function countProse(text: string, limit = DETECT_LIMIT): void {
  COUNTS.fill(0);
  eachProseWord(text, limit, (start, end) => countScripts(text, start, end, COUNTS));
}

/** Adds the letters of s[from, to) by script to k (by code point; a surrogate pair cut at `to` counts as its lone unit). */
function countScripts(s: string, from: number, to: number, k: Int32Array): void {
  for (let i = from; i < to; ) {
    let c = s.charCodeAt(i);
    let size = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        size = 2;
      }
    }
    i += size;
    if (c < 128) {
      if ((c | 32) >= 97 && (c | 32) <= 122) k[LETTERS] = (k[LETTERS] as number) + 1;
      continue;
    }
    if (isKana(c)) k[KANA] = (k[KANA] as number) + 1;
    else if (isHan(c)) k[HAN] = (k[HAN] as number) + 1;
    else if (isHangul(c)) k[HANGUL] = (k[HANGUL] as number) + 1;
    else if (size === 1 ? isLatinLetterUnit(c) : isLatinLetter(String.fromCodePoint(c))) {
      k[LETTERS] = (k[LETTERS] as number) + 1;
      if (c < 0x370) continue;
      if (isCyrillic(c)) {
        k[CYRILLIC] = (k[CYRILLIC] as number) + 1;
        if (isUkrainianLetter(c)) k[UKRAINIAN] = (k[UKRAINIAN] as number) + 1;
        else if (isRussianOnlyLetter(c)) k[RUSSIAN_ONLY] = (k[RUSSIAN_ONLY] as number) + 1;
        else if (isBelarusianLetter(c)) k[BELARUSIAN] = (k[BELARUSIAN] as number) + 1;
      } else if (isGreek(c)) k[GREEK] = (k[GREEK] as number) + 1;
      else if (isHebrew(c)) k[HEBREW] = (k[HEBREW] as number) + 1;
      else if (isArabicScript(c)) {
        k[ARABIC] = (k[ARABIC] as number) + 1;
        if (isPersianLetter(c)) k[PERSIAN] = (k[PERSIAN] as number) + 1;
      }
    }
  }
}

/** The guess from COUNTS (countProse(text) just filled them); the prose is cut out only for the detector. */
function decide(useDetector: boolean, text: string): LanguageGuess {
  const k = COUNTS;
  const kana = k[KANA] as number;
  const han = k[HAN] as number;
  const hangul = k[HANGUL] as number;
  const cyrillic = k[CYRILLIC] as number;
  const ukrainian = k[UKRAINIAN] as number;
  const russianOnly = k[RUSSIAN_ONLY] as number;
  const belarusian = k[BELARUSIAN] as number;
  const greek = k[GREEK] as number;
  const hebrew = k[HEBREW] as number;
  const arabic = k[ARABIC] as number;
  const persian = k[PERSIAN] as number;
  const letters = k[LETTERS] as number;
  // Hangul first: Korean text may carry a few Han characters (hanja), never enough to outweigh it.
  if (hangul >= HANGUL_DECIDES || (hangul >= 3 && hangul * 3 >= letters / 3)) {
    if (hangul >= kana + han) return { lang: 'ko', confidence: 1, letters: hangul };
  }
  // Cyrillic prose is Russian, or Ukrainian when it has Ukrainian's letters (і ї є ґ) and none only Russian
  // writes (ы э ъ ё); Belarusian (ў) is not carried.
  if (cyrillic >= CYRILLIC_DECIDES && cyrillic * 2 >= letters) {
    if (belarusian > 0) return { lang: 'en', confidence: 0, letters };
    if (ukrainian > 0) return russianOnly === 0 || ukrainian > russianOnly ? { lang: 'uk', confidence: 1, letters: cyrillic } : { lang: 'ru', confidence: 1, letters: cyrillic };
    return { lang: 'ru', confidence: 1, letters: cyrillic };
  }
  // Greek, Hebrew and the Arabic script are each one carried language (Arabic script: Persian when it has Persian's letters).
  if (greek >= SCRIPT_DECIDES && greek * 2 >= letters) return { lang: 'el', confidence: 1, letters: greek };
  if (hebrew >= SCRIPT_DECIDES && hebrew * 2 >= letters) return { lang: 'he', confidence: 1, letters: hebrew };
  if (arabic >= SCRIPT_DECIDES && arabic * 2 >= letters) return { lang: persian > 0 ? 'fa' : 'ar', confidence: 1, letters: arabic };
  const cjk = kana + han;
  // Scripts first: kana is Japanese; Han without kana is Chinese (Japanese text nearly always has kana).
  // Enough CJK text decides by script, whatever Latin text (a stack trace, English server text) stands around it.
  if (cjk >= CJK_DECIDES || (cjk >= 4 && cjk * 2 >= letters / 3)) {
    return kana > 0 && kana * 10 >= cjk ? { lang: 'ja', confidence: 1, letters: cjk } : { lang: 'zh', confidence: 1, letters: cjk };
  }
  if (letters < MIN_LETTERS || !useDetector) return { lang: 'en', confidence: 0, letters };
  const supported = new Set<string>(LANGUAGES);
  // tinyld names Norwegian (Bokmål) "no".
  const prose = proseOf(text);
  const all = detector().detectAll(prose).map((g) => (g.lang === 'no' ? { lang: 'nb', accuracy: g.accuracy } : g));
  const best = all.find((g) => supported.has(g.lang));
  if (!best || best.lang === 'en') return { lang: 'en', confidence: best?.lang === 'en' ? best.accuracy : 0, letters };
  // The detector's shares are not normalised: a clear lead (the top guess, MIN_LEAD times the next) counts as much as a large share.
  const next = all[all.indexOf(best) + 1];
  const leads = all[0] === best && (!next || best.accuracy >= MIN_LEAD * next.accuracy);
  if (best.accuracy < MIN_SHARE && !leads) return { lang: 'en', confidence: 0, letters };
  return { lang: best.lang as Lang, confidence: best.accuracy, letters };
}

interface Stemmer { stem(word: string): string }
const STEMMER_MODULES: Partial<Record<Lang, string>> = {
  en: 'natural/lib/natural/stemmers/porter_stemmer',
  de: 'natural/lib/natural/stemmers/porter_stemmer_de',
  fr: 'natural/lib/natural/stemmers/porter_stemmer_fr',
  es: 'natural/lib/natural/stemmers/porter_stemmer_es',
  it: 'natural/lib/natural/stemmers/porter_stemmer_it',
  nl: 'natural/lib/natural/stemmers/porter_stemmer_nl',
  pt: 'natural/lib/natural/stemmers/porter_stemmer_pt',
  ru: 'natural/lib/natural/stemmers/porter_stemmer_ru',
  sv: 'natural/lib/natural/stemmers/porter_stemmer_sv',
  nb: 'natural/lib/natural/stemmers/porter_stemmer_no',
  uk: 'natural/lib/natural/stemmers/porter_stemmer_uk',
  fa: 'natural/lib/natural/stemmers/porter_stemmer_fa',
};
/**
 * Inflected languages natural has no stemmer for (Polish, Czech, Danish, Hungarian, Romanian, Greek,
 * Turkish, Finnish): a word's term is its first letters, after its final vowels. Cutting words to a fixed
 * prefix is a crude stemmer, but their case and person endings (and Turkish's and Finnish's suffix chains)
 * sit at the end: "skrzynka", "skrzynki", "skrzynce" share "skrzyn"; "pełna", "pełne" share "pełn";
 * "σφάλμα", "σφάλματος" share "σφάλμ". Greek, Turkish and Finnish put more in their endings: a shorter prefix.
 */
const TRUNCATE_AT: Partial<Record<Lang, number>> = { pl: 6, cs: 6, da: 6, hu: 6, ro: 6, el: 5, tr: 5, fi: 5 };
/** Vowels a truncated word drops from its end first (Latin with their accents, Turkish's dotless ı, Greek). */
const FINAL_VOWELS = new Set(Array.from('aeiouyąęóáéíúůýěöüőűıâîăäåæøαεηιουωάέήίόύώϊϋΐΰ'));
function truncatingStemmer(at: number): Stemmer {
  return {
    stem: (w) => {
      let end = w.length;
      while (end > 3 && FINAL_VOWELS.has(w[end - 1] as string)) end--;
      return w.slice(0, Math.min(end, at));
    },
  };
}
const stemmers = new Map<Lang, Stemmer | null>();

/** natural's stemmer for a language (loaded on first use), the prefix cut for TRUNCATE_AT's languages, or undefined (ja, zh, ko, ar, he). */
export function stemmerFor(lang: Lang): Stemmer | undefined {
  if (!stemmers.has(lang)) {
    const mod = STEMMER_MODULES[lang];
    const at = TRUNCATE_AT[lang];
    stemmers.set(lang, mod ? (require(mod) as Stemmer) : at !== undefined ? truncatingStemmer(at) : null);
  }
  return stemmers.get(lang) ?? undefined;
}

/** A lowercased word's term in a language: its stem, or the word itself where there is no stemmer or it fails. */
function stemLowered(stemmer: Stemmer | undefined, lower: string): string {
  if (!stemmer) return lower;
  try {
    return stemmer.stem(lower);
  } catch {
    // A stemmer that cannot take a word leaves it as it is.
    return lower;
  }
}

/** The term terms() makes of a word of three or more ASCII letters, lowercased (`lower`), in a language. */
export function asciiWordTerm(lower: string, lang: Lang): string {
  return stemLowered(stemmerFor(lang), lower);
}

/** Korean particles (case and topic markers) that end a word, one syllable or two. */
const KO_PARTICLES_1 = new Set(Array.from('이가을를은는의에도와과로만'));
const KO_PARTICLES_2 = new Set(['에서', '에게', '으로', '까지', '부터', '처럼', '보다', '께서']);

/**
 * Drops a Korean word's final particle from its run (the character starts in `runAt`, the run ending at
 * `end`); returns where the run now ends. A word keeps at least two syllables, so "전자" or "오류" stays whole.
 */
function dropParticle(src: string, runAt: number[], end: number): number {
  const n = runAt.length;
  if (n < 3 || !isHangul(src.charCodeAt(runAt[0] as number))) return end;
  if (n >= 4 && KO_PARTICLES_2.has(src.slice(runAt[n - 2], end))) {
    const cut = runAt[n - 2] as number;
    runAt.length = n - 2;
    return cut;
  }
  if (KO_PARTICLES_1.has(src.slice(runAt[n - 1], end))) {
    const cut = runAt[n - 1] as number;
    runAt.length = n - 1;
    return cut;
  }
  return end;
}

/** Stems already computed, per language, by the word as written (the Snowball stemmers cost microseconds a word; words repeat). */
const STEM_CACHE_LIMIT = 50_000;
const stemCaches = new Map<Lang, Map<string, string>>();
function stemCacheFor(lang: Lang): Map<string, string> {
  let cache = stemCaches.get(lang);
  if (!cache) stemCaches.set(lang, (cache = new Map()));
  return cache;
}

/**
 * The prose as terms: alphabetic words (Latin, Cyrillic) lowercased and stemmed for the language (words
 * of one or two letters dropped), CJK and Hangul runs as overlapping character bigrams (a lone character
 * stands for itself).
 * Codes and identifiers are left to the code-aware tokenizer; call this on prose.
 */
export function terms(text: string, lang: Lang, keep?: (term: string) => boolean, max = Infinity): string[] {
  const out: string[] = [];
  const take = (t: string): boolean => {
    if (keep !== undefined && !keep(t)) return false;
    out.push(t);
    return true;
  };
  visitTerms(text, lang, max, { run: (src, from, to) => take(src.slice(from, to)), word: take });
  return out;
}

/** What visitTerms hands each term to: each answers whether the term is kept (keep() in terms()). */
export interface TermVisitor {
  /** A CJK or Hangul bigram, or a lone character, src[from, to) (not cut out). */
  run(src: string, from: number, to: number): boolean;
  /** A word's term (lowercased, stemmed). */
  word(term: string): boolean;
}

/**
 * terms(text, lang, keep, max) handed over one term at a time, in the same order, where keep() is what
 * the visitor answers: only the first `max` kept terms are visited (the rest of the text is not read),
 * and no string is cut out for a CJK term (the visitor reads it in place).
 */
export function visitTerms(text: string, lang: Lang, max: number, visit: TermVisitor): void {
  const korean = lang === 'ko';
  const stemmer = stemmerFor(lang);
  const cache = stemCacheFor(lang);
  let kept = 0;
  const src = text.length > TERM_LIMIT ? text.slice(0, TERM_LIMIT) : text;
  // The current word or CJK run is src[start, i): handed over when it ends (at most one of them is open).
  let start = -1;
  let inRun = false;
  /** Where each character of the open run starts (runs are bigrammed by character, not code unit). */
  const runAt = VISIT_RUN;
  runAt.length = 0;
  const flushWord = (end: number) => {
    if (end - start > 2) {
      const raw = src.slice(start, end);
      let w = cache.get(raw);
      if (w === undefined) {
        w = stemLowered(stemmer, raw.toLowerCase());
        if (cache.size < STEM_CACHE_LIMIT) cache.set(raw, w);
      }
      if (kept < max && visit.word(w)) kept++;
    }
    start = -1;
  };
  const flushRun = (end: number) => {
    if (korean) end = dropParticle(src, runAt, end);
    runAt.push(end);
    if (runAt.length === 2 && kept < max && visit.run(src, runAt[0] as number, end)) kept++;
    for (let k = 0; k + 2 < runAt.length && kept < max; k++) if (visit.run(src, runAt[k] as number, runAt[k + 2] as number)) kept++;
    runAt.length = 0;
    start = -1;
    inRun = false;
  };
  for (let i = 0; i < src.length && kept < max; ) {
    const c = src.codePointAt(i) as number;
    const size = c > 0xffff ? 2 : 1;
    if (isCjk(c)) {
      if (start >= 0 && !inRun) flushWord(i);
      if (start < 0) {
        start = i;
        inRun = true;
      }
      runAt.push(i);
    } else if (c < 128 ? (c | 32) >= 97 && (c | 32) <= 122 : size === 1 ? isLatinLetterUnit(c) : isLatinLetter(src.slice(i, i + size))) {
      if (inRun) flushRun(i);
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (inRun) flushRun(i);
      else flushWord(i);
    }
    i += size;
  }
  if (start >= 0 && kept < max) {
    if (inRun) flushRun(src.length);
    else flushWord(src.length);
  }
}

/** visitTerms' character starts of the open run (reused: matching is synchronous). */
const VISIT_RUN: number[] = [];

/** Per BMP code unit: 1 when isLatinLetter holds for it, 2 when not, 0 not asked yet (no string cut per character). */
const LATIN_LETTER_UNIT = new Uint8Array(65536);

function isLatinLetterUnit(c: number): boolean {
  let k = LATIN_LETTER_UNIT[c] as number;
  if (k === 0) LATIN_LETTER_UNIT[c] = k = isLatinLetter(String.fromCharCode(c)) ? 1 : 2;
  return k === 1;
}
