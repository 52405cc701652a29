// Scoring ehlo against a labelled corpus: top-1 topic accuracy, per-topic precision/recall, misses.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Matcher } from './matcher.ts';

export interface LabelledCase {
  id: string;
  text: string;
  source: string;
  topic: string;
  alt_topics?: string[];
  /** ISO 639-1 language of the paste (blind and language fixtures carry it; absent means English). */
  lang?: string;
  /** What kind of paste it is as a person would say (client-library, other-mta, ndr, description …). */
  kind?: string;
}

export interface Miss {
  id: string;
  expected: string;
  got: string;
  verdict: string;
  score: number;
}

export interface Evaluation {
  total: number;
  correct: number;
  accuracy: number;
  misses: Miss[];
  /** topic -> counts of true positives, false positives, false negatives. */
  perTopic: Map<string, { tp: number; fp: number; fn: number }>;
}

export function readCases(file: string): LabelledCase[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
    const c = JSON.parse(l) as LabelledCase;
    if (!c.id || typeof c.text !== 'string' || !c.topic || !c.source) throw new Error(`${file}:${i + 1}: a case needs id, text, source and topic`);
    return c;
  });
}

/** The shared corpus copy plus every test/fixtures/cases/*.jsonl file. */
export function readFixtureCases(fixturesDir: string): LabelledCase[] {
  const cases = readCases(join(fixturesDir, 'corpus-cases.jsonl'));
  let extra: string[];
  try {
    extra = readdirSync(join(fixturesDir, 'cases')).filter((f) => f.endsWith('.jsonl')).sort();
  } catch {
    extra = [];
  }
  for (const f of extra) cases.push(...readCases(join(fixturesDir, 'cases', f)));
  return cases;
}

export function evaluate(matcher: Matcher, cases: readonly LabelledCase[]): Evaluation {
  const perTopic = new Map<string, { tp: number; fp: number; fn: number }>();
  const bump = (t: string, k: 'tp' | 'fp' | 'fn') => {
    let e = perTopic.get(t);
    if (!e) perTopic.set(t, (e = { tp: 0, fp: 0, fn: 0 }));
    e[k]++;
  };
  const misses: Miss[] = [];
  let correct = 0;
  for (const c of cases) {
    const r = matcher.match(c.text);
    const top = r.matches[0];
    const acceptable = new Set([c.topic, ...(c.alt_topics ?? [])]);
    const answered = r.verdict === 'none' || !top ? 'none' : top.topics.find((t) => acceptable.has(t)) ?? top.topics[0] ?? 'none';
    const ok = acceptable.has(answered);
    if (ok) {
      correct++;
      bump(c.topic, 'tp');
    } else {
      bump(c.topic, 'fn');
      bump(answered, 'fp');
      misses.push({ id: c.id, expected: c.topic, got: top && r.verdict !== 'none' ? `${top.playbook} [${top.topics.join(',')}]` : 'none', verdict: r.verdict, score: top?.score ?? 0 });
    }
  }
  return { total: cases.length, correct, accuracy: cases.length ? correct / cases.length : 1, misses, perTopic };
}

export function formatMisses(e: Evaluation): string {
  return e.misses.map((m) => `  ${m.id}: expected ${m.expected}, got ${m.got} (${m.verdict}, ${m.score.toFixed(2)})`).join('\n');
}

/** Figures for one group of cases (a language, a paste kind, a file). */
export interface GroupFigures {
  total: number;
  /** Right topic first. */
  top1: number;
  /** Right topic among the first three ranked candidates, whatever the verdict (`none` cases: verdict `none`). */
  top3: number;
  /** Share of all cases answered `none`. */
  noneRate: number;
  /** Cases labelled `none`, and the share of them answered `none`. */
  negatives: number;
  negativesNone: number;
}

export interface Breakdown {
  all: GroupFigures;
  byLang: Map<string, GroupFigures>;
  byKind: Map<string, GroupFigures>;
}

interface Tally { total: number; top1: number; top3: number; none: number; negatives: number; negativesNone: number }

function figures(t: Tally): GroupFigures {
  const share = (n: number, d: number) => (d ? n / d : 1);
  return {
    total: t.total,
    top1: share(t.top1, t.total),
    top3: share(t.top3, t.total),
    noneRate: share(t.none, t.total),
    negatives: t.negatives,
    negativesNone: share(t.negativesNone, t.negatives),
  };
}

/**
 * Top-1 / top-3 topic accuracy and the `none` rate per language and per paste kind. A case's kind is
 * its labelled `kind`, or else the kind the matcher saw; its language is its `lang`, or else `en`.
 */
export function breakdown(matcher: Matcher, cases: readonly LabelledCase[]): Breakdown {
  const blank = (): Tally => ({ total: 0, top1: 0, top3: 0, none: 0, negatives: 0, negativesNone: 0 });
  const all = blank();
  const byLang = new Map<string, Tally>();
  const byKind = new Map<string, Tally>();
  const group = (m: Map<string, Tally>, k: string) => {
    let t = m.get(k);
    if (!t) m.set(k, (t = blank()));
    return t;
  };
  for (const c of cases) {
    const r = matcher.match(c.text);
    const acceptable = new Set([c.topic, ...(c.alt_topics ?? [])]);
    const isNone = r.verdict === 'none' || r.matches.length === 0;
    const negative = c.topic === 'none';
    // top-1 needs a confident answer; top-3 looks at the ranked candidates even under a `none` verdict
    // (what a person would see offered), while a `none` case counts only when the verdict is `none`.
    const inFirst = (n: number) => r.matches.slice(0, n).some((m) => m.topics.some((t) => acceptable.has(t)));
    const hit = (n: number) => (negative ? isNone : n === 1 ? !isNone && inFirst(1) : inFirst(n));
    for (const t of [all, group(byLang, c.lang ?? 'en'), group(byKind, c.kind ?? r.kind)]) {
      t.total++;
      if (hit(1)) t.top1++;
      if (hit(3)) t.top3++;
      if (isNone) t.none++;
      if (negative) {
        t.negatives++;
        if (isNone) t.negativesNone++;
      }
    }
  }
  const out = (m: Map<string, Tally>) => new Map([...m.entries()].sort((a, b) => b[1].total - a[1].total || a[0].localeCompare(b[0])).map(([k, t]) => [k, figures(t)] as const));
  return { all: figures(all), byLang: out(byLang), byKind: out(byKind) };
}

/** The breakdown as a plain-text table. */
export function formatBreakdown(b: Breakdown): string {
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`.padStart(6);
  const row = (name: string, g: GroupFigures) =>
    `  ${name.padEnd(22)} ${String(g.total).padStart(5)}  ${pct(g.top1)}  ${pct(g.top3)}  ${pct(g.noneRate)}  ${g.negatives ? `${pct(g.negativesNone)} of ${g.negatives}` : '     -'}`;
  const head = `  ${''.padEnd(22)} ${'cases'.padStart(5)}  ${'top-1'.padStart(6)}  ${'top-3'.padStart(6)}  ${'none'.padStart(6)}  non-errors answered none`;
  return [
    head,
    row('all', b.all),
    'by language',
    ...[...b.byLang.entries()].map(([k, g]) => row(k, g)),
    'by paste kind',
    ...[...b.byKind.entries()].map(([k, g]) => row(k, g)),
  ].join('\n');
}
