// The answer to a telling-apart question, applied to a match result: the playbook it settles on first
// (verdict `match`), the other of the pair behind every other candidate. Used by `ehlo match --answer`
// and by the conversation's answer buttons.
import type { Catalog } from '../catalog/load.ts';
import { answerIndex, settle } from '../catalog/settle.ts';
import { THRESHOLDS } from './matcher.ts';
import type { Match, MatchResult } from './types.ts';

export type Answered = { ok: true; result: MatchResult; label: string } | { ok: false; reason: string };

function band(score: number): Match['confidence'] {
  return score >= THRESHOLDS.high ? 'high' : score >= THRESHOLDS.medium ? 'medium' : 'low';
}

/** `given`: the answer's 1-based number or its label (or the label's unique start). */
export function answerResult(result: MatchResult, catalog: Pick<Catalog, 'questions' | 'playbookById'>, given: string): Answered {
  const q = result.questionId ? catalog.questions?.find((x) => x.id === result.questionId) : undefined;
  if (!q) return { ok: false, reason: 'this paste asks no question of ours to answer' };
  const i = answerIndex(q, given);
  const ans = q.answers[i];
  if (!ans) return { ok: false, reason: `"${given}" is not one of the answers: ${q.answers.map((a, n) => `${n + 1}. ${a.label}`).join('; ')}` };
  if (!ans.settles) return { ok: true, label: ans.label, result };
  const why = { evidence: `your answer: ${ans.label}`, span: null, weight: 0 };
  const matches = settle(result.matches, q, i, (playbook, score): Match => {
    const p = catalog.playbookById.get(playbook);
    return { playbook, title: p?.title ?? playbook, topics: p?.topics ?? [], score, confidence: band(score), intent: '', why: [] };
  }).map((m, n): Match => (n === 0 ? { ...m, confidence: band(m.score), why: [why, ...m.why.filter((w) => !w.evidence.endsWith(`question ${q.id})`))] } : { ...m, confidence: band(m.score) }));
  const settled: MatchResult = { ...result, verdict: (matches[0]?.score ?? 0) >= THRESHOLDS.none ? 'match' : 'none', matches };
  delete settled.question;
  delete settled.questionId;
  delete settled.answers;
  return { ok: true, label: ans.label, result: settled };
}
