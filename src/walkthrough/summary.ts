// The summary posted when a walkthrough ends: what was found, what was done, by whom, how long it took.
import { changesSomething, findStep, type WalkPlaybook } from './flow.ts';
import type { Actor, EvidenceEffect, Note, Session, Via } from './session.ts';

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

export interface Summary {
  sessionId: string;
  threadKey: string;
  playbookId: string;
  playbookTitle: string;
  outcome: 'resolved' | 'escalated' | 'stopped' | 'in-progress';
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

/** Build the summary of a session (an active one too: "so far"). `now` measures an unfinished session. */
export function summarize(session: Session, playbook: WalkPlaybook, now: Date = new Date(session.updatedAt)): Summary {
  const end = session.endedAt ?? now.toISOString();
  const durationMs = Math.max(0, Date.parse(end) - Date.parse(session.createdAt));
  const items = settledItems(session, playbook);
  const strip = ({ changes: _c, ...item }: SummaryItem & { changes: boolean }): SummaryItem => item;
  return {
    sessionId: session.id,
    threadKey: session.threadKey,
    playbookId: session.playbookId,
    playbookTitle: playbook.title,
    outcome: OUTCOME[session.status],
    reason: session.endReason,
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
    notes: session.notes,
    people: people(session),
    ...(session.escalation && { escalation: session.escalation }),
  };
}
