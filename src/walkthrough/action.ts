// What can be done to a session, and the context every action carries.
import type { Rejection } from './rejection.ts';
import type { Actor, ProbeReport, ProofAnswer, Session, TimelineEntry } from './session.ts';

export const ACTION_TYPES = ['done', 'failed', 'skip', 'back', 'confirm', 'check-result', 'note', 'escalate', 'stop', 'recheck'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export type Action =
  | { type: 'done' }
  | { type: 'failed'; reason?: string }
  | { type: 'skip'; reason?: string }
  /** Reopen the previous step of the path. */
  | { type: 'back' }
  /** For a step that changes something: the person confirms they are about to make the change. */
  | { type: 'confirm' }
  /** A probe ran for the current step: record it as evidence and apply the step's onPass / onFail. */
  | { type: 'check-result'; report: ProbeReport }
  | { type: 'note'; text: string }
  | { type: 'escalate'; reason?: string }
  | { type: 'stop'; reason?: string }
  /**
   * A finished walkthrough that owes its proof: the re-check's report, or why it could not run; or, for a
   * fix proved by a person (the step's `proof`), their answer (yes / no / unsure) and what they add.
   */
  | { type: 'recheck'; report?: ProbeReport; reason?: string; confirmed?: ProofAnswer };

/** Actions that act on the step shown; the others act on the whole session. */
export const STEP_ACTIONS: ReadonlySet<ActionType> = new Set(['done', 'failed', 'skip', 'back', 'confirm', 'check-result']);

export interface ActionContext {
  actor: Actor;
  at: Date;
  /**
   * The step the button was rendered for. When given and the session has moved on, the action is
   * rejected as stale instead of being applied to whatever step is current now.
   */
  expectedStep?: string;
  /** High-risk change steps need a second person's confirmation (four eyes). */
  fourEyes?: boolean;
}

/** An accepted action: the new session and the timeline entries it added; or why it was refused. */
export type ApplyResult = { ok: true; session: Session; events: TimelineEntry[] } | { ok: false; rejection: Rejection };
