// Typed reasons an action was not applied, each with a plain message the conversation layer can show.
import type { Actor, Session, StepState } from './session.ts';
import { clock } from '../text/time.ts';

export type Rejection =
  | { kind: 'stale'; message: string; expectedStep: string; currentStep: string | null; lastBy?: Actor; lastAt?: string }
  | { kind: 'not-active'; message: string; status: Session['status'] }
  | { kind: 'needs-confirmation'; message: string; stepId: string }
  | { kind: 'already-confirmed'; message: string; stepId: string; by: Actor; at: string }
  /** Four eyes: a high-risk change needs a second, different person's confirmation. */
  | { kind: 'needs-second-person'; message: string; stepId: string; by: Actor }
  | { kind: 'already-escalated'; message: string; by: Actor; at: string }
  | { kind: 'nothing-to-confirm'; message: string; stepId: string }
  | { kind: 'no-probe'; message: string; stepId: string }
  | { kind: 'nothing-to-undo'; message: string }
  | { kind: 'unknown-step'; message: string; stepId: string }
  | { kind: 'broken-playbook'; message: string; stepId: string }
  | { kind: 'invalid'; message: string }
  | { kind: 'session-full'; message: string }
  | { kind: 'thread-busy'; message: string; sessionId: string }
  | { kind: 'unknown-playbook'; message: string; playbookId: string }
  /** Too many simultaneous changes to one session: nothing applied, try again. */
  | { kind: 'busy'; message: string };

export type RejectionKind = Rejection['kind'];


const PAST: Record<StepState['status'], string> = { pending: 'reopened', done: 'marked done', failed: 'marked failed', skipped: 'skipped' };

export function staleStep(session: Session, expectedStep: string): Rejection {
  const state = session.steps[expectedStep];
  const now = session.cursor ? `the walkthrough is now at step "${session.cursor}"` : `the walkthrough has ${session.status}`;
  if (state?.by && state.at && state.status !== 'pending') {
    return {
      kind: 'stale',
      message: `Step "${expectedStep}" was already ${PAST[state.status]} by ${state.by.name} at ${clock(state.at)}; ${now}.`,
      expectedStep,
      currentStep: session.cursor,
      lastBy: state.by,
      lastAt: state.at,
    };
  }
  return { kind: 'stale', message: `That button is for step "${expectedStep}", but ${now}.`, expectedStep, currentStep: session.cursor };
}

export function notActive(session: Session): Rejection {
  const who = session.endedBy && session.endedAt ? ` by ${session.endedBy.name} at ${clock(session.endedAt)}` : '';
  const what = { active: 'is active', finished: 'already finished', escalated: 'was escalated', stopped: 'was stopped' }[session.status];
  return { kind: 'not-active', message: `This walkthrough ${what}${who}; nothing was changed.`, status: session.status };
}

export function needsConfirmation(stepId: string, what: string): Rejection {
  return { kind: 'needs-confirmation', message: `Step "${stepId}" changes something (${what}). Confirm before marking it done.`, stepId };
}

export function alreadyConfirmed(stepId: string, by: Actor, at: string): Rejection {
  return { kind: 'already-confirmed', message: `Step "${stepId}" was already confirmed by ${by.name} at ${clock(at)}.`, stepId, by, at };
}

export function needsSecondPerson(stepId: string, first: Actor): Rejection {
  return { kind: 'needs-second-person', stepId, by: first, message: `Step "${stepId}" is a high-risk change: ${first.name} confirmed it, and a second person must confirm too (four eyes) before it can be marked done.` };
}

export function threadBusy(session: Session): Rejection {
  const at = session.cursor ? ` (at step "${session.cursor}")` : '';
  return { kind: 'thread-busy', sessionId: session.id, message: `A walkthrough of playbook "${session.playbookId}" is already running in this thread${at}, started by ${session.startedBy.name}. Finish, escalate or stop it first.` };
}

export function unknownPlaybook(playbookId: string): Rejection {
  return { kind: 'unknown-playbook', playbookId, message: `There is no playbook "${playbookId}" in the catalog (it may have been renamed or removed). Run \`ehlo playbooks\` to list them.` };
}
