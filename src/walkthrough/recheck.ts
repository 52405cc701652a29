// Proof of a fix. A walkthrough whose diagnosis rests on a failed check ends with that check run again
// (same probe, same target): "resolved" only when it passes, "unverified" when it could not run or
// still finds the problem. And a check that already passed makes a later step that would only run the
// same check again pointless: the walkthrough skips it and says why.
import type { Step } from '../catalog/schema.ts';
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

/** A finished walkthrough that still owes its re-check. */
export function needsRecheck(session: Session, playbook: WalkPlaybook): boolean {
  return session.status === 'finished' && !session.recheck && diagnosisCheck(session, playbook) !== undefined;
}

function sameProbe(a: Step, b: Step): boolean {
  return !!a.probe && !!b.probe && a.probe.kind === b.probe.kind && a.probe.target === b.probe.target && JSON.stringify(a.probe.options ?? {}) === JSON.stringify(b.probe.options ?? {});
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
