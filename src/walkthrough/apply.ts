// The walkthrough engine: apply(session, playbook, action, context) is a pure transition that returns
// the next session and the timeline entries it added, or a typed rejection. No I/O, no clock.
import type { Step } from '../catalog/schema.ts';
import { STEP_ACTIONS, type Action, type ActionContext, type ApplyResult } from './action.ts';
import { changesSomething, findStep, type WalkPlaybook } from './flow.ts';
import { closingProof } from './recheck.ts';
import { alreadyConfirmed, needsConfirmation, needsSecondPerson, notActive, staleStep, type Rejection } from './rejection.ts';
import { clock } from '../text/time.ts';
import { Actor, clipProbeReport, defined, LIMITS, ProbeReport, type EvidenceEffect, type ProofAnswer, type Session } from './session.ts';
import { ending, settle, type Patch } from './settle.ts';

interface Turn {
  session: Session;
  playbook: WalkPlaybook;
  step: Step;
  ctx: ActionContext;
  at: string;
}

function isRejection(r: Patch | Rejection): r is Rejection {
  return 'kind' in r;
}

/** Optional free text (a reason, a note) trimmed and bounded; too long is refused, not cut. */
function boundedText(text: string | undefined, max: number, what: string): string | undefined | Rejection {
  const t = text?.trim();
  if (!t) return undefined;
  if (t.length > max) return { kind: 'invalid', message: `The ${what} is ${t.length} characters; the limit is ${max}. Shorten it and try again.` };
  return t;
}

function precheck(session: Session, playbook: WalkPlaybook, action: Action, ctx: ActionContext): Rejection | Step {
  if (!Actor.safeParse(ctx.actor).success) return { kind: 'invalid', message: `An actor has an id and a name of 1 to ${LIMITS.actorField} characters.` };
  if (ctx.expectedStep !== undefined && ctx.expectedStep !== session.cursor) return staleStep(session, ctx.expectedStep);
  const lateEscalation = action.type === 'escalate' && session.status === 'escalated' && !session.escalation;
  if (action.type !== 'note' && action.type !== 'recheck' && session.status !== 'active' && !lateEscalation) return notActive(session);
  if (action.type === 'recheck' && session.status !== 'finished') return notActive(session);
  const terminal = action.type === 'escalate' || action.type === 'stop';
  if (!terminal && session.timeline.length >= LIMITS.timeline) {
    return { kind: 'session-full', message: `This walkthrough has reached ${LIMITS.timeline} timeline entries; escalate or stop it and start a new one.` };
  }
  const stepId = session.cursor ?? session.path.at(-1) ?? '';
  const step = findStep(playbook, stepId);
  if (!step && (STEP_ACTIONS.has(action.type) || session.status === 'active')) {
    return { kind: 'unknown-step', stepId, message: `Playbook "${playbook.id}" no longer has step "${stepId}" (it changed since this walkthrough started). Stop this walkthrough and start it again.` };
  }
  return step ?? playbook.steps[0]!;
}

function done(t: Turn): Patch | Rejection {
  const state = t.session.steps[t.step.id];
  if (changesSomething(t.step) && !state?.confirmedBy) return needsConfirmation(t.step.id, t.step.changes.what);
  if (state?.needsSecond && !state.approvedBy && state.confirmedBy) return needsSecondPerson(t.step.id, state.confirmedBy);
  return settle(t.session, t.playbook, { step: t.step, outcome: 'done', by: t.ctx.actor, at: t.at, via: 'person' });
}

function outcomeWithReason(t: Turn, outcome: 'failed' | 'skipped', reason: string | undefined): Patch | Rejection {
  const text = boundedText(reason, LIMITS.reasonText, 'reason');
  if (typeof text === 'object') return text;
  return settle(t.session, t.playbook, { step: t.step, outcome, by: t.ctx.actor, at: t.at, via: 'person', reason: text });
}

function back(t: Turn): Patch | Rejection {
  const path = t.session.path;
  const previous = path.at(-2);
  if (previous === undefined) return { kind: 'nothing-to-undo', message: 'This is the first step; there is nothing to go back to.' };
  const was = t.session.steps[previous];
  const detail = was?.by ? `reopened "${previous}" (was ${was.status} by ${was.by.name})` : `reopened "${previous}"`;
  return {
    set: { cursor: previous, path: path.slice(0, -1), steps: { ...t.session.steps, [previous]: { status: 'pending' }, [t.step.id]: { status: 'pending' } } },
    events: [{ at: t.at, by: t.ctx.actor, action: 'back', stepId: previous, detail }],
  };
}

function confirm(t: Turn): Patch | Rejection {
  if (!changesSomething(t.step)) return { kind: 'nothing-to-confirm', stepId: t.step.id, message: `Step "${t.step.id}" only reads; it needs no confirmation.` };
  const state = t.session.steps[t.step.id] ?? { status: 'pending' as const };
  const detail = `${t.step.changes.risk} risk: ${t.step.changes.what}`;
  if (state.confirmedBy && state.needsSecond && !state.approvedBy) {
    if (state.confirmedBy.id === t.ctx.actor.id) return needsSecondPerson(t.step.id, state.confirmedBy);
    return {
      set: { steps: { ...t.session.steps, [t.step.id]: { ...state, approvedBy: t.ctx.actor, approvedAt: t.at } } },
      events: [{ at: t.at, by: t.ctx.actor, action: 'confirm', stepId: t.step.id, detail: `second confirmation (four eyes) of ${detail}`.slice(0, LIMITS.noteText) }],
    };
  }
  if (state.confirmedBy && state.confirmedAt) return alreadyConfirmed(t.step.id, state.approvedBy ?? state.confirmedBy, state.approvedAt ?? state.confirmedAt);
  const fourEyes = Boolean(t.ctx.fourEyes) && t.step.changes.risk === 'high';
  return {
    set: { steps: { ...t.session.steps, [t.step.id]: { ...state, confirmedBy: t.ctx.actor, confirmedAt: t.at, ...(fourEyes && { needsSecond: true }) } } },
    events: [{ at: t.at, by: t.ctx.actor, action: 'confirm', stepId: t.step.id, detail: fourEyes ? `${detail} (first of two confirmations: high risk needs a second person)`.slice(0, LIMITS.noteText) : detail }],
  };
}

function probeEffect(step: Step, report: ProbeReport): EvidenceEffect {
  if (report.status === 'pass' && step.probe?.onPass === 'done') return 'done';
  if (report.status === 'pass' && step.probe?.onPass === 'skip') return 'skipped';
  if (report.status === 'fail' && step.probe?.onFail === 'failed') return 'failed';
  return 'none';
}

function checkResult(t: Turn, raw: unknown): Patch | Rejection {
  if (!t.step.probe) return { kind: 'no-probe', stepId: t.step.id, message: `Step "${t.step.id}" has no check to run.` };
  const parsed = ProbeReport.safeParse(clipProbeReport(raw));
  if (!parsed.success) return { kind: 'invalid', message: `The probe result is not usable: ${parsed.error.issues[0]?.message ?? 'bad shape'}.` };
  const report = parsed.data;
  if (report.probe !== t.step.probe.kind) return { kind: 'invalid', message: `Step "${t.step.id}" checks with the ${t.step.probe.kind} probe, not ${report.probe}.` };
  if (t.session.evidence.length >= LIMITS.evidence) return { kind: 'session-full', message: `This walkthrough already holds ${LIMITS.evidence} probe results; escalate or stop it and start a new one.` };
  const effect = probeEffect(t.step, report);
  const check: Patch = {
    set: { evidence: [...t.session.evidence, { stepId: t.step.id, at: t.at, by: t.ctx.actor, effect, report }] },
    events: [{ at: t.at, by: t.ctx.actor, action: 'check', stepId: t.step.id, detail: `${report.probe} ${report.target}: ${report.status}` }],
  };
  if (effect === 'none') return check;
  const moved = settle({ ...t.session, evidence: check.set.evidence ?? t.session.evidence }, t.playbook, { step: t.step, outcome: effect, by: t.ctx.actor, at: t.at, via: 'probe', reason: `${report.probe} check ${report.status}` });
  if (isRejection(moved)) return moved;
  return { set: { ...check.set, ...moved.set }, events: [...check.events, ...moved.events] };
}

function note(t: Turn, raw: string): Patch | Rejection {
  const text = boundedText(raw, LIMITS.noteText, 'note');
  if (typeof text === 'object') return text;
  if (text === undefined) return { kind: 'invalid', message: 'The note is empty.' };
  if (t.session.notes.length >= LIMITS.notes) return { kind: 'session-full', message: `This walkthrough already holds ${LIMITS.notes} notes.` };
  const stepId = t.session.cursor ?? undefined;
  return {
    set: { notes: [...t.session.notes, defined({ at: t.at, by: t.ctx.actor, stepId, text })] },
    events: [defined({ at: t.at, by: t.ctx.actor, action: 'note' as const, stepId, detail: text })],
  };
}

/** Escalation to on-call: the walkthrough stays active (marked escalated) and goes on. */
function escalate(t: Turn, reason: string | undefined): Patch | Rejection {
  const text = boundedText(reason, LIMITS.reasonText, 'reason');
  if (typeof text === 'object') return text;
  const prior = t.session.escalation;
  if (prior) return { kind: 'already-escalated', by: prior.by, at: prior.at, message: `This walkthrough was already escalated by ${prior.by.name} at ${clock(prior.at)}.` };
  return {
    set: { escalation: defined({ at: t.at, by: t.ctx.actor, reason: text }) },
    events: [defined({ at: t.at, by: t.ctx.actor, action: 'escalate' as const, stepId: t.session.cursor ?? undefined, detail: text })],
  };
}

function close(t: Turn, status: 'escalated' | 'stopped', reason: string | undefined): Patch | Rejection {
  const text = boundedText(reason, LIMITS.reasonText, 'reason');
  if (typeof text === 'object') return text;
  return ending(t.session, status, t.ctx.actor, t.at, text);
}

/** The closing re-check of a finished walkthrough: recorded once, with its report, the person's answer, or why it could not run. */
function recheck(t: Turn, action: Extract<Action, { type: 'recheck' }>): Patch | Rejection {
  const proof = closingProof(t.session, t.playbook);
  if (!proof) return { kind: 'no-probe', stepId: t.step.id, message: 'No check failed in this walkthrough and no step asks for a proof; there is nothing to check again.' };
  if (t.session.recheck) return { kind: 'invalid', message: `This walkthrough was already checked again by ${t.session.recheck.by.name}.` };
  const text = boundedText(action.reason, LIMITS.reasonText, 'reason');
  if (typeof text === 'object') return text;
  if (proof.kind === 'confirm') return confirmed(t, proof.stepId, action.confirmed, action.report, text);
  const before = proof.check;
  if (action.confirmed) return { kind: 'invalid', message: `The fix is proved by running the check of step "${before.stepId}" again, not by a confirmation.` };
  let report: ProbeReport | undefined;
  if (action.report !== undefined) {
    const parsed = ProbeReport.safeParse(clipProbeReport(action.report));
    if (!parsed.success) return { kind: 'invalid', message: `The probe result is not usable: ${parsed.error.issues[0]?.message ?? 'bad shape'}.` };
    report = parsed.data;
    if (before.step.probe && report.probe !== before.step.probe.kind) return { kind: 'invalid', message: `The re-check of step "${before.stepId}" uses the ${before.step.probe.kind} probe, not ${report.probe}.` };
  }
  if (!report && !text) return { kind: 'invalid', message: 'A re-check carries its result or why it could not run.' };
  const detail = report ? `${report.probe} ${report.target}: ${report.status}` : `could not run: ${text}`;
  return {
    set: { recheck: defined({ stepId: before.stepId, at: t.at, by: t.ctx.actor, report, reason: text }) },
    events: [{ at: t.at, by: t.ctx.actor, action: 'recheck', stepId: before.stepId, detail }],
  };
}

const ANSWERED: Record<ProofAnswer, string> = { yes: 'confirmed the proof', no: 'saw the problem still', unsure: 'could not tell' };

/** The answer to a proof question: yes (seen), no (the problem is still there) or unsure; a probe report is not an answer. */
function confirmed(t: Turn, stepId: string, answer: ProofAnswer | undefined, report: unknown, reason: string | undefined): Patch | Rejection {
  if (report !== undefined || !answer) return { kind: 'invalid', message: `The fix of step "${stepId}" is proved by a person's confirmation of what they see (yes, no or unsure), not by a check.` };
  const detail = `${ANSWERED[answer]}${reason ? `: ${reason}` : ''}`;
  return {
    set: { recheck: defined({ stepId, at: t.at, by: t.ctx.actor, confirmed: answer, reason }) },
    events: [{ at: t.at, by: t.ctx.actor, action: 'recheck', stepId, detail: detail.slice(0, LIMITS.noteText) }],
  };
}

function dispatch(t: Turn, action: Action): Patch | Rejection {
  switch (action.type) {
    case 'done': return done(t);
    case 'failed': return outcomeWithReason(t, 'failed', action.reason);
    case 'skip': return outcomeWithReason(t, 'skipped', action.reason);
    case 'back': return back(t);
    case 'confirm': return confirm(t);
    case 'check-result': return checkResult(t, action.report);
    case 'note': return note(t, action.text);
    case 'escalate': return escalate(t, action.reason);
    case 'stop': return close(t, 'stopped', action.reason);
    case 'recheck': return recheck(t, action);
  }
}

/** Apply one action. Every accepted action bumps `version` by exactly one. */
export function apply(session: Session, playbook: WalkPlaybook, action: Action, ctx: ActionContext): ApplyResult {
  const step = precheck(session, playbook, action, ctx);
  if ('kind' in step) return { ok: false, rejection: step };
  const at = ctx.at.toISOString();
  const patch = dispatch({ session, playbook, step, ctx, at }, action);
  if (isRejection(patch)) return { ok: false, rejection: patch };
  const next: Session = { ...session, ...patch.set, timeline: [...session.timeline, ...patch.events], version: session.version + 1, updatedAt: at };
  return { ok: true, session: next, events: patch.events };
}
