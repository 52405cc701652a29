// Proof of a fix. A walkthrough whose diagnosis rests on a failed check ends with that check run again
// (same probe, same target): "resolved" only when it passes cleanly, "unverified" when it could not run,
// passed with warnings or still finds the problem. One whose fix no probe can see ends with a person's
// confirmation of what they observe (the step's `proof`): "resolved" only when they confirm it. And a
// check that already passed makes a later step that would only run the same check again pointless: the
// walkthrough skips it and says why.
import type { Step, StepProof } from '../catalog/schema.ts';
import { changesSomething, findStep, type WalkPlaybook } from './flow.ts';
import type { Evidence, Session } from './session.ts';

/** The check the diagnosis rests on: the latest check that failed, on a step that still has a probe. */
export function diagnosisCheck(session: Session, playbook: WalkPlaybook): (Evidence & { step: Step }) | undefined {
  for (let i = session.evidence.length - 1; i >= 0; i--) {
    const e = session.evidence[i] as Evidence;
    const step = findStep(playbook, e.stepId);
    if (e.report.status === 'fail' && step?.probe) return { ...e, step };
  }
  return undefined;
}

/** A fix proved by a person's confirmation: the step done on the path whose `proof` says what to look at. */
export interface ConfirmProof {
  stepId: string;
  step: Step;
  proof: StepProof;
}

/**
 * The proof a walkthrough with no failed check owes: the `proof` of the first step settled done on its
 * path that has one (the fix the diagnosis led to; a later one, such as clearing a cache after adding
 * the address, only tidies up after it), when no check failed on the way.
 */
export function confirmProof(session: Session, playbook: WalkPlaybook): ConfirmProof | undefined {
  if (diagnosisCheck(session, playbook)) return undefined;
  for (const stepId of session.path) {
    const step = findStep(playbook, stepId);
    if (step?.proof && session.steps[stepId]?.status === 'done') return { stepId, step, proof: step.proof };
  }
  return undefined;
}

/** What proves the fix of a walkthrough: its failed check run again, or a person's confirmation of what they see. */
export type ClosingProof = { kind: 'check'; check: Evidence & { step: Step } } | ({ kind: 'confirm' } & ConfirmProof);

export function closingProof(session: Session, playbook: WalkPlaybook): ClosingProof | undefined {
  const check = diagnosisCheck(session, playbook);
  if (check) return { kind: 'check', check };
  const confirm = confirmProof(session, playbook);
  return confirm && { kind: 'confirm', ...confirm };
}

/** A finished walkthrough that still owes its re-check (a check run again, or a confirmation asked). */
export function needsRecheck(session: Session, playbook: WalkPlaybook): boolean {
  return session.status === 'finished' && !session.recheck && closingProof(session, playbook) !== undefined;
}

function sameProbe(a: Step, b: Step): boolean {
  return !!a.probe && !!b.probe && a.probe.kind === b.probe.kind && a.probe.target === b.probe.target && a.probe.role === b.probe.role && JSON.stringify(a.probe.options ?? {}) === JSON.stringify(b.probe.options ?? {});
}

/**
 * Why `step` is pointless now, or undefined: an earlier step ran the same check (same probe, target
 * template and options, so the same target in this thread) and it passed, nothing was changed since,
 * and a pass would settle this step anyway. Steps that verify a fix (`retry: true`) always run.
 */
export function pointless(session: Session, playbook: WalkPlaybook, step: Step, steps: Session['steps']): string | undefined {
  if (!step.probe || step.retry || step.probe.onPass === 'none') return undefined;
  for (let i = session.evidence.length - 1; i >= 0; i--) {
    const e = session.evidence[i] as Evidence;
    const earlier = findStep(playbook, e.stepId);
    if (!earlier || earlier.id === step.id || !sameProbe(earlier, step)) continue;
    if (e.report.status !== 'pass') return undefined;
    const changedSince = Object.entries(steps).some(([id, s]) => {
      const st = findStep(playbook, id);
      return st && changesSomething(st) && s.status === 'done' && s.at !== undefined && s.at >= e.at;
    });
    if (changedSince) return undefined;
    return `the same ${step.probe.kind} check (${e.report.target}) passed at step "${earlier.id}"; nothing changed since`;
  }
  return undefined;
}
