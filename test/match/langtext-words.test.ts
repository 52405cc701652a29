// The localised wording read off the paste's words (LangTextIndex.similaritiesOfWords) must give what
// reading the prose again gives (similarities): the same likeness, hits and terms, on prose with
// capitals, digits inside words, stop words, accents, the Kelvin sign, dotted capital I, Greek sigma,
// CJK text, Cyrillic, Korean (syllables, and jamo: below U+3040) and a word cut by the 16K limit.
import { describe, expect, it } from 'vitest';
import { LangTextIndex } from '../../src/match/langtext.ts';
import type { Lang } from '../../src/match/lang.ts';
import { Lexicon, WordBuf } from '../../src/match/lexicon.ts';
import { scanPaste } from '../../src/match/signals.ts';
import { rng } from '../helpers/rng.ts';

const DOCS: Partial<Record<Lang, string[]>> = {
  de: ['Die Nachricht konnte nicht zugestellt werden, das Postfach ist voll', 'Outlook fragt ständig nach dem Kennwort', 'Der Empfänger wurde nicht gefunden', ''],
  fr: ["Le message n'a pas pu être remis, la boîte aux lettres est pleine", 'Outlook demande sans cesse le mot de passe', 'Destinataire introuvable'],
  ja: ['メッセージを配信できませんでした', 'パスワードを何度も要求されます'],
  ru: ['Почтовый ящик получателя переполнен', 'Пользователь не найден', 'Outlook запрашивает пароль'],
  // Korean as typed (syllables) and decomposed into jamo (NFD, below U+3040: read off the words too).
  ko: ['받는 사람의 사서함이 가득 찼습니다', '사용자를 찾을 수 없습니다', '받는 사람의 사서함이 가득 찼습니다'.normalize('NFD'), '사용자를 찾을 수 없습니다'.normalize('NFD')],
};
const GENERIC: Partial<Record<Lang, string[]>> = { de: ['postfach', 'nachricht'], fr: ['message'] };

const POOL = [
  'Nachricht', 'NACHRICHT', 'nachrichten', 'konnte', 'nicht', 'zugestellt', 'Postfach', 'postfach2', 'voll', 'Kennwort', 'ständig', 'Empfänger',
  'der', 'die', 'das', 'ist', 'message', 'remis', 'boîte', 'lettres', 'pleine', 'mot', 'passe', 'Destinataire', 'introuvable', 'le', 'la',
  'a1b2', '550', '5.2.2', 'abc123def', 'Kelvin\u212Aword', '\u212Aennwort', 'İstanbul', 'ΟΔΟΣ.ΑΘΗΝΑ', 'ΟΔΟΣ', 'x²y', 'Ünïcödé', 'ab', 'e',
  'メッセージ', '配信', '𝔘𝔫𝔡', '—', '.', ',', '(', ')', "'",
  'Почтовый', 'ящик', 'ЯЩИК', 'переполнен', 'пользователь', 'найден', 'пароль', 'їжак', 'ящикa1',
  ...['사서함이', '사서함', '가득', '찼습니다', '사용자를', '수', '없습니다', '사서함에서'].flatMap((w) => [w, w.normalize('NFD')]),
];
const GAPS = [' ', ' ', ' ', '\n', ', ', '. ', '-', ''];

function paste(r: () => number, words: number): string {
  let s = '';
  for (let k = 0; k < words; k++) s += (POOL[Math.floor(r() * POOL.length)] as string) + (GAPS[Math.floor(r() * GAPS.length)] as string);
  return s;
}

/** Both readings of one paste, copied out (the index reuses its arrays). */
function both(index: LangTextIndex, lexicon: Lexicon, text: string, limit: number): [unknown, unknown] {
  const copy = (x: ReturnType<LangTextIndex['similarities']>) => ({ sims: [...x.sims], hits: [...x.hits], specific: [...x.specific], matched: [...x.matched] });
  const plain = copy(index.similarities(text.length > limit ? text.slice(0, limit) : text));
  const words = new WordBuf();
  scanPaste(text, text.toLowerCase(), lexicon, words);
  return [copy(index.similaritiesOfWords(text, limit, words, lexicon)), plain];
}

describe('localised wording read off the paste words', () => {
  for (const lang of ['de', 'fr', 'ja', 'ru', 'ko'] as const) {
    it(`gives what reading the prose gives (${lang})`, () => {
      const index = new LangTextIndex(lang, DOCS[lang] as string[], GENERIC[lang] ?? []);
      const lexicon = new Lexicon(() => -1);
      const r = rng(lang.charCodeAt(0));
      let matchedSome = 0;
      for (let k = 0; k < 400; k++) {
        const [fromWords, plain] = both(index, lexicon, paste(r, 1 + Math.floor(r() * 60)), 16 * 1024);
        expect(fromWords).toEqual(plain);
        if ((plain as { matched: string[] }).matched.length > 0) matchedSome++;
      }
      // The generated pastes share terms with the documents, so the comparison means something.
      expect(matchedSome).toBeGreaterThan(100);
    });
  }

  it('cuts a word at the limit as the prose is cut, and reads at most the first 1500 terms', () => {
    const index = new LangTextIndex('de', DOCS.de as string[], GENERIC.de ?? []);
    const lexicon = new Lexicon(() => -1);
    const head = 'Nachricht '.repeat(100);
    for (const cut of [head.length - 4, head.length, head.length + 3, head.length + 8]) {
      const [fromWords, plain] = both(index, lexicon, `${head}Kennwortabc voll`, cut);
      expect(fromWords).toEqual(plain);
      // Cut after "Kennwort", the prose ends with that word (a term of the documents).
      if (cut === head.length + 8) expect((plain as { matched: string[] }).matched).toContain('kennwort');
    }
    const long = 'Kennwort voll nicht '.repeat(1200) + 'Empfänger Postfach';
    const [fromWords, plain] = both(index, lexicon, long, 64 * 1024);
    expect(fromWords).toEqual(plain);
    expect((plain as { matched: string[] }).matched).not.toContain('postfach');
  });
});
