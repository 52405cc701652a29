// The language layer of the matcher: the localised phrases of an intent as evidence, which pastes are
// worth a language guess, and the free-text wording per language.
//
// - Localised phrases (intent `lang.<xx>.phrases`) are evidence like English phrases: they join the
//   intent's evidence with their weights, and also stand for its requireAny (they are the same
//   sentences in another language). Latin-script ones go into the word trie with the English phrases,
//   CJK ones into the substring automaton (cjk.ts).
// - A language guess (lang.ts, tinyld) costs about a millisecond, so only a paste with a few function
//   words of a supported language, or CJK text, is guessed at; every other paste is English unasked.
// - The wording of a non-English paste is compared with that language's symptoms (langtext.ts).
import type { Catalog } from '../catalog/load.ts';
import type { Condition, EvidenceSpec, Intent } from '../catalog/schema.ts';
import { isCjkCode } from './cjk.ts';
import { detectLanguage, type Lang, type LanguageGuess } from './lang.ts';
import { LangTextIndex } from './langtext.ts';
import { FLAG_DOMAIN, type Lexicon, type WordBuf } from './lexicon.ts';

/** The languages an intent's `lang` block may name (schema.ts's LOCAL_LANGUAGES; a test keeps them equal). */
export const LOCAL_LANGS = ['de', 'fr', 'es', 'it', 'nl', 'pt', 'ja', 'zh'] as const;

/** A lexicon flag: a function word of a supported language other than English. */
export const FLAG_FOREIGN = 1 << 6;

/**
 * Function words that English prose does not use (so "die", "a", "no", "per" are left out): two of them
 * in a paste's first words make a language guess worth its cost.
 */
const FUNCTION_WORDS: Record<Exclude<Lang, 'en' | 'ja' | 'zh'>, string[]> = {
  de: ['der', 'das', 'und', 'ist', 'nicht', 'wurde', 'werden', 'konnte', 'kann', 'sie', 'ihre', 'ihr', 'für', 'zu', 'mit', 'dem', 'den', 'ein', 'eine', 'wird', 'bei', 'auf', 'oder', 'ich', 'dass', 'über', 'keine'],
  fr: ['le', 'les', 'est', 'une', 'pas', 'vous', 'votre', 'été', 'être', 'pour', 'des', 'dans', 'qui', 'du', 'au', 'aux', 'avec', 'sur', 'ne', 'peut', 'je', 'nous', 'cette', 'ce'],
  es: ['el', 'los', 'las', 'una', 'está', 'puede', 'para', 'del', 'que', 'su', 'por', 'pero', 'sido', 'este', 'esta'],
  it: ['il', 'non', 'della', 'delle', 'dei', 'stato', 'che', 'è', 'può', 'sono', 'gli', 'alla', 'nel', 'della', 'questo', 'questa', 'messaggio', 'del', 'ho'],
  nl: ['het', 'niet', 'een', 'van', 'kan', 'worden', 'uw', 'naar', 'bij', 'voor', 'met', 'zijn', 'wordt', 'deze', 'dit', 'ik', 'geen', 'werd'],
  pt: ['não', 'uma', 'está', 'para', 'foi', 'pode', 'seu', 'sua', 'que', 'com', 'da', 'das', 'dos', 'ao', 'por', 'mensagem', 'é'],
};
/** Words of the mail field in each language: they put a paste without codes on topic, like DOMAIN_WORDS. */
const FIELD_WORDS = [
  'postfach', 'nachricht', 'nachrichten', 'empfänger', 'absender', 'zustellung', 'unzustellbar', 'verbindung', 'kennwort',
  'messagerie', 'courrier', 'destinataire', 'expéditeur', 'remise', 'boîte', 'connexion',
  'correo', 'buzón', 'destinatario', 'remitente', 'mensaje', 'entrega', 'conexión',
  'posta', 'casella', 'mittente', 'messaggio', 'recapito', 'recapitato', 'connessione',
  'postvak', 'bericht', 'ontvanger', 'afzender', 'bezorgd', 'verbinding',
  'correio', 'caixa', 'destinatário', 'remetente', 'mensagem', 'entregue', 'conexão',
];
/** The same for CJK text, looked for as substrings. */
const CJK_FIELD_WORDS = ['邮件', '郵件', '邮箱', '信箱', '收件人', '发件人', '退信', 'メール', '受信者', '送信者', '配信', '宛先'];

/** How many of the first words are read for the gate. */
const GATE_WORDS = 400;
const GATE_HITS = 2;

/** One localised phrase of an intent, as evidence. */
export interface LocalPhraseSpec {
  lang: Lang;
  phrase: string;
  weight: number;
}

/** The intent's localised phrases, every language in LOCAL_LANGS order. */
export function localPhrases(intent: Intent): LocalPhraseSpec[] {
  const out: LocalPhraseSpec[] = [];
  if (!intent.lang) return out;
  for (const lang of LOCAL_LANGS) {
    for (const p of intent.lang[lang]?.phrases ?? []) out.push({ lang, phrase: p.phrase, weight: p.weight });
  }
  return out;
}

/** The intent's evidence with its localised phrases added (weighted), for the matcher. */
export function evidenceWithLocal(intent: Intent): EvidenceSpec[] {
  const local = localPhrases(intent);
  if (!local.length) return intent.evidence;
  return [...intent.evidence, ...local.map((p) => ({ phrase: p.phrase, weight: p.weight }) as EvidenceSpec)];
}

/** A localised phrase this strong stands for the intent's requireAny (weaker ones only add to a match). */
export const REQUIRE_MIN_WEIGHT = 0.3;

/** The intent's requireAny with its strong localised phrases added (they are the same sentences in another language). */
export function requireAnyWithLocal(intent: Intent): Condition[] | undefined {
  if (!intent.requireAny) return undefined;
  const local = localPhrases(intent).filter((p) => p.weight >= REQUIRE_MIN_WEIGHT);
  if (!local.length) return intent.requireAny;
  return [...intent.requireAny, ...local.map((p) => ({ phrase: p.phrase }) as Condition)];
}

/** The wording of each playbook in one language: its intents' symptoms and phrases there. */
function wordingIn(catalog: Catalog, lang: Exclude<Lang, 'en'>): string[] {
  const byPlaybook = new Map<string, string[]>();
  for (const i of catalog.intents) {
    const block = i.lang?.[lang];
    if (!block) continue;
    const parts = byPlaybook.get(i.playbook) ?? [];
    parts.push(...(block.symptoms ?? []), ...(block.phrases ?? []).map((p) => p.phrase));
    byPlaybook.set(i.playbook, parts);
  }
  return catalog.playbooks.map((p) => (byPlaybook.get(p.id) ?? []).join('\n'));
}

export interface LocalWording {
  lang: Lang;
  sims: Float64Array;
  /** How many of the paste's terms each document shares. */
  hits: Int32Array;
  /** The paste's terms (stems, CJK bigrams) that the language's index knows. */
  matched: string[];
}

export class LanguageLayer {
  private readonly indexes = new Map<Lang, LangTextIndex>();

  constructor(catalog: Catalog) {
    for (const lang of LOCAL_LANGS) {
      const docs = wordingIn(catalog, lang);
      if (docs.some((d) => d.length > 0)) this.indexes.set(lang, new LangTextIndex(lang, docs));
    }
  }

  /** Marks the function words (for the gate) and the field words (on topic) in the lexicon. */
  bind(lexicon: Lexicon): void {
    for (const list of Object.values(FUNCTION_WORDS)) for (const w of list) lexicon.setFlag(lexicon.add(w), FLAG_FOREIGN);
    for (const w of FIELD_WORDS) lexicon.setFlag(lexicon.add(w), FLAG_DOMAIN);
  }

  /**
   * The paste's language when it is worth asking (a few foreign function words, or CJK text, in its first
   * words) and not English; undefined otherwise.
   */
  detect(text: string, words: WordBuf, lexicon: Lexicon): LanguageGuess | undefined {
    const n = Math.min(words.n, GATE_WORDS);
    let hits = 0;
    let worth = false;
    for (let i = 0; i < n && !worth; i++) {
      if (lexicon.hasFlag(words.lex[i] as number, FLAG_FOREIGN)) worth = ++hits >= GATE_HITS;
      else if (isCjkCode(words.code(i, 0)) || isCjkCode(words.code(i, words.length(i) - 1))) worth = true;
    }
    if (!worth) return undefined;
    const guess = detectLanguage(text);
    return guess.lang === 'en' ? undefined : guess;
  }

  /** Whether CJK prose names something of the mail field (Latin-script field words are flagged in the lexicon). */
  cjkOnTopic(text: string): boolean {
    const head = text.length > 8192 ? text.slice(0, 8192) : text;
    return CJK_FIELD_WORDS.some((w) => head.includes(w));
  }

  /** The paste's wording against the language's symptoms, or undefined when the catalog has none in it. */
  wording(text: string, lang: Lang): LocalWording | undefined {
    const index = this.indexes.get(lang);
    if (!index) return undefined;
    const { sims, hits, matched } = index.similarities(text.length > 64 * 1024 ? text.slice(0, 64 * 1024) : text);
    return { lang, sims, hits, matched };
  }
}
