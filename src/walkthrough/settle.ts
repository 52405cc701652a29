// Settling the current step with an outcome (done, failed, skipped) and moving along its branch.
import type { Step } from '../catalog/schema.ts';
import { nextTarget, type StepOutcome, type WalkPlaybook } from './flow.ts';
import type { Rejection } from './rejection.ts';
import { defined, type Actor, type Session, type StepState, type TimelineEntry, type Via } from './session.ts';

/** The fields an action changes and the timeline entries it adds; the engine bumps version and time. */
export interface Patch {
  set: Partial<Session>;
  events: TimelineEntry[];
}

export interface Settlement {
  step: Step;
  outcome: StepOutcome;
  by: Actor;
  at: string;
  via: Via;
  reason?: string;
}

/** Close the session (escalated or stopped or finished) at the current step. */
export function ending(session: Session, status: 'finished' | 'escalated' | 'stopped', by: Actor, at: string, reason?: string): Patch {
  const action = status === 'finished' ? 'finish' : status === 'escalated' ? 'escalate' : 'stop';
  const event: TimelineEntry = defined({ at, by, action, stepId: session.cursor ?? undefined, detail: reason });
  return { set: defined({ status, cursor: null, endedAt: at, endedBy: by, endReason: reason }), events: [event] };
}

function escalationReason(s: Settlement): string {
  const base = `step "${s.step.id}" ${s.outcome}`;
  return s.reason ? `${base}: ${s.reason}` : base;
}

export function settle(session: Session, playbook: WalkPlaybook, s: Settlement): Patch | Rejection {
  const target = nextTarget(playbook, s.step, s.outcome);
  if (target.kind === 'broken') {
    return { kind: 'broken-playbook', stepId: s.step.id, message: `Step "${s.step.id}" leads to "${target.ref}" when ${s.outcome}, which playbook "${playbook.id}" does not have. Run \`ehlo lint\`; escalate or stop this walkthrough meanwhile.` };
  }
  const state: StepState = defined({ ...session.steps[s.step.id], status: s.outcome, by: s.by, at: s.at, via: s.via, reason: s.reason });
  const steps = { ...session.steps, [s.step.id]: state };
  const event: TimelineEntry = defined({ at: s.at, by: s.by, action: s.outcome, stepId: s.step.id, detail: s.reason });
  if (target.kind === 'step') {
    steps[target.stepId] = { status: 'pending' };
    return { set: { steps, cursor: target.stepId, path: [...session.path, target.stepId] }, events: [event] };
  }
  const end = target.kind === 'end' ? ending(session, 'finished', s.by, s.at) : ending(session, 'escalated', s.by, s.at, escalationReason(s));
  return { set: { ...end.set, steps }, events: [event, ...end.events] };
}
