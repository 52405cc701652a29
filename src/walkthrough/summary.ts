// The summary posted when a walkthrough ends: what was found, what was done, by whom, how long it took.
import { changesSomething, findStep, type WalkPlaybook } from './flow.ts';
import { diagnosisCheck } from './recheck.ts';
import type { Actor, EvidenceEffect, Note, ProbeReport, Session, Via } from './session.ts';

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

export interface Summary {
  sessionId: string;
  threadKey: string;
  playbookId: string;
  playbookTitle: string;
  /** `unverified`: finished, but the re-check of the failed check did not pass (could not run, or still fails); `reason` says why. */
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

/** The diagnosis check before and after, and what that makes of a finished walkthrough. */
function proof(session: Session, playbook: WalkPlaybook): { recheck?: SummaryRecheck; unverified?: string } {
  const before = diagnosisCheck(session, playbook);
  if (!before) return {};
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
  // A warning is not a failure: the check no longer finds what it failed on (its warnings show under After).
  else if (r.report.status !== 'pass' && r.report.status !== 'warn') {
    const after = recheck.after?.finding;
    unverified = r.report.status === 'error' || r.report.status === 'refused'
      ? `the re-check could not run (${r.report.status})${after ? `: ${after}` : ''}`
      : `the re-check still finds a problem (${r.report.status})${after ? `: ${after}` : ''}`;
  }
  if (unverified) recheck.reason = unverified;
  return { recheck, ...(session.status === 'finished' && unverified && { unverified }) };
}

/** Build the summary of a session (an active one too: "so far"). `now` measures an unfinished session. */
export function summarize(session: Session, playbook: WalkPlaybook, now: Date = new Date(session.updatedAt)): Summary {
  const end = session.endedAt ?? now.toISOString();
  const durationMs = Math.max(0, Date.parse(end) - Date.parse(session.createdAt));
  const items = settledItems(session, playbook);
  const strip = ({ changes: _c, ...item }: SummaryItem & { changes: boolean }): SummaryItem => item;
  const { recheck, unverified } = proof(session, playbook);
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
    notes: session.notes,
    people: people(session),
    ...(session.escalation && { escalation: session.escalation }),
  };
}
