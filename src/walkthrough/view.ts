// What the conversation layer needs to show the one current step: the step, its state, and the choices
// that make sense now. Neutral data; the channels decide how it looks.
import type { Step } from '../catalog/schema.ts';
import { changesSomething, findStep, type WalkPlaybook } from './flow.ts';
import type { Session, StepState } from './session.ts';

/** Choices offered on a step. `run-check` runs the step's probe; its result comes back as a check-result action. */
export type Choice = 'confirm' | 'done' | 'failed' | 'skip' | 'run-check' | 'back' | 'escalate' | 'stop';

export interface StepView {
  sessionId: string;
  version: number;
  step: Step;
  /** 1-based position in the playbook, and the playbook's length. */
  position: number;
  total: number;
  state: StepState;
  /** The step changes something and nobody has confirmed yet: `done` is refused until someone does. */
  awaitingConfirmation: boolean;
  choices: Choice[];
  playbookId: string;
  /** The walkthrough was escalated to on-call (it goes on). */
  escalation?: Session['escalation'];
}

export function choicesFor(session: Session, step: Step): Choice[] {
  const state = session.steps[step.id];
  const awaiting = changesSomething(step) && (!state?.confirmedBy || (state.needsSecond === true && !state.approvedBy));
  const choices: Choice[] = awaiting ? ['confirm'] : ['done'];
  choices.push('failed', 'skip');
  if (step.probe) choices.push('run-check');
  if (session.path.length > 1) choices.push('back');
  choices.push('escalate', 'stop');
  return choices;
}

/** The step to show, or undefined when the session is no longer active (show its summary instead). */
export function currentStep(session: Session, playbook: WalkPlaybook): StepView | undefined {
  if (session.status !== 'active' || session.cursor === null) return undefined;
  const step = findStep(playbook, session.cursor);
  if (!step) return undefined;
  const state = session.steps[step.id] ?? { status: 'pending' };
  return {
    sessionId: session.id,
    playbookId: session.playbookId,
    version: session.version,
    step,
    position: playbook.steps.indexOf(step) + 1,
    total: playbook.steps.length,
    state,
    awaitingConfirmation: changesSomething(step) && (!state.confirmedBy || (state.needsSecond === true && !state.approvedBy)),
    ...(session.escalation && { escalation: session.escalation }),
    choices: choicesFor(session, step),
  };
}
