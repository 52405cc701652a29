// Telling-apart questions as the matcher and the conversation use them (no zod, no YAML: `ehlo match`
// reads them from the catalog cache): find the question for a pair, and re-rank after an answer.
import type { Condition } from './schema.ts';

export interface TellingAnswer {
  label: string;
  settles?: string;
}

/** The validated shape of questions/*.yaml (questions.ts holds the schema). */
export interface TellingQuestion {
  id: string;
  between: [string, string];
  ask: string;
  howToTell: string;
  answers: TellingAnswer[];
  /** The paste shows all of these (the evidence both playbooks share): the pair is undecided whatever the scores. */
  askWhen?: Condition[];
  /** Any of these decides it already (evidence only one of the two has): no question then. */
  unlessAny?: Condition[];
}

/** The question for the two playbooks, in either order. */
export function questionFor<Q extends Pick<TellingQuestion, 'between'>>(questions: readonly Q[], first: string, second: string): Q | undefined {
  return questions.find((q) => (q.between[0] === first && q.between[1] === second) || (q.between[0] === second && q.between[1] === first));
}

/** A ranked candidate as the matcher reports it (only the fields settling needs). */
export interface Ranked {
  playbook: string;
  score: number;
}

/**
 * Re-rank after an answer: the playbook the answer settles on goes first (added from the catalog's
 * pair when the matcher had not ranked it), the other one of the pair drops behind every other
 * candidate. An answer that settles nothing leaves the ranking as it was.
 */
export function settle<T extends Ranked>(ranked: readonly T[], q: Pick<TellingQuestion, 'between' | 'answers'>, answerIndex: number, make: (playbook: string, score: number) => T): T[] {
  const ans = q.answers[answerIndex];
  if (!ans?.settles) return [...ranked];
  const winner = ans.settles;
  const loser = q.between[0] === winner ? q.between[1] : q.between[0];
  const top = ranked.reduce((m, r) => Math.max(m, r.score), 0);
  const found = ranked.find((r) => r.playbook === winner);
  const first = found ? { ...found, score: Math.max(found.score, top) } : make(winner, top);
  const rest = ranked.filter((r) => r.playbook !== winner && r.playbook !== loser);
  const dropped = ranked.filter((r) => r.playbook === loser).map((r) => ({ ...r, score: Math.min(r.score, (rest.at(-1)?.score ?? top) * 0.5) }));
  return [first, ...rest, ...dropped];
}

/** The answer a person gave: its 1-based number, or (the start of) its label, case-insensitive. */
export function answerIndex(q: Pick<TellingQuestion, 'answers'>, given: string): number {
  const t = given.trim().toLowerCase();
  if (/^\d{1,2}$/.test(t)) {
    const n = Number(t) - 1;
    return n >= 0 && n < q.answers.length ? n : -1;
  }
  if (!t) return -1;
  const exact = q.answers.findIndex((a) => a.label.toLowerCase() === t);
  if (exact >= 0) return exact;
  const starts = q.answers.map((a, i) => (a.label.toLowerCase().startsWith(t) ? i : -1)).filter((i) => i >= 0);
  return starts.length === 1 ? (starts[0] as number) : -1;
}
