// Free-text similarity in one language other than English: the paste's prose as that language's
// terms (lang.ts: Snowball stems, CJK bigrams) against each playbook's wording in that language (its
// intents' localised symptoms and phrases), TF-IDF weighted, compared by cosine. Built when the
// matcher is (the localised wording is small); asked only of pastes detected in that language.
import { createRequire } from 'node:module';
import { asciiWordTerm, stemmerFor, terms, visitTerms, type Lang, type TermVisitor } from './lang.ts';
import type { Lexicon, WordBuf } from './lexicon.ts';
import { foldTraditional, isCjkPhrase } from './cjk.ts';

const require = createRequire(import.meta.url);

/** natural's stop word lists where it has one; German has none there, so a short list of our own. */
const STOPWORD_MODULES: Partial<Record<Lang, string>> = {
  fr: 'natural/lib/natural/util/stopwords_fr',
  es: 'natural/lib/natural/util/stopwords_es',
  it: 'natural/lib/natural/util/stopwords_it',
  nl: 'natural/lib/natural/util/stopwords_nl',
  pt: 'natural/lib/natural/util/stopwords_pt',
  ru: 'natural/lib/natural/util/stopwords_ru',
  pl: 'natural/lib/natural/util/stopwords_pl',
  sv: 'natural/lib/natural/util/stopwords_sv',
  nb: 'natural/lib/natural/util/stopwords_no',
  da: 'natural/lib/natural/util/stopwords_no',
  uk: 'natural/lib/natural/util/stopwords_uk',
  fa: 'natural/lib/natural/util/stopwords_fa',
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
  es: ['vez', 'puede', 'pueden', 'hay', 'ser', 'está', 'están', 'hacer', 'tiene', 'alguna', 'algún', 'hola', 'gracias', 'este', 'esta', 'esto', 'estos', 'estas', 'hace'],
  it: ['può', 'possono', 'essere', 'fare', 'ciao', 'grazie', 'tutto', 'tutti'],
  nl: ['kan', 'kunnen', 'worden', 'hebben', 'heeft', 'hallo', 'bedankt'],
  pt: ['pode', 'podem', 'ser', 'fazer', 'tem', 'olá', 'obrigado'],
  // Languages natural has no list for: their commonest function words and a greeting or two.
  cs: ['aplikace', 'aplikaci', 'program', 'programu', 'a', 'i', 'je', 'se', 'na', 've', 'v', 'z', 'ze', 'do', 'od', 'pro', 'po', 'o', 'k', 'že', 'to', 'ten', 'ta', 'tak', 'jak', 'ale', 'nebo', 'jsem', 'jsou', 'být', 'byl', 'byla', 'bylo', 'jako', 'při', 'aby', 'který', 'která', 'které', 'také', 'mám', 'může', 'pokud', 'protože', 'dobrý', 'den', 'děkuji', 'prosím'],
  da: ['og', 'er', 'det', 'en', 'et', 'til', 'af', 'på', 'med', 'som', 'har', 'jeg', 'vi', 'de', 'kan', 'hej', 'tak'],
  fi: ['ja', 'on', 'ei', 'se', 'että', 'tai', 'kun', 'ovat', 'oli', 'voi', 'myös', 'mutta', 'jos', 'joka', 'jotka', 'tämä', 'sen', 'niin', 'kuin', 'olla', 'vain', 'koska', 'hei', 'kiitos'],
  tr: ['ve', 'bir', 'bu', 'için', 'ile', 'da', 'de', 'olarak', 'olan', 'çok', 'daha', 'gibi', 'ama', 'veya', 'ancak', 'şu', 'ise', 'kadar', 'sonra', 'merhaba', 'teşekkürler'],
  hu: ['a', 'az', 'és', 'hogy', 'egy', 'is', 'van', 'volt', 'meg', 'vagy', 'már', 'csak', 'mert', 'ha', 'ez', 'azt', 'ezt', 'lehet', 'kell', 'szia', 'köszönöm'],
  ro: ['și', 'şi', 'în', 'la', 'cu', 'pentru', 'de', 'pe', 'sau', 'care', 'mai', 'fost', 'poate', 'să', 'din', 'acest', 'această', 'este', 'sunt', 'dar', 'bună', 'mulțumesc'],
  el: ['και', 'το', 'να', 'του', 'της', 'των', 'με', 'για', 'σε', 'από', 'στο', 'στη', 'στην', 'είναι', 'ένα', 'μια', 'θα', 'που', 'ότι', 'τα', 'τις', 'τον', 'την', 'οι'],
  ar: ['في', 'من', 'على', 'إلى', 'الى', 'أن', 'ان', 'هذا', 'هذه', 'عن', 'مع', 'أو', 'او', 'التي', 'الذي', 'كان', 'قد', 'تم', 'ما', 'هل', 'لكن', 'عند', 'بعد', 'كل', 'مرحبا', 'شكرا'],
  he: ['של', 'את', 'על', 'זה', 'הוא', 'היא', 'עם', 'כי', 'אם', 'או', 'גם', 'יש', 'כל', 'מה', 'אני', 'אתה', 'אבל', 'רק', 'שלום', 'תודה'],
  // "program Outlook", "aplikace Outlook": Microsoft's pages name every product so.
  pl: ['dzień', 'dobry', 'witam', 'dziękuję', 'proszę', 'program', 'programu', 'programem', 'programie', 'aplikacja', 'aplikacji'],
  sv: ['hej', 'tack'],
  nb: ['hei', 'takk'],
  // natural's Persian list holds prepositions and punctuation only: the copula and the commonest function words too.
  fa: ['است', 'این', 'آن', 'که', 'را', 'به', 'در', 'از', 'و', 'با', 'برای', 'یک', 'می', 'شد', 'شده', 'های', 'ها', 'هم', 'نیز', 'تا', 'بر', 'یا', 'اما', 'شود', 'میشود', 'کند', 'کرد', 'باشد', 'بود', 'وی', 'او', 'ما', 'شما', 'من', 'هر', 'سلام', 'ممنون'],
  uk: ['може', 'можуть', 'бути', 'є', 'цей', 'ця', 'це', 'який', 'яка', 'яке', 'вітаю', 'дякую', 'будь', 'ласка', 'помилка', 'помилки', 'помилку', 'помилкою', 'також', 'якщо', 'щоб'],
  ru: ['может', 'могут', 'быть', 'есть', 'этот', 'эта', 'это', 'этого', 'который', 'которое', 'которая', 'здравствуйте', 'спасибо', 'добрый', 'день', 'подскажите', 'пожалуйста', 'ошибка', 'ошибки', 'ошибку', 'ошибкой', 'указать', 'указан', 'указали', 'указано', 'возможно', 'также', 'если', 'чтобы'],
};
/** Words of this field too common in every language's messages to tell playbooks apart. */
const FIELD_STOPWORDS = ['exchange', 'microsoft', 'outlook', 'office', 'mail', 'mails', 'e-mail', 'email', 'server'];
/**
 * The languages added later write Outlook's working modes in English ("tryb online", "režim offline"):
 * every localised page on those modes uses them, so they tell no playbook from another there.
 */
const MODE_WORDS = ['online', 'offline'];
const MODE_WORDS_IN: ReadonlySet<Lang> = new Set<Lang>(['pl', 'cs', 'sv', 'da', 'nb', 'fi', 'tr', 'hu', 'ro']);

const stopCache = new Map<Lang, Set<string>>();
function stopwordsFor(lang: Lang): Set<string> {
  let set = stopCache.get(lang);
  if (!set) {
    const mod = STOPWORD_MODULES[lang];
    const listed = lang === 'de' ? GERMAN_STOPWORDS : mod ? ((require(mod) as { words: string[] }).words ?? []) : [];
    // terms() stems, so each stop word is kept as written and as its stem.
    const stemmer = stemmerFor(lang);
    set = new Set<string>();
    for (const w of [...listed, ...(EXTRA_STOPWORDS[lang] ?? []), ...FIELD_STOPWORDS, ...(MODE_WORDS_IN.has(lang) ? MODE_WORDS : [])]) {
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
 * Korean words of any help text ("사용" use, "설정" set, "해당" concerned, "동일" same, "따라" so): like
 * German's "verwenden" or "bestimmten", they tell no playbook from another.
 */
const KO_HELP_WORDS = ['사용', '설정', '해당', '동일', '따라', '만들', '포함', '관련'];

/**
 * Korean bigrams of polite endings and the copula ("…습니다", "…합니다", "…입니다"): nearly every sentence
 * has one; they tell no playbook from another.
 */
const KO_FUNCTION_BIGRAMS = new Set(['습니', '니다', '합니', '입니', '됩니', '십시', '세요', '해주', '주세', '있습', '하는', '하여', '에서', '으로', '에게', '또는', '대한', '하지', '되지', '경우', '내는', '있는', '하고', '되어', '때문', '문에', '다음', '음을', '음과', '어야', '해야', '니까', '않도', '도록', '않은', '않는', '되었', '었습', '였습', '했습', '되는', '된다']);

/**
 * Whether a CJK bigram carries no meaning: Japanese hiragana only (particles, endings), two Chinese
 * function characters, or a Korean ending. Japanese and Chinese are read by code unit: a term of two
 * characters, both of them hiragana or function characters (BMP, no surrogate), is exactly a term of
 * two code units that are.
 */
function isFunctionBigram(t: string, lang: Lang): boolean {
  // A lone Korean syllable is a word of its own: nearly always a determiner or bound noun ("이", "수", "및", "등").
  if (lang === 'ko') return t.length === 1 || KO_FUNCTION_BIGRAMS.has(t) || KO_HELP_WORDS.includes(t);
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

/** Japanese particles that end a phrase: a bigram of one and a character of another script spans two words. */
const JA_PARTICLES = new Set(Array.from('がをにのはでとへもや'));

/**
 * Whether a CJK bigram spans a word boundary: a Japanese particle next to a kanji or katakana ("のメ",
 * "が送"), or a Chinese function character next to a content one ("的邮", "送的"). Such a bigram is
 * shared by chance (it names nothing): it counts in `hits`, never in `specific`.
 */
export function isBoundaryBigram(t: string, lang: Lang): boolean {
  if (lang !== 'ja' && lang !== 'zh') return false;
  const chars = Array.from(t);
  if (chars.length !== 2) return false;
  const [a, b] = chars as [string, string];
  if (lang === 'zh') return ZH_FUNCTION_CHARS.has(a.codePointAt(0) as number) !== ZH_FUNCTION_CHARS.has(b.codePointAt(0) as number);
  const kana = (ch: string) => { const c = ch.codePointAt(0) as number; return c >= 0x3040 && c <= 0x309f; };
  return (JA_PARTICLES.has(a) && !kana(b)) || (JA_PARTICLES.has(b) && !kana(a));
}

/**
 * The terms of a text in a language, less its stop words: natural's list where it has one (the words
 * stemmed as the terms are, since terms() stems), ours for German; for CJK and Korean, bigrams that carry grammar only
 * (Chinese read with its Traditional characters folded to Simplified, cjk.ts).
 * `max`: only the first this many (the rest of the text is not read).
 */
export function contentTerms(text: string, lang: Lang, max = Infinity): string[] {
  // Chinese: Traditional characters are read as their Simplified forms (the catalog's wording is Simplified).
  return terms(lang === 'zh' ? foldTraditional(text) : text, lang, keeperFor(lang), max);
}

/** Alphabetic stems shorter than this are no specific term (see similarities). */
const MIN_SPECIFIC_STEM = 4;

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
  /** Its place in LangTextIndex.postingList. */
  index: number;
  idf: number;
  docs: Int32Array;
  weights: Float64Array;
  /** No specific term: a generic word of the field, a short Russian stem, a CJK bigram across a word boundary (LangTextIndex.notSpecific). */
  generic: boolean;
  /** The generation of the last paste that took this term (LangTextIndex.similarities). */
  seen: number;
}

/** A paste's query as it is collected: the postings of its terms (first-met order), those terms, the norm's sum, content terms read. */
interface Query {
  postings: Posting[];
  matched: string[];
  qnorm: number;
  taken: number;
}

/** What similarities() answers (reused arrays: valid until the next call). */
export interface LangScores {
  sims: Float64Array;
  hits: Int32Array;
  specific: Int32Array;
  matched: string[];
}

/** runTerm's marks: a content term the index does not know, and no content term. */
const RUN_UNKNOWN = -1;
const RUN_NOT_CONTENT = -2;
/** CJK terms remembered per language index (a long-running process meets ever new ones). */
const MAX_RUN_TERMS = 200_000;

/** A lexicon word's class for similaritiesOfWords (a posting index otherwise). */
const UNSEEN = -1;
/** Not ASCII letters only: cut into terms as terms() cuts it. */
const OTHER_WORD = -2;
/** One or two letters: no term. */
const NO_TERM = -3;
/** A stop word: not one of the content terms. */
const NOT_CONTENT = -4;
/** A content term the index does not know. */
const UNKNOWN_TERM = -5;

/** One language's index: term -> postings (document index, normalised weight) and idf. */
export class LangTextIndex {
  readonly lang: Lang;
  private readonly postings = new Map<string, Posting>();
  /** The paste the postings' `seen` marks belong to (the query takes each term once). */
  private generation = 0;
  /** The postings by their index. */
  private readonly postingList: Posting[] = [];
  /** Lexicon id -> what the word is to the query (similaritiesOfWords): a posting index, or one of the classes below. */
  private asciiClass = new Int32Array(0);
  private readonly keep: (term: string) => boolean;
  private readonly sims: Float64Array;
  private readonly hits: Int32Array;
  private readonly specific: Int32Array;
  /** Terms every topic of the field shares (mail, mailbox, server, "cannot"): they count in `hits`, not in `specific`. */
  private readonly generic = new Set<string>();
  /** Chinese: the last and the first characters of the generic words (the junction of two of them, notSpecific). */
  private readonly genericEnds = new Set<number>();
  private readonly genericStarts = new Set<number>();
  /** Whether the language's short stems count as no specific term (Russian: its stems are short and collide). */
  private readonly shortStems: boolean;
  /** CJK terms met in pastes, by their code units (runTerm): a posting index, RUN_UNKNOWN or RUN_NOT_CONTENT. */
  private readonly runTerms = new Map<number, number>();
  /** The query similarities() is filling (its visitor's). */
  private visiting: Query | undefined;
  private readonly visitor: TermVisitor = { run: (src, from, to) => this.runTerm(src, from, to), word: (t) => this.wordTerm(t) };

  /**
   * `docs[i]` is the wording of document i (a playbook) in this language; empty when it has none.
   * `generic`: words of the whole field in this language (taken as terms, as the paste is).
   */
  constructor(lang: Lang, docs: readonly string[], generic: readonly string[] = []) {
    this.lang = lang;
    const stop = stopwordsFor(lang);
    this.keep = (t) => !stop.has(t) && !isFunctionBigram(t, lang);
    this.shortStems = lang === 'ru';
    this.sims = new Float64Array(docs.length);
    this.hits = new Int32Array(docs.length);
    this.specific = new Int32Array(docs.length);
    for (const g of generic) {
      const word = lang === 'zh' ? foldTraditional(g) : g;
      for (const t of terms(word, lang)) this.generic.add(t);
      // Chinese: where a generic word ends and where one starts (a bigram across the two is chance: see notSpecific).
      if (lang === 'zh' && word.length >= 2 && isCjkPhrase(word)) {
        this.genericEnds.add(word.charCodeAt(word.length - 1));
        this.genericStarts.add(word.charCodeAt(0));
      }
    }
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
      const posting = { term: t, index: this.postingList.length, idf: idf.get(t) as number, docs: Int32Array.from(list, (p) => p[0]), weights: Float64Array.from(list, (p) => p[1]), generic: this.notSpecific(t), seen: 0 };
      this.postings.set(t, posting);
      this.postingList.push(posting);
    }
  }

  get terms(): number {
    return this.postings.size;
  }

  /**
   * Whether a term, shared, counts in `hits` only, never in `specific`: a generic word of the field; a
   * short alphabetic stem ("sol", "inv", "при") where stems are short and collide, shared by chance; a CJK
   * bigram across a word boundary (a particle or function character and the next word's first: "的邮",
   * "のメ"). A property of the term alone: decided once, for its posting.
   */
  private notSpecific(t: string): boolean {
    return this.generic.has(t) || (this.shortStems && t.length < MIN_SPECIFIC_STEM) || isBoundaryBigram(t, this.lang) || this.isJunction(t);
  }

  /**
   * Chinese: a bigram made of one generic word's last character and the next one's first ("件地" in
   * 邮件地址, "人邮" in 收件人邮件, "址错" in 地址错误): Chinese runs its words together, so such a bigram
   * is read wherever two field words meet, and names nothing.
   */
  private isJunction(t: string): boolean {
    return this.lang === 'zh' && t.length === 2 && this.genericEnds.has(t.charCodeAt(0)) && this.genericStarts.has(t.charCodeAt(1));
  }

  /**
   * Cosine similarity of the prose to each document (reused arrays: valid until the next call), how many
   * terms each shares (`hits`), how many of those are not generic words of the field (`specific`), and the terms that matched.
   */
  similarities(prose: string): LangScores {
    // The first MAX_QUERY_TERMS content terms only (the rest of the prose is not read); each term the index
    // knows taken once. The terms of contentTerms(prose, lang, MAX_QUERY_TERMS), visited in order (lang.ts).
    const query = this.startQuery();
    this.visiting = query;
    visitTerms(this.lang === 'zh' ? foldTraditional(prose) : prose, this.lang, MAX_QUERY_TERMS, this.visitor);
    this.visiting = undefined;
    return this.score(query);
  }

  /** A word's term of the prose being visited: offered when it is a content term. */
  private wordTerm(t: string): boolean {
    if (!this.keep(t)) return false;
    this.offer(this.visiting as Query, this.postings.get(t));
    return true;
  }

  /**
   * A CJK or Hangul term src[from, to) of the prose being visited: offered when it is a content term.
   * A lone character or a bigram of two BMP units is looked up by its code units (runTerms: whether it
   * is a content term and its posting, found once), with no string cut out.
   */
  private runTerm(src: string, from: number, to: number): boolean {
    let key = -1;
    if (to - from === 1) key = src.charCodeAt(from);
    else if (to - from === 2) {
      const a = src.charCodeAt(from);
      const b = src.charCodeAt(from + 1);
      if ((a < 0xd800 || a > 0xdfff) && (b < 0xd800 || b > 0xdfff)) key = a * 65536 + b;
    }
    let v = key >= 0 ? this.runTerms.get(key) : undefined;
    if (v === undefined) {
      const t = src.slice(from, to);
      const p = this.keep(t) ? this.postings.get(t) : undefined;
      v = p ? p.index : this.keep(t) ? RUN_UNKNOWN : RUN_NOT_CONTENT;
      if (key >= 0 && this.runTerms.size < MAX_RUN_TERMS) this.runTerms.set(key, v);
    }
    if (v === RUN_NOT_CONTENT) return false;
    this.offer(this.visiting as Query, v >= 0 ? this.postingList[v] : undefined);
    return true;
  }

  /**
   * similarities() of text's first `limit` characters, read off the paste's words (`words`, scanned from
   * `text` with `lexicon`, lexicon.ts) instead of cutting and looking up every word again. The same
   * terms in the same order when the text holds no code unit from U+3040 on (no CJK, no surrogate: see
   * WordBuf.high) and lowercasing kept its offsets: then every word of terms() lies inside one of the
   * paste's words (a letter terms() reads is a word character there), and a word of ASCII letters only is
   * one word of terms(), the same lowercased letters; any other word is cut into terms as terms() cuts it.
   * A word of ASCII letters is looked up once per lexicon id (asciiClass).
   */
  similaritiesOfWords(text: string, limit: number, words: WordBuf, lexicon: Lexicon): LangScores {
    if (words.high || words.slow !== null) return this.similarities(text.length > limit ? text.slice(0, limit) : text);
    const query = this.startQuery();
    if (this.asciiClass.length < lexicon.size) {
      const grown = new Int32Array(Math.max(lexicon.size, this.asciiClass.length * 2)).fill(UNSEEN);
      grown.set(this.asciiClass);
      this.asciiClass = grown;
    }
    const cls = this.asciiClass;
    const n = words.n;
    for (let i = 0; i < n && query.taken < MAX_QUERY_TERMS; i++) {
      const start = words.start[i] as number;
      if (start >= limit) break;
      const end = Math.min(words.end[i] as number, limit);
      const id = words.lex[i] as number;
      let c = id >= 0 && end === words.end[i] ? (cls[id] as number) : OTHER_WORD;
      if (c === UNSEEN) cls[id] = c = this.classifyAscii(lexicon.texts[id] as string);
      if (c === NO_TERM) continue;
      if (c === NOT_CONTENT) continue;
      if (c === OTHER_WORD) {
        const ts = contentTerms(text.slice(start, end), this.lang, MAX_QUERY_TERMS - query.taken);
        for (let k = 0; k < ts.length; k++) this.offer(query, this.postings.get(ts[k] as string));
        continue;
      }
      this.offer(query, c === UNKNOWN_TERM ? undefined : this.postingList[c]);
    }
    return this.score(query);
  }

  /** What a lexicon word is to the query: see the classes below (only words of ASCII letters get a term here). */
  private classifyAscii(word: string): number {
    for (let k = 0; k < word.length; k++) {
      const ch = word.charCodeAt(k);
      if (ch < 97 || ch > 122) return OTHER_WORD;
    }
    if (word.length <= 2) return NO_TERM;
    const t = asciiWordTerm(word, this.lang);
    if (!this.keep(t)) return NOT_CONTENT;
    const p = this.postings.get(t);
    return p ? p.index : UNKNOWN_TERM;
  }

  /** An empty query for the next paste: the arrays cleared, a new generation for the postings' `seen`. */
  private startQuery(): Query {
    this.sims.fill(0);
    this.hits.fill(0);
    this.specific.fill(0);
    if (++this.generation === 0x7fffffff) {
      this.generation = 1;
      for (const p of this.postings.values()) p.seen = 0;
    }
    return { postings: [], matched: [], qnorm: 0, taken: 0 };
  }

  /** One content term of the prose, in order (its posting, undefined when the index has none): the first time a known one is met, it joins the query. */
  private offer(query: Query, p: Posting | undefined): void {
    query.taken++;
    if (!p || p.seen === this.generation) return;
    p.seen = this.generation;
    query.postings.push(p);
    query.matched.push(p.term);
    query.qnorm += p.idf * p.idf;
  }

  private score(q: Query): LangScores {
    const sims = this.sims;
    const hits = this.hits;
    const specific = this.specific;
    const query = q.postings;
    const matched = q.matched;
    // Only the terms the index knows weigh in the paste's norm, as in freetext.ts.
    const qnorm = Math.sqrt(q.qnorm) || 1;
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
