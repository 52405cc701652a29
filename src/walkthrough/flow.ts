// Navigation inside a playbook: find a step, and where each outcome of a step leads.
import type { Playbook, Step } from '../catalog/schema.ts';

/** The part of a playbook the engine walks. */
export type WalkPlaybook = Pick<Playbook, 'id' | 'title' | 'steps'>;

export type StepOutcome = 'done' | 'failed' | 'skipped';

export type Target = { kind: 'step'; stepId: string } | { kind: 'end' } | { kind: 'escalate' } | { kind: 'broken'; ref: string };

export function findStep(playbook: WalkPlaybook, stepId: string): Step | undefined {
  return playbook.steps.find((s) => s.id === stepId);
}

function following(playbook: WalkPlaybook, stepId: string): Target {
  const i = playbook.steps.findIndex((s) => s.id === stepId);
  const next = playbook.steps[i + 1];
  return next ? { kind: 'step', stepId: next.id } : { kind: 'end' };
}

/**
 * Where an outcome of a step leads: the step's `next` entry when it declares one, otherwise
 * done and skipped go to the following step (or the end). An undeclared failure of a check that only
 * reads found something unhealthy, which the following steps deal with (escalate when none follows);
 * an undeclared failure of a change escalates.
 */
export function nextTarget(playbook: WalkPlaybook, step: Step, outcome: StepOutcome): Target {
  const declared = step.next?.[outcome];
  if (declared === undefined && outcome === 'failed') {
    if (changesSomething(step)) return { kind: 'escalate' };
    const after = following(playbook, step.id);
    return after.kind === 'end' ? { kind: 'escalate' } : after;
  }
  if (declared === undefined) return following(playbook, step.id);
  if (declared === 'end') return { kind: 'end' };
  if (declared === 'escalate') return { kind: 'escalate' };
  return findStep(playbook, declared) ? { kind: 'step', stepId: declared } : { kind: 'broken', ref: declared };
}

/** Whether a step changes something (and so asks for confirmation before it is marked done). */
export function changesSomething(step: Step): step is Step & { changes: { risk: 'low' | 'medium' | 'high'; what: string } } {
  return step.changes !== false;
}
