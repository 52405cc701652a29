// The handoff packet an escalation produces: what was pasted (redacted: e-mail addresses, tokens,
// mentions neutralised), the diagnosis, what was tried and by whom, and the probe evidence. The
// console prints it; Slack and Teams post it to an on-call channel.
import { clock } from '../../text/time.ts';
import type { Evidence, Session } from '../../walkthrough/session.ts';
import type { Summary } from '../../walkthrough/summary.ts';
import { peopleNotes, type ThreadContext } from '../context.ts';
import { safeBlock, safeLine, who } from '../../text/neutralise.ts';
import { redact } from '../../text/redact.ts';
import { reply, type Block, type Reply } from '../reply.ts';
import { findingLines, itemLine } from './parts.ts';

export const HANDOFF_PASTE_CHARS = 1500;

export interface HandoffInput {
  session: Session;
  summary: Summary;
  /** The walkthrough's context: the redacted excerpt of the paste it started from and its diagnosis. */
  context: ThreadContext;
}

function pasteBlock(input: HandoffInput): Block {
  const source = input.context.paste;
  if (!source || !source.excerpt.trim()) return { type: 'text', text: 'What was pasted: nothing was pasted in this thread before the walkthrough started (or it was not kept).' };
  const shown = safeBlock(redact(source.excerpt), HANDOFF_PASTE_CHARS);
  const more = shown.truncated || source.cut ? ', only its start shown' : '';
  return { type: 'code', label: `What was pasted (${source.kind}, ${source.chars.toLocaleString('en')} characters${more}; e-mail addresses and tokens redacted)`, text: shown.text };
}

function diagnosisBlock(input: HandoffInput): Block {
  const d = input.context.diagnosis;
  const title = input.summary.playbookTitle;
  if (!d) return { type: 'text', text: `Diagnosis: ${title} (started by hand, not from a paste).` };
  return { type: 'list', title: `Diagnosis: ${title} — ${d.confidence} (${d.score.toFixed(2)}), ${d.verdict}`, items: d.evidence.map((e) => redact(safeLine(e, 300))) };
}

function evidenceLines(e: Evidence): string[] {
  const head = `${e.report.probe} ${redact(safeLine(e.report.target, 200))}: ${e.report.status}${e.effect !== 'none' ? ` → step ${e.effect}` : ''} — ${who(e.by)} at ${clock(e.at)} (step ${e.stepId})`;
  const worst = e.report.findings.filter((f) => f.severity === 'fail' || f.severity === 'warn');
  return [head, ...findingLines({ findings: worst }, 5).map((l) => `    ${redact(l)}`)];
}

export function handoffCard(thread: string, input: HandoffInput): Reply {
  const { session, summary } = input;
  const fields = [
    { label: 'Thread', value: safeLine(session.threadKey, 200) },
    { label: 'Escalated by', value: summary.escalation ? `${who(summary.escalation.by)} at ${clock(summary.escalation.at)}` : summary.endedBy && summary.endedAt ? `${who(summary.endedBy)} at ${clock(summary.endedAt)}` : 'not yet' },
    { label: 'Reason', value: redact(safeLine(summary.escalation?.reason ?? summary.reason ?? 'none given', 400)) },
    { label: 'Reached step', value: session.path.at(-1) ?? '-' },
    { label: 'Started', value: `${who(summary.startedBy)} at ${clock(summary.startedAt)}` },
    { label: 'Took', value: summary.duration },
  ];
  const tried = [...summary.found, ...summary.changes, ...summary.skipped].map((i) => redact(itemLine(i)));
  const blocks: Block[] = [
    { type: 'header', text: `Handoff: ${summary.playbookTitle}` },
    { type: 'fields', fields },
    pasteBlock(input),
    diagnosisBlock(input),
    { type: 'list', title: 'What was tried', items: tried.length ? tried : ['Nothing was marked yet.'] },
  ];
  if (session.evidence.length) blocks.push({ type: 'list', title: 'Probe evidence', items: session.evidence.flatMap(evidenceLines) });
  const notes = peopleNotes(session.notes).map((n) => `${who(n.by)}: ${redact(safeLine(n.text, 400))}`);
  if (notes.length) blocks.push({ type: 'list', title: 'Notes', items: notes });
  return reply(thread, `Handoff: ${summary.playbookTitle} (escalated${summary.escalation ? ` by ${who(summary.escalation.by)}` : summary.endedBy ? ` by ${who(summary.endedBy)}` : ''})`, blocks, { kind: 'handoff', meta: { playbook: summary.playbookId, session: summary.sessionId } });
}
