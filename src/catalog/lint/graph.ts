// Where each outcome of a step leads, with the walkthrough's defaults (schema.ts, Step.next): done and skipped
// go to the following step (or end); failed goes to the following step for a read-only step (escalate after
// the last one) and to escalate for a step that changes something.
import type { Playbook, Step } from '../schema.ts';

export type Outcome = 'done' | 'failed' | 'skipped';
export const OUTCOMES: readonly Outcome[] = ['done', 'failed', 'skipped'];

export function outcomeTarget(p: Playbook, index: number, outcome: Outcome): string {
  const s = p.steps[index]!;
  const explicit = s.next?.[outcome];
  if (explicit) return explicit;
  const following = p.steps[index + 1]?.id;
  if (outcome === 'failed') return s.changes === false ? (following ?? 'escalate') : 'escalate';
  return following ?? 'end';
}

export function stepById(p: Playbook): Map<string, { step: Step; index: number }> {
  return new Map(p.steps.map((step, index) => [step.id, { step, index }]));
}

/** The steps the done outcome walks through from `from` (inclusive), stopping at end/escalate or a loop. */
export function donePath(p: Playbook, from: string): Set<string> {
  const byId = stepById(p);
  const seen = new Set<string>();
  for (let id = from; byId.has(id) && !seen.has(id); id = outcomeTarget(p, byId.get(id)!.index, 'done')) seen.add(id);
  return seen;
}
