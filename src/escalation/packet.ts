// The handoff packet on-call receives: the paste redacted for the packet (redaction.ts), the
// diagnosis with its evidence, every step visited with its state, who and when, probe results with
// their transcripts, notes, elapsed time and the open questions, and links back to the origin.
// Everything taken from people or pastes goes through the redactor and the safe renderer.
import type { Playbook } from '../catalog/schema.ts';
import type { ThreadContext } from '../conversation/context.ts';
import { peopleNotes } from '../conversation/context.ts';
import { reply, type Block, type Reply } from '../conversation/reply.ts';
import { safeBlock, safeLine, who } from '../text/neutralise.ts';
import { clock } from '../text/time.ts';
import type { Session } from '../walkthrough/session.ts';
import { formatDuration } from '../walkthrough/summary.ts';
import type { PacketRedactor } from './redaction.ts';

export const PACKET_LIMITS = { paste: 1500, steps: 40, evidence: 10, transcript: 12, notes: 20 } as const;

export interface PacketInput {
  session: Session;
  playbook: Pick<Playbook, 'title' | 'steps'> | undefined;
  context: ThreadContext;
  /** The question the matcher asked of an ambiguous paste, if any. */
  question?: string;
  originLink?: string;
  /** Who is paged, in words. */
  paged: string[];
  now: Date;
}

const MARK: Record<string, string> = { done: '✓', failed: '✗', skipped: '–', pending: '…' };

export function packetCard(thread: string, input: PacketInput, r: PacketRedactor): Reply {
  const { session, playbook, context } = input;
  const s = (text: string, max = 300): string => r.scrub(safeLine(text, max));
  const title = playbook?.title ?? session.playbookId;
  const esc = session.escalation;
  const stepTitle = (id: string): string => playbook?.steps.find((x) => x.id === id)?.title ?? id;
  const current = session.cursor;
  const fields = [
    { label: 'From', value: input.originLink ?? safeLine(session.threadKey, 200) },
    { label: 'Escalated by', value: esc ? `${who(esc.by)} at ${clock(esc.at)}` : 'the playbook' },
    { label: 'Reason', value: s(esc?.reason ?? session.endReason ?? 'none given', 400) },
    { label: 'Now at', value: current ? `step ${(playbook?.steps.findIndex((x) => x.id === current) ?? -1) + 1} of ${playbook?.steps.length ?? '?'}: ${stepTitle(current)}` : `walkthrough ${session.status}` },
    { label: 'Started', value: `${who(session.startedBy)} at ${clock(session.createdAt)}` },
    { label: 'Elapsed', value: formatDuration(input.now.getTime() - Date.parse(session.createdAt)) },
    { label: 'Paged', value: input.paged.length ? input.paged.join('; ') : 'nobody (no pager configured)' },
  ];
  const blocks: Block[] = [{ type: 'header', text: `Escalation: ${title}` }, { type: 'fields', fields }];
  const paste = context.paste;
  if (paste?.excerpt.trim()) {
    const shown = safeBlock(r.scrub(paste.excerpt), PACKET_LIMITS.paste);
    blocks.push({ type: 'code', label: `What was pasted (${paste.kind}, ${paste.chars.toLocaleString('en')} characters${shown.truncated || paste.cut ? ', only its start' : ''}; addresses, names, tokens and ids redacted)`, text: shown.text });
  } else {
    blocks.push({ type: 'text', text: 'What was pasted: nothing (the walkthrough was started by hand).' });
  }
  const d = context.diagnosis;
  blocks.push(d ? { type: 'list', title: `Diagnosis: ${title} — ${d.confidence} (${d.score.toFixed(2)}), ${d.verdict}`, items: d.evidence.map((e) => s(e)) } : { type: 'text', text: `Diagnosis: ${title} (started by hand, not from a paste).` });
  const steps = [...new Set(session.path)].slice(0, PACKET_LIMITS.steps).map((id) => {
    const st = session.steps[id] ?? { status: 'pending' as const };
    const by = st.by ? ` — ${who(st.by)}${st.via === 'probe' ? ' (by check)' : ''}${st.at ? ` at ${clock(st.at)}` : ''}` : '';
    const conf = st.confirmedBy ? `; confirmed by ${who(st.confirmedBy)}${st.approvedBy ? ` and ${who(st.approvedBy)}` : ''}` : '';
    const why = st.reason ? ` (${s(st.reason, 200)})` : '';
    return `${MARK[st.status] ?? '?'} ${stepTitle(id)}: ${id === current ? 'current step' : st.status}${why}${by}${conf}`;
  });
  blocks.push({ type: 'list', title: 'Steps', items: steps });
  if (session.evidence.length) {
    const items = session.evidence.slice(-PACKET_LIMITS.evidence).flatMap((e) => {
      const head = `${e.report.probe} ${s(e.report.target, 200)}: ${e.report.status}${e.effect !== 'none' ? ` → step ${e.effect}` : ''} — ${who(e.by)} at ${clock(e.at)}`;
      const findings = e.report.findings.filter((f) => f.severity !== 'pass').slice(0, 5).map((f) => `    ${f.severity} ${s(f.message, 300)}`);
      const transcript = (e.report.transcript ?? []).slice(0, PACKET_LIMITS.transcript).map((l) => `    │ ${s(l, 200)}`);
      return [head, ...findings, ...transcript];
    });
    blocks.push({ type: 'list', title: 'Probe results and transcripts', items });
  }
  const notes = peopleNotes(session.notes).slice(-PACKET_LIMITS.notes).map((n) => `${who(n.by)} at ${clock(n.at)}: ${s(n.text, 400)}`);
  if (notes.length) blocks.push({ type: 'list', title: 'Notes', items: notes });
  const open: string[] = [];
  if (current) open.push(`Is “${stepTitle(current)}” healthy? The walkthrough waits there; press its buttons or type done / failed here.`);
  if (input.question) open.push(s(input.question, 400));
  const failed = Object.entries(session.steps).filter(([, st]) => st.status === 'failed').map(([id]) => stepTitle(id));
  if (failed.length) open.push(`Why did ${failed.slice(0, 3).map((t) => `“${t}”`).join(', ')} fail?`);
  if (open.length) blocks.push({ type: 'list', title: 'Open questions', items: open });
  blocks.push({ type: 'text', text: 'Every command works here as in the origin thread (status, timeline, done, failed, check, note, stop); what happens here shows there.' });
  return reply(thread, `Escalation: ${title}${esc ? ` (by ${who(esc.by)})` : ''}`, blocks, { kind: 'handoff', meta: { playbook: session.playbookId, session: session.id } });
}
