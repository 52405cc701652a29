// One line per thing that happened to a walkthrough ("Alice marked “Check the MX records” done"),
// for the short notice posted before the next step card.
import type { Playbook } from '../../catalog/schema.ts';
import type { TimelineEntry } from '../../walkthrough/session.ts';
import { safeLine, who } from '../../text/neutralise.ts';

function stepTitle(playbook: Pick<Playbook, 'steps'> | undefined, stepId: string | undefined): string {
  const step = stepId ? playbook?.steps.find((s) => s.id === stepId) : undefined;
  return `“${step?.title ?? stepId ?? 'the step'}”`;
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
    case 'recheck': return `${by} checked ${step} again: ${detail}.`;
  }
}
