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
