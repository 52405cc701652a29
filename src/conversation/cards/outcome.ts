// One line per thing that happened to a walkthrough ("Alice marked “Check the MX records” done"),
// for the short notice posted before the next step card.
import type { Playbook } from '../../catalog/schema.ts';
import type { TimelineEntry } from '../../walkthrough/session.ts';
import { safeLine, who } from '../../text/neutralise.ts';

function stepTitle(playbook: Pick<Playbook, 'steps'> | undefined, stepId: string | undefined): string {
  const step = stepId ? playbook?.steps.find((s) => s.id === stepId) : undefined;
  return `“${step?.title ?? stepId ?? 'the step'}”`;
}

/** An answered proof (apply.ts writes "confirmed the proof", "saw the problem still" or "could not tell", then ": what they said"). */
function proofLine(by: string, step: string, detail: string): string | undefined {
  const m = /^(confirmed the proof|saw the problem still|could not tell)(?:: (.*))?$/.exec(detail);
  if (!m) return undefined;
  const said = m[2] ? ` (${m[2]})` : '';
  if (m[1] === 'confirmed the proof') return `${by} confirmed the proof of ${step}${said}.`;
  if (m[1] === 'saw the problem still') return `${by} still sees the problem after ${step}${said}.`;
  return `${by} could not tell whether ${step} fixed it${said}.`;
}

export function eventLine(e: TimelineEntry, playbook: Pick<Playbook, 'title' | 'steps'> | undefined): string {
  const by = who(e.by);
  const step = stepTitle(playbook, e.stepId);
  const detail = e.detail ? safeLine(e.detail, 300) : '';
  switch (e.action) {
    case 'start': return `${by} started the walkthrough of ${playbook?.title ?? 'the playbook'}.`;
    case 'done': return `✓ ${step} marked done by ${by}${detail ? ` (${detail})` : ''}.`;
    case 'failed': return `✗ ${step} marked failed by ${by}${detail ? `: ${detail}` : ''}.`;
    case 'skipped': return `– ${step} skipped by ${by}${detail ? `: ${detail}` : ''}.`;
    case 'back': return `↩ ${by} went back to ${step}.`;
    case 'confirm': return `${by} confirmed the change in ${step} (${detail}).`;
    case 'check': return `${by} ran the check: ${detail}.`;
    case 'note': return `${by} added a note.`;
    case 'escalate': return `${by} escalated the walkthrough${detail ? `: ${detail}` : ''}.`;
    case 'stop': return `${by} stopped the walkthrough${detail ? `: ${detail}` : ''}.`;
    case 'finish': return 'The walkthrough is finished.';
    // A proof a person answered (the step's `proof`) reads as their answer; a check run again as its result.
    case 'recheck': return proofLine(by, step, detail) ?? `${by} checked ${step} again: ${detail}.`;
  }
}
