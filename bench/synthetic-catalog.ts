// A larger catalog for the matcher bench, made from the real one: copy k of every playbook and intent
// under new ids, with every word of its wording and phrases replaced by another word of the catalog's
// own vocabulary (a bijection that shifts each word's rank by k strides), and CJK characters shifted
// within their block. Codes (status, reply, component, event ID, KB, error code, exception, cmdlet,
// agent, HTTP) and the paste kinds stay as they are: a catalog four times larger has more intents per
// code, not codes nobody pastes. So the copies have the real catalog's shape (as many conditions of
// each key, the same weights, word frequencies distributed alike) but phrases and wording of their
// own, and a paste no longer ties with its own copies. Deterministic: the same catalog gives the same
// copies.
import type { Catalog } from '../src/catalog/load.ts';
import type { Condition, EvidenceSpec, Intent, Playbook } from '../src/catalog/schema.ts';

const WORD = /[A-Za-z]+/g;
/** The characters shiftCjk moves (every other character it leaves as it is). */
const CJK = /[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]/g;

/** Every text of an intent that the matcher reads (phrases, examples, titles, localised blocks). */
function intentTexts(i: Intent): string[] {
  const out = [i.title, ...i.examples.map((e) => e.text)];
  for (const c of [...i.evidence, ...(i.requireAny ?? []), ...(i.exclude ?? [])]) if (c.phrase) out.push(c.phrase);
  for (const block of Object.values(i.lang ?? {})) {
    for (const p of block?.phrases ?? []) out.push(p.phrase);
    out.push(...(block?.symptoms ?? []));
  }
  return out;
}

function playbookTexts(p: Playbook): string[] {
  return [p.title, p.summary, ...p.symptoms, p.diagnosis.meaning];
}

/** Shifts a Han or kana character k·97 places within its block (other characters unchanged). */
function shiftCjk(c: number, k: number): number {
  if (c >= 0x4e00 && c <= 0x9fff) return 0x4e00 + ((c - 0x4e00 + k * 97) % 0x5200);
  if (c >= 0x3041 && c <= 0x3096) return 0x3041 + ((c - 0x3041 + k * 7) % 0x56);
  if (c >= 0x30a1 && c <= 0x30fa) return 0x30a1 + ((c - 0x30a1 + k * 7) % 0x5a);
  return c;
}

/** The catalog `times` over: copy 0 is the catalog itself, copies 1… have wording of their own (see above). */
export function syntheticCatalog(catalog: Catalog, times: number): Catalog {
  const vocab = new Set<string>();
  const collect = (s: string) => {
    for (const m of s.matchAll(WORD)) vocab.add(m[0].toLowerCase());
  };
  for (const i of catalog.intents) intentTexts(i).forEach(collect);
  for (const p of catalog.playbooks) playbookTexts(p).forEach(collect);
  const words = [...vocab].sort();
  const rank = new Map(words.map((w, r) => [w, r]));
  const stride = Math.floor(words.length / times) + 1;
  const mapText = (s: string, k: number): string => {
    const latin = s.replace(WORD, (w) => words[((rank.get(w.toLowerCase()) as number) + k * stride) % words.length] as string);
    // replace() gives a flat string; one built a character at a time with += is a rope of one-character
    // pieces, and every join or template the matcher makes of a title or label walked that rope again
    // (about 12 µs per ambiguous paste): a cost of this bench's catalog, which a loaded catalog never has.
    return latin.replace(CJK, (ch) => String.fromCharCode(shiftCjk(ch.charCodeAt(0), k)));
  };
  const mapCondition = <T extends Condition | EvidenceSpec>(c: T, k: number): T => (c.phrase ? { ...c, phrase: mapText(c.phrase, k) } : c);

  const playbooks: Playbook[] = [...catalog.playbooks];
  const intents: Intent[] = [...catalog.intents];
  for (let k = 1; k < times; k++) {
    const suffix = `-synthetic${k}`;
    for (const p of catalog.playbooks) {
      playbooks.push({
        ...p,
        id: `${p.id}${suffix}`,
        title: mapText(p.title, k),
        summary: mapText(p.summary, k),
        symptoms: p.symptoms.map((s) => mapText(s, k)),
        diagnosis: { ...p.diagnosis, meaning: mapText(p.diagnosis.meaning, k) },
      });
    }
    for (const i of catalog.intents) {
      const lang: Intent['lang'] = i.lang ? {} : undefined;
      for (const [code, block] of Object.entries(i.lang ?? {})) {
        if (!block || !lang) continue;
        lang[code as keyof NonNullable<Intent['lang']>] = {
          ...block,
          ...(block.phrases && { phrases: block.phrases.map((p) => ({ ...p, phrase: mapText(p.phrase, k) })) }),
          ...(block.symptoms && { symptoms: block.symptoms.map((s) => mapText(s, k)) }),
        };
      }
      intents.push({
        ...i,
        id: `${i.id}${suffix}`,
        playbook: `${i.playbook}${suffix}`,
        title: mapText(i.title, k),
        evidence: i.evidence.map((e) => mapCondition(e, k)),
        ...(i.requireAny && { requireAny: i.requireAny.map((c) => mapCondition(c, k)) }),
        ...(i.exclude && { exclude: i.exclude.map((c) => mapCondition(c, k)) }),
        examples: i.examples.map((e) => ({ ...e, text: mapText(e.text, k) })),
        ...(lang && { lang }),
      });
    }
  }
  return { root: catalog.root, playbooks, intents, playbookById: new Map(playbooks.map((p) => [p.id, p])), fileOf: new Map() };
}
