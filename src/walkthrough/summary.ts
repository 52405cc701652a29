// The summary posted when a walkthrough ends: what was found, what was done, by whom, how long it took.
import { changesSomething, findStep, type WalkPlaybook } from './flow.ts';
import { closingProof, type ConfirmProof } from './recheck.ts';
import { defined, type Actor, type Evidence, type EvidenceEffect, type Note, type ProbeReport, type ProofAnswer, type Session, type Via } from './session.ts';

export interface SummaryItem {
  stepId: string;
  title: string;
  status: 'done' | 'failed' | 'skipped';
  /** For a read-only step: what healthy or unhealthy looked like; for a change: what it changed. */
  text: string;
  by?: Actor;
  at?: string;
  via?: Via;
  reason?: string;
  confirmedBy?: Actor;
}

export interface SummaryCheck {
  stepId: string;
  probe: string;
  target: string;
  status: string;
  effect: EvidenceEffect;
  by: Actor;
  at: string;
}

/** One run of the check a diagnosis rests on, as the summary shows it. */
export interface SummaryRun {
  status: string;
  at: string;
  by: Actor;
  /** The first failing finding, else the first warning, else the first finding: what the check saw. */
  finding?: string;
}

/** The check the diagnosis rested on, before the fix and after (the closing re-check), side by side. */
export interface SummaryRecheck {
  stepId: string;
  title: string;
  probe: string;
  target: string;
  before: SummaryRun;
  after?: SummaryRun;
  /** Why the re-check could not run, or has not yet. */
  reason?: string;
}

/** A fix proved by a person: what they were asked, what they were to confirm, and their answer. */
export interface SummaryProof {
  stepId: string;
  title: string;
  ask: string;
  shows: string;
  answer?: { value: ProofAnswer; by: Actor; at: string; said?: string };
  /** Why it does not prove the fix (yet). */
  reason?: string;
}

export interface Summary {
  sessionId: string;
  threadKey: string;
  playbookId: string;
  playbookTitle: string;
  /**
   * `unverified`: finished, but the fix is not proved: the re-check of the failed check did not pass
   * cleanly (could not run, passed with warnings, still fails) or the person did not confirm the proof;
   * `reason` says why. `resolved` only on a clean pass or a confirmed proof (or when nothing owes one).
   */
  outcome: 'resolved' | 'unverified' | 'escalated' | 'stopped' | 'in-progress';
  reason?: string;
  startedBy: Actor;
  endedBy?: Actor;
  startedAt: string;
  endedAt?: string;
  durationMs: number;
  duration: string;
  /** Read-only steps settled done (healthy) or failed (unhealthy). */
  found: SummaryItem[];
  /** Steps that change something, settled done or failed. */
  changes: SummaryItem[];
  skipped: SummaryItem[];
  checks: SummaryCheck[];
  /** For a walkthrough whose diagnosis rests on a failed check: that check before and after. */
  recheck?: SummaryRecheck;
  /** For a fix no check can see: the confirmation asked of a person, and their answer. */
  proof?: SummaryProof;
  /** What proved the fix, in a sentence: set when the outcome is resolved on a re-check or a confirmation. */
  proved?: string;
  notes: Note[];
  /** Everyone who acted, in order of first appearance. */
  people: Actor[];
  /** Escalated to on-call (the walkthrough went on). */
  escalation?: Session['escalation'];
}

/** "45 s", "12 min", "1 h 05 min", "2 d 3 h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ${String(min % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

function settledItems(session: Session, playbook: WalkPlaybook): Array<SummaryItem & { changes: boolean }> {
  const items: Array<SummaryItem & { changes: boolean }> = [];
  for (const stepId of new Set(session.path)) {
    const state = session.steps[stepId];
    const step = findStep(playbook, stepId);
    if (!state || !step || state.status === 'pending') continue;
    const changes = changesSomething(step);
    const text = changes ? step.changes.what : state.status === 'failed' ? step.expect.unhealthy : step.expect.healthy;
    items.push({ stepId, title: step.title, status: state.status, text, by: state.by, at: state.at, via: state.via, reason: state.reason, confirmedBy: state.confirmedBy, changes });
  }
  return items;
}

function people(session: Session): Actor[] {
  const seen = new Map<string, Actor>();
  for (const e of session.timeline) if (!seen.has(e.by.id)) seen.set(e.by.id, e.by);
  return [...seen.values()];
}

const OUTCOME = { active: 'in-progress', finished: 'resolved', escalated: 'escalated', stopped: 'stopped' } as const;

function run(report: ProbeReport, at: string, by: Actor): SummaryRun {
  const f = report.findings.find((x) => x.severity === 'fail') ?? report.findings.find((x) => x.severity === 'warn') ?? report.findings[0];
  return { status: report.status, at, by, ...(f && { finding: f.message }) };
}

/** The first warning of a report, for "passed with warnings: …". */
function firstWarning(report: ProbeReport): string | undefined {
  return report.findings.find((f) => f.severity === 'warn')?.message;
}

/** Why a re-check's report does not prove the fix, or undefined when it passed cleanly. */
function whyNotProof(report: ProbeReport, after: string | undefined): string | undefined {
  if (report.status === 'pass') return undefined;
  const tail = after ? `: ${after}` : '';
  if (report.status === 'warn') {
    const w = firstWarning(report);
    return `the re-check passed with warnings${w ? `: ${w}` : ''}`;
  }
  if (report.status === 'error' || report.status === 'refused') return `the re-check could not run (${report.status})${tail}`;
  return `the re-check still finds a problem (${report.status})${tail}`;
}

/** The diagnosis check before and after, and what that makes of a finished walkthrough. */
function checkProof(session: Session, before: Evidence & { step: { title: string } }): { recheck: SummaryRecheck; unverified?: string; proved?: string } {
  const r = session.recheck;
  const recheck: SummaryRecheck = {
    stepId: before.stepId,
    title: before.step.title,
    probe: before.report.probe,
    target: before.report.target,
    before: run(before.report, before.at, before.by),
    ...(r?.report && { after: run(r.report, r.at, r.by) }),
  };
  let unverified: string | undefined;
  if (!r) unverified = session.status === 'finished' ? 'the re-check has not run yet' : undefined;
  else if (!r.report) unverified = `the re-check could not run: ${r.reason ?? 'no reason given'}`;
  // Strict: a warning is not proof. The check no longer fails on what it failed on, but it still finds something to look at.
  else unverified = whyNotProof(r.report, recheck.after?.finding);
  if (unverified) recheck.reason = unverified;
  const proved = r?.report && !unverified ? `the ${r.report.probe} check of ${r.report.target} passed cleanly after the fix (before it, it failed${recheck.before.finding ? `: ${recheck.before.finding}` : ''})` : undefined;
  return { recheck, ...(session.status === 'finished' && unverified && { unverified }), ...(proved && { proved }) };
}

/** A fix proved by a person: their answer, and what that makes of a finished walkthrough. */
function confirmation(session: Session, c: ConfirmProof): { proof: SummaryProof; unverified?: string; proved?: string } {
  const r = session.recheck;
  const proof: SummaryProof = {
    stepId: c.stepId,
    title: c.step.title,
    ask: c.proof.confirm,
    shows: c.proof.shows,
    ...(r?.confirmed && { answer: defined({ value: r.confirmed, by: r.by, at: r.at, said: r.reason }) }),
  };
  let unverified: string | undefined;
  if (!r?.confirmed) unverified = session.status === 'finished' ? `the proof has not been confirmed yet (${c.proof.shows})` : undefined;
  else if (r.confirmed === 'no') unverified = `${r.by.name} still sees the problem${r.reason ? `: ${r.reason}` : ''} (the proof was: ${c.proof.shows})`;
  else if (r.confirmed === 'unsure') unverified = `${r.by.name} could not tell whether ${c.proof.shows}${r.reason ? ` (${r.reason})` : ''}`;
  if (unverified) proof.reason = unverified;
  const proved = r?.confirmed === 'yes' ? `${r.by.name} confirmed that ${c.proof.shows} (a person's word: no check can see this fix)` : undefined;
  return { proof, ...(session.status === 'finished' && unverified && { unverified }), ...(proved && { proved }) };
}

function proofOf(session: Session, playbook: WalkPlaybook): { recheck?: SummaryRecheck; proof?: SummaryProof; unverified?: string; proved?: string } {
  const p = closingProof(session, playbook);
  if (!p) return {};
  return p.kind === 'check' ? checkProof(session, p.check) : confirmation(session, p);
}

/** Build the summary of a session (an active one too: "so far"). `now` measures an unfinished session. */
export function summarize(session: Session, playbook: WalkPlaybook, now: Date = new Date(session.updatedAt)): Summary {
  const end = session.endedAt ?? now.toISOString();
  const durationMs = Math.max(0, Date.parse(end) - Date.parse(session.createdAt));
  const items = settledItems(session, playbook);
  const strip = ({ changes: _c, ...item }: SummaryItem & { changes: boolean }): SummaryItem => item;
  const { recheck, proof, unverified, proved } = proofOf(session, playbook);
  return {
    sessionId: session.id,
    threadKey: session.threadKey,
    playbookId: session.playbookId,
    playbookTitle: playbook.title,
    outcome: unverified ? 'unverified' : OUTCOME[session.status],
    reason: session.endReason ?? unverified,
    startedBy: session.startedBy,
    endedBy: session.endedBy,
    startedAt: session.createdAt,
    endedAt: session.endedAt,
    durationMs,
    duration: formatDuration(durationMs),
    found: items.filter((i) => !i.changes && i.status !== 'skipped').map(strip),
    changes: items.filter((i) => i.changes && i.status !== 'skipped').map(strip),
    skipped: items.filter((i) => i.status === 'skipped').map(strip),
    checks: session.evidence.map((e) => ({ stepId: e.stepId, probe: e.report.probe, target: e.report.target, status: e.report.status, effect: e.effect, by: e.by, at: e.at })),
    ...(recheck && { recheck }),
    ...(proof && { proof }),
    ...(proved && session.status === 'finished' && { proved }),
    notes: session.notes,
    people: people(session),
    ...(session.escalation && { escalation: session.escalation }),
  };
}
