// Localised wording: each phrase and symptom is in the language it is filed under (the detector says so,
// or for CJK the script does), and no localised phrase leads to two playbooks (it would tell them apart by nothing).
import type { CatalogProblem } from '../load.ts';
import { LOCAL_LANGUAGES, type LocalLanguage } from '../schema.ts';
import { detectAll } from 'tinyld/light';
import { proseOf } from '../../match/lang.ts';
import { defineRule } from './rule.ts';

const KANA = /[\u3040-\u30ff]/u;
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff]/u;
const HANGUL = /[\uac00-\ud7af]/u;
const CYRILLIC = /[\u0400-\u04ff]/u;
const RUSSIAN_ONLY = /[ыэъёЫЭЪЁ]/u;
const GREEK = /[\u0370-\u03ff\u1f00-\u1fff]/u;
const HEBREW = /[\u0590-\u05ff]/u;
const ARABIC = /[\u0600-\u06ff]/u;
const PERSIAN = /[پچژگکی]/u;
/** The light detector's names for a language where they differ: Norwegian is "no", the Scandinavian languages it tells apart poorly (any of the three will do), Czech it does not know. */
const DETECTOR_NAMES: Partial<Record<LocalLanguage, string[]>> = { nb: ['no', 'da', 'sv'], da: ['no', 'da', 'sv'], sv: ['sv', 'no', 'da'], cs: [] };
/** How far down the detector's list the filed language may be (short fragments are hard to tell). */
const TOP = 5;
/** Below this many letters of prose (codes and acronyms left out) a fragment is too short for the detector to judge. */
const MIN_LETTERS = 18;

/** Why a text is not in `lang`, or undefined when it plausibly is. */
export function notInLanguage(text: string, lang: LocalLanguage): string | undefined {
  if (lang === 'ja') return KANA.test(text) || HAN.test(text) ? undefined : 'Japanese text has kana or kanji';
  if (lang === 'zh') {
    if (KANA.test(text)) return 'Chinese text has no kana (is it Japanese?)';
    return HAN.test(text) ? undefined : 'Chinese text has Han characters';
  }
  if (lang === 'ko') return HANGUL.test(text) ? undefined : 'Korean text has Hangul';
  if (HAN.test(text) || KANA.test(text) || HANGUL.test(text)) return 'CJK or Hangul text filed under an alphabetic language';
  if (lang === 'ru') return CYRILLIC.test(text) ? undefined : 'Russian text has Cyrillic letters';
  if (lang === 'uk') {
    if (!CYRILLIC.test(text)) return 'Ukrainian text has Cyrillic letters';
    return RUSSIAN_ONLY.test(text) ? 'Ukrainian text has none of the letters only Russian writes (ы э ъ ё)' : undefined;
  }
  if (lang === 'el') return GREEK.test(text) ? undefined : 'Greek text has Greek letters';
  if (lang === 'he') return HEBREW.test(text) ? undefined : 'Hebrew text has Hebrew letters';
  if (lang === 'ar') return ARABIC.test(text) && !PERSIAN.test(text) ? undefined : 'Arabic text has Arabic letters and none of Persian\'s own';
  if (lang === 'fa') return ARABIC.test(text) ? undefined : 'Persian text has Arabic-script letters';
  if (CYRILLIC.test(text) || GREEK.test(text) || HEBREW.test(text) || ARABIC.test(text)) return 'non-Latin text filed under a Latin-script language';
  const prose = proseOf(text);
  if (prose.replace(/[^\p{L}]/gu, '').length < MIN_LETTERS) return undefined;
  // The light detector knows neither Czech nor Danish: Czech is not checked beyond its script, Danish may read as Norwegian or Swedish.
  const known = DETECTOR_NAMES[lang] ?? [lang];
  if (known.length === 0) return undefined;
  const ranked = detectAll(prose).slice(0, TOP).map((g) => g.lang);
  return ranked.some((g) => known.includes(g)) ? undefined : `the language detector does not rank it ${lang} (it says ${ranked.join(', ') || 'nothing'})`;
}

const normal = (p: string) => p.toLowerCase().replace(/\s+/g, ' ').trim();

export const localisedWording = defineRule('localised-wording', 'localised phrases and symptoms are in their language, and no localised phrase leads to two playbooks', (ctx) => {
  const problems: CatalogProblem[] = [];
  const owner = new Map<string, { playbook: string; intent: string }>();
  for (const i of ctx.catalog.intents) {
    const file = ctx.file(i, i.id);
    for (const lang of LOCAL_LANGUAGES) {
      const block = i.lang?.[lang];
      if (!block) continue;
      const seen = new Set<string>();
      (block.phrases ?? []).forEach((p, k) => {
        const field = `lang.${lang}.phrases[${k}]`;
        const why = notInLanguage(p.phrase, lang);
        if (why) problems.push({ file, field, message: `"${p.phrase}" does not read as ${lang}: ${why}` });
        const key = `${lang}:${normal(p.phrase)}`;
        if (seen.has(key)) problems.push({ file, field, message: `"${p.phrase}" is listed twice` });
        seen.add(key);
        const other = owner.get(key);
        if (other && other.playbook !== i.playbook) {
          problems.push({ file, field, message: `"${p.phrase}" also leads to playbook ${other.playbook} (intent ${other.intent}); a phrase in two playbooks tells them apart by nothing` });
        } else if (!other) owner.set(key, { playbook: i.playbook, intent: i.id });
      });
      (block.symptoms ?? []).forEach((s, k) => {
        const why = notInLanguage(s, lang);
        if (why) problems.push({ file, field: `lang.${lang}.symptoms[${k}]`, message: `"${s}" does not read as ${lang}: ${why}` });
      });
    }
  }
  return problems;
});
