// The walkthrough session: one per chat thread, the durable record of where a playbook stands.
// Defined with zod so a document read back from a store is checked before the engine trusts it.
import { z } from 'zod';
import { EXCHANGE_VERSIONS } from '../catalog/schema.ts';

/** Hard bounds so a hostile or chatty thread cannot grow a session without limit. */
export const LIMITS = {
  threadKey: 512,
  actorField: 200,
  noteText: 2000,
  reasonText: 500,
  notes: 500,
  evidence: 200,
  timeline: 2000,
  findings: 50,
  findingText: 500,
  transcriptLines: 100,
  transcriptLine: 500,
} as const;

/** Who pressed or typed: a platform user id (for mentions) and a display name (for text). */
export const Actor = z.object({ id: z.string().min(1).max(LIMITS.actorField), name: z.string().min(1).max(LIMITS.actorField) }).strict();
export type Actor = z.infer<typeof Actor>;

export const SESSION_STATUSES = ['active', 'finished', 'escalated', 'stopped'] as const;
export const SessionStatus = z.enum(SESSION_STATUSES);
export type SessionStatus = z.infer<typeof SessionStatus>;

export const STEP_STATUSES = ['pending', 'done', 'failed', 'skipped'] as const;
export const StepStatus = z.enum(STEP_STATUSES);
export type StepStatus = z.infer<typeof StepStatus>;

/** How an outcome was decided: a person pressed a button, a probe result settled it, or the step is not for the thread's Exchange version. */
export const Via = z.enum(['person', 'probe', 'version']);
export type Via = z.infer<typeof Via>;

export const StepState = z
  .object({
    status: StepStatus,
    by: Actor.optional(),
    at: z.iso.datetime().optional(),
    via: Via.optional(),
    reason: z.string().max(LIMITS.reasonText).optional(),
    /** For steps that change something: who confirmed they are about to make the change. */
    confirmedBy: Actor.optional(),
    confirmedAt: z.iso.datetime().optional(),
    /** A high-risk change confirmed under four eyes: a second, different person must confirm too. */
    needsSecond: z.boolean().optional(),
    approvedBy: Actor.optional(),
    approvedAt: z.iso.datetime().optional(),
  })
  .strict();
export type StepState = z.infer<typeof StepState>;

export const FindingSeverity = z.enum(['pass', 'info', 'warn', 'fail']);

/** A probe report as the probes return it (the `ehlo probe --json` contract, docs/contracts.md), as much of it as a session keeps. */
export const ProbeReport = z
  .object({
    probe: z.string().min(1).max(40),
    target: z.string().min(1).max(300),
    startedAt: z.iso.datetime().optional(),
    ms: z.number().nonnegative().optional(),
    status: z.enum(['pass', 'warn', 'fail', 'error', 'refused']),
    findings: z
      .array(
        z.object({ severity: FindingSeverity, code: z.string().max(100), message: z.string().max(LIMITS.findingText), playbook: z.string().max(100).optional() }).strict(),
      )
      .max(LIMITS.findings)
      .default([]),
    transcript: z.array(z.string().max(LIMITS.transcriptLine)).max(LIMITS.transcriptLines).optional(),
  })
  .strict();
export type ProbeReport = z.infer<typeof ProbeReport>;

/** Cut a probe report down to what a session keeps (findings, messages, transcript), so a long but valid report is kept, not refused. */
export function clipProbeReport(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const r = raw as { findings?: unknown; transcript?: unknown };
  const clip = (t: unknown, max: number): unknown => (typeof t === 'string' && t.length > max ? `${t.slice(0, max - 1)}…` : t);
  const findings = Array.isArray(r.findings)
    ? r.findings.slice(0, LIMITS.findings).map((f: unknown) => (typeof f === 'object' && f !== null ? { ...f, message: clip((f as { message?: unknown }).message, LIMITS.findingText) } : f))
    : r.findings;
  const transcript = Array.isArray(r.transcript) ? r.transcript.slice(0, LIMITS.transcriptLines).map((l: unknown) => clip(l, LIMITS.transcriptLine)) : r.transcript;
  return { ...raw, ...(findings !== undefined && { findings }), ...(transcript !== undefined && { transcript }) };
}

/** What a probe result did to its step, as the playbook declared (onPass / onFail). */
export const EvidenceEffect = z.enum(['done', 'skipped', 'failed', 'none']);
export type EvidenceEffect = z.infer<typeof EvidenceEffect>;

export const Evidence = z
  .object({ stepId: z.string(), at: z.iso.datetime(), by: Actor, effect: EvidenceEffect, report: ProbeReport })
  .strict();
export type Evidence = z.infer<typeof Evidence>;

export const Note = z.object({ at: z.iso.datetime(), by: Actor, stepId: z.string().optional(), text: z.string().max(LIMITS.noteText) }).strict();
export type Note = z.infer<typeof Note>;

export const TIMELINE_ACTIONS = ['start', 'done', 'failed', 'skipped', 'back', 'confirm', 'check', 'note', 'escalate', 'stop', 'finish', 'recheck'] as const;
export const TimelineAction = z.enum(TIMELINE_ACTIONS);
export type TimelineAction = z.infer<typeof TimelineAction>;

export const TimelineEntry = z
  .object({ at: z.iso.datetime(), by: Actor, action: TimelineAction, stepId: z.string().optional(), detail: z.string().max(LIMITS.noteText).optional() })
  .strict();
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const PROOF_ANSWERS = ['yes', 'no', 'unsure'] as const;
export const ProofAnswer = z.enum(PROOF_ANSWERS);
export type ProofAnswer = z.infer<typeof ProofAnswer>;

/**
 * The re-check that ends a walkthrough whose diagnosis rests on a failed check: the same probe on the
 * same target, run again after the fix. Its report when it ran, or why it could not run.
 */
export const Recheck = z
  .object({
    stepId: z.string(),
    at: z.iso.datetime(),
    by: Actor,
    report: ProbeReport.optional(),
    reason: z.string().max(LIMITS.reasonText).optional(),
    /** A proof no probe can see (the step's `proof`): the person saw it (yes), saw the problem still (no), or could not tell (unsure). */
    confirmed: ProofAnswer.optional(),
  })
  .strict();
export type Recheck = z.infer<typeof Recheck>;

export const Session = z
  .object({
    id: z.string().min(1).max(100),
    /** platform:channel:thread, opaque to the engine. */
    threadKey: z.string().min(1).max(LIMITS.threadKey),
    playbookId: z.string().min(1),
    /** Content hash of the playbook when the session started, to notice a playbook edited mid-walkthrough. */
    playbookHash: z.string(),
    status: SessionStatus,
    /** The step shown now; null once the session is no longer active. */
    cursor: z.string().nullable(),
    /** The steps visited, in order; `back` returns along it. The cursor is its last entry while active. */
    path: z.array(z.string()),
    /** Bumped by every accepted action: the store saves with compare-and-set on it. */
    version: z.number().int().positive(),
    steps: z.record(z.string(), StepState),
    evidence: z.array(Evidence),
    notes: z.array(Note),
    timeline: z.array(TimelineEntry),
    startedBy: Actor,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    endedAt: z.iso.datetime().optional(),
    endedBy: Actor.optional(),
    /** Why the session escalated or stopped. */
    endReason: z.string().max(LIMITS.noteText).optional(),
    /** Escalated to on-call: the walkthrough goes on (still active), marked escalated. */
    escalation: z.object({ at: z.iso.datetime(), by: Actor, reason: z.string().max(LIMITS.reasonText).optional() }).strict().optional(),
    /** The closing re-check of a finished walkthrough (see Recheck); absent in sessions stored before it existed. */
    recheck: Recheck.optional(),
    /** The Exchange versions the thread's paste states (src/match/version.ts): steps for other versions are skipped. */
    versions: z.array(z.object({ version: z.enum(EXCHANGE_VERSIONS), evidence: z.string().max(200) }).strict()).max(8).optional(),
  })
  .strict();
export type Session = z.infer<typeof Session>;

/** Parse a stored session document; throws a zod error naming the bad field. */
export function parseSession(doc: unknown): Session {
  return Session.parse(doc);
}

/** The object without its undefined-valued keys, so a session is the same after a JSON round trip. */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
