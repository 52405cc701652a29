// Settling the current step with an outcome (done, failed, skipped) and moving along its branch.
import type { Step } from '../catalog/schema.ts';
import { nextTarget, type StepOutcome, type WalkPlaybook } from './flow.ts';
import { pointless } from './recheck.ts';
import { notForVersion } from './versions.ts';
import type { Rejection } from './rejection.ts';
import { defined, type Actor, type Session, type TimelineEntry, type Via } from './session.ts';

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
  const steps = { ...session.steps };
  const events: TimelineEntry[] = [];
  const path = [...session.path];
  let current: Settlement = s;
  // Settle the step, then skip on past steps an earlier passing check made pointless or that are for
  // other Exchange versions than the thread's (bounded by the playbook's length).
  for (let hop = 0; hop <= playbook.steps.length; hop++) {
    const target = nextTarget(playbook, current.step, current.outcome);
    if (target.kind === 'broken') {
      return { kind: 'broken-playbook', stepId: current.step.id, message: `Step "${current.step.id}" leads to "${target.ref}" when ${current.outcome}, which playbook "${playbook.id}" does not have. Run \`ehlo lint\`; escalate or stop this walkthrough meanwhile.` };
    }
    steps[current.step.id] = defined({ ...steps[current.step.id], status: current.outcome, by: current.by, at: current.at, via: current.via, reason: current.reason });
    events.push(defined({ at: current.at, by: current.by, action: current.outcome, stepId: current.step.id, detail: current.reason }));
    if (target.kind !== 'step') {
      const end = target.kind === 'end' ? ending(session, 'finished', current.by, current.at) : ending(session, 'escalated', current.by, current.at, escalationReason(current));
      return { set: { ...end.set, steps, path }, events: [...events, ...end.events] };
    }
    steps[target.stepId] = { status: 'pending' };
    path.push(target.stepId);
    const next = playbook.steps.find((x) => x.id === target.stepId) as Step;
    const offVersion = notForVersion(session.versions, next);
    const why = offVersion ?? pointless(session, playbook, next, steps);
    if (!why) return { set: { steps, cursor: target.stepId, path }, events };
    current = { step: next, outcome: 'skipped', by: current.by, at: current.at, via: offVersion ? 'version' : 'probe', reason: why };
  }
  return { kind: 'broken-playbook', stepId: current.step.id, message: `Playbook "${playbook.id}" skips in a loop from step "${current.step.id}". Run \`ehlo lint\`.` };
}
