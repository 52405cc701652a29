// The matcher: paste -> signals -> scored intents -> ranked playbooks, each with the evidence that fired.
import type { Catalog } from '../catalog/load.ts';
import type { Intent, Playbook } from '../catalog/schema.ts';
import { flatten } from './chars.ts';
import { compileCondition, PasteIndex, PhraseIndex, type CompiledCondition } from './evidence.ts';
import { TextIndex, termsOf, type TextHit } from './freetext.ts';
import { detectKind } from './kind.ts';
import { extractSignals } from './signals.ts';
import { summarizeSignals } from './summary.ts';
import { splitWords } from './words.ts';
import type { Confidence, Match, MatchResult, Signal, Span, WhyItem } from './types.ts';

/** Pastes longer than this are analysed up to here (and the result says so). */
export const MAX_ANALYSED_CHARS = 1024 * 1024;
export const MAX_MATCHES = 5;

/** Score thresholds (DESIGN.md: bands and verdicts). */
export const THRESHOLDS = { high: 0.75, medium: 0.5, none: 0.35, ambiguousGap: 0.1 } as const;

/** How strongly summed evidence weights turn into a score: 1 - e^(-k·S). */
const EVIDENCE_STEEPNESS = 2;
/** Cosine similarity at which the wording counts as fully alike. */
const TEXT_SATURATION = 0.3;
/** Share of the score the wording can give: more for descriptions, less next to codes. */
const TEXT_SHARE_FREE = 0.72;
const TEXT_SHARE_CODED = 0.3;
/** Wording alone, with no word of this field in the paste, stays below the `none` line. */
const TEXT_SHARE_OFF_TOPIC = 0.25;

/** Words that put a code-less paste in the mail world ("topology discovery failed for kafka" is not). */
const DOMAIN_WORDS = new Set([
  'exchange', 'outlook', 'owa', 'mailbox', 'mailboxes', 'smtp', 'ndr', 'ndrs', 'bounce', 'bounces', 'bounced', 'oof', 'autodiscover',
  'ews', 'activesync', 'mapi', 'rpc', 'transport', 'connector', 'connectors', 'hybrid', 'o365', 'office', 'm365', 'exo', 'eop',
  'mail', 'email', 'emails', 'e', 'inbox', 'calendar', 'recipient', 'recipients', 'sender', 'dag', 'spf', 'dkim', 'dmarc', 'mx',
  'tls', 'starttls', 'relay', 'quarantine', 'quarantined', 'oab', 'gal', 'replies', 'reply', 'cu', 'msexchange', 'powershell',
]);

interface CompiledIntent {
  intent: Intent;
  playbook: Playbook;
  evidence: Array<CompiledCondition & { weight: number }>;
  requireAny: CompiledCondition[];
  exclude: CompiledCondition[];
}

interface Candidate {
  playbook: Playbook;
  intent: string;
  evidenceScore: number;
  rawSum: number;
  why: WhyItem[];
  text?: TextHit;
  score: number;
}

export class Matcher {
  private readonly intents: CompiledIntent[];
  private readonly phrases = new PhraseIndex();
  private readonly text: TextIndex;
  readonly catalog: Catalog;

  constructor(catalog: Catalog) {
    this.catalog = catalog;
    this.intents = catalog.intents.map((intent) => {
      const playbook = catalog.playbookById.get(intent.playbook);
      if (!playbook) throw new Error(`intent ${intent.id} leads to unknown playbook ${intent.playbook}`);
      const evidence = intent.evidence.map((e) => ({ ...compileCondition(e), weight: e.weight }));
      const requireAny = (intent.requireAny ?? []).map(compileCondition);
      const exclude = (intent.exclude ?? []).map(compileCondition);
      for (const c of [...evidence, ...requireAny, ...exclude]) this.phrases.add(c);
      return { intent, playbook, evidence, requireAny, exclude };
    });
    this.text = new TextIndex(catalog.playbooks.map((p) => ({ id: p.id, words: splitWords(playbookWording(p, catalog.intents)) })));
  }

  match(input: string): MatchResult {
    const text = flatten(input.length > MAX_ANALYSED_CHARS ? input.slice(0, MAX_ANALYSED_CHARS) : input);
    const words = splitWords(text);
    const signals = extractSignals(text, words);
    const kind = detectKind(text, signals);
    const paste = new PasteIndex(signals, kind, this.phrases.scan(words));
    const candidates = new Map<string, Candidate>();
    for (const ci of this.intents) {
      const c = scoreIntent(ci, paste);
      const best = candidates.get(ci.playbook.id);
      if (c && (!best || c.rawSum > best.rawSum)) candidates.set(ci.playbook.id, c);
    }
    const hasCodes = signals.some(isCodeSignal);
    const onTopic = hasCodes || words.some((w) => DOMAIN_WORDS.has(w.text) || /^cu\d{1,2}$/.test(w.text));
    const textShare = hasCodes ? TEXT_SHARE_CODED : onTopic ? TEXT_SHARE_FREE : TEXT_SHARE_OFF_TOPIC;
    for (const hit of this.text.query(termsOf(words))) {
      const playbook = this.catalog.playbookById.get(hit.docId) as Playbook;
      let c = candidates.get(hit.docId);
      if (!c) candidates.set(hit.docId, (c = { playbook, intent: '', evidenceScore: 0, rawSum: 0, why: [], score: 0 }));
      c.text = hit;
    }
    for (const c of candidates.values()) {
      const t = Math.min(1, (c.text?.similarity ?? 0) / TEXT_SATURATION) * textShare;
      c.score = 1 - (1 - c.evidenceScore) * (1 - t);
      if (c.text && t >= 0.02) c.why.push(textWhy(c.text, t, c.evidenceScore));
    }
    const ranked = [...candidates.values()].filter((c) => c.score > 0.01).sort((a, b) => b.score - a.score || b.rawSum - a.rawSum);
    const matches = ranked.slice(0, MAX_MATCHES).map(toMatch);
    const result: MatchResult = { kind, signals: summarizeSignals(signals), verdict: 'none', matches };
    if (input.length > text.length) result.truncated = { analysedChars: text.length, totalChars: input.length };
    const [first, second] = ranked;
    if (first && first.score >= THRESHOLDS.none) {
      if (second && first.score - second.score < THRESHOLDS.ambiguousGap) {
        result.verdict = 'ambiguous';
        result.question = tellApart(first, second, this.intents);
      } else {
        result.verdict = 'match';
      }
    }
    return result;
  }
}

function isCodeSignal(s: Signal): boolean {
  return s.type === 'statusCode' || s.type === 'replyCode' || s.type === 'component' || s.type === 'hresult' || s.type === 'eventId' || s.type === 'exception';
}

/** The words that describe a playbook for the free-text index. */
function playbookWording(p: Playbook, intents: readonly Intent[]): string {
  const parts = [p.title, p.summary, ...p.symptoms, ...p.symptoms, p.diagnosis.meaning];
  for (const i of intents) if (i.playbook === p.id) parts.push(i.title, ...i.examples.map((e) => e.text.slice(0, 2000)));
  return parts.join('\n');
}

function scoreIntent(ci: CompiledIntent, paste: PasteIndex): Candidate | null {
  for (const x of ci.exclude) if (paste.find(x) !== undefined) return null;
  if (ci.requireAny.length && !ci.requireAny.some((r) => paste.find(r) !== undefined)) return null;
  let sum = 0;
  const why: WhyItem[] = [];
  for (const e of ci.evidence) {
    const span = paste.find(e);
    if (span === undefined) continue;
    sum += e.weight;
    why.push({ evidence: e.label, span, weight: e.weight });
  }
  if (sum <= 0) return null;
  return { playbook: ci.playbook, intent: ci.intent.id, evidenceScore: 1 - Math.exp(-EVIDENCE_STEEPNESS * sum), rawSum: sum, why, score: 0 };
}

function textWhy(hit: TextHit, share: number, evidenceScore: number): WhyItem {
  const shown = hit.terms.slice(0, 4);
  const span: Span | null = shown[0] ? [shown[0].start, shown[0].end] : null;
  return {
    evidence: `wording like the playbook's: ${shown.map((t) => `"${t.term}"`).join(', ')}`,
    span,
    weight: round((1 - evidenceScore) * share),
  };
}

function confidenceOf(score: number): Confidence {
  return score >= THRESHOLDS.high ? 'high' : score >= THRESHOLDS.medium ? 'medium' : 'low';
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function toMatch(c: Candidate): Match {
  return {
    playbook: c.playbook.id,
    title: c.playbook.title,
    topics: c.playbook.topics,
    score: round(c.score),
    confidence: confidenceOf(c.score),
    intent: c.intent,
    why: c.why,
  };
}

/** The question whose answer separates the best two: evidence one expects and the other does not. */
function tellApart(a: Candidate, b: Candidate, intents: readonly CompiledIntent[]): string {
  const expected = (c: Candidate) => intents.find((i) => i.intent.id === c.intent)?.evidence ?? [];
  const fired = new Set([...a.why, ...b.why].map((w) => w.evidence));
  const pick = (mine: Candidate, other: Candidate) => {
    const otherLabels = new Set(expected(other).map((e) => e.label));
    return expected(mine)
      .filter((e) => e.weight > 0 && !fired.has(e.label) && !otherLabels.has(e.label) && e.key !== 'kind')
      .sort((x, y) => y.weight - x.weight)[0];
  };
  const ea = pick(a, b);
  const eb = pick(b, a);
  if (ea || eb) {
    const parts: string[] = [];
    if (ea) parts.push(`${ea.label} (→ ${a.playbook.title})`);
    if (eb) parts.push(`${eb.label} (→ ${b.playbook.title})`);
    return `Does the full error text show ${parts.join(' or ')}?`;
  }
  return `Which fits better: "${a.playbook.summary.trim()}" or "${b.playbook.summary.trim()}"?`;
}
