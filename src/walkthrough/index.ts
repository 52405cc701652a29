// The walkthrough API the conversation layer uses: the durable service, the views it renders, and
// the pure engine underneath (for tests and tools). Stores come from src/store/create.ts.
export { Walkthroughs, type ActRequest, type Lookup, type Outcome, type SessionTarget, type StartRequest, type WalkthroughsOptions } from './walkthroughs.ts';
export { currentStep, choicesFor, type Choice, type StepView } from './view.ts';
export { summarize, formatDuration, type Summary, type SummaryCheck, type SummaryItem } from './summary.ts';
export { apply } from './apply.ts';
export { startSession, playbookHash, type StartInput } from './start.ts';
export { ACTION_TYPES, type Action, type ActionContext, type ActionType, type ApplyResult } from './action.ts';
export type { Rejection, RejectionKind } from './rejection.ts';
export { threadKey, LIMITS, type Actor, type Evidence, type Note, type ProbeReport, type Session, type SessionStatus, type StepState, type TimelineEntry } from './session.ts';
export type { WalkPlaybook } from './flow.ts';
