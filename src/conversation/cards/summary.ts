// The summary posted when a walkthrough ends (or asked for with `status`): what was found, what was
// done, by whom, how long it took.
import { clock } from '../../text/time.ts';
import { itemLine } from './parts.ts';
import type { Summary } from '../../walkthrough/summary.ts';
import type { ProofAnswer } from '../../walkthrough/session.ts';
import { EHLO_ACTOR, peopleNotes } from '../context.ts';
import { safeLine, who } from '../../text/neutralise.ts';
import { reply, type Block, type Reply } from '../reply.ts';

const HEAD: Record<Summary['outcome'], string> = {
  resolved: 'Walkthrough finished',
  unverified: 'Walkthrough finished, not verified',
  escalated: 'Walkthrough escalated',
  stopped: 'Walkthrough stopped',
  'in-progress': 'Walkthrough so far',
};


function section(title: string, items: string[]): Block[] {
  return items.length ? [{ type: 'list', title, items }] : [];
}

function runText(r: NonNullable<Summary['recheck']>['before']): string {
  return `${r.status}${r.finding ? `: ${safeLine(r.finding, 200)}` : ''} — ${who(r.by)} at ${clock(r.at)}`;
}

/** The check the diagnosis rested on, before and after the fix, side by side. */
function recheckBlocks(s: Summary): Block[] {
  const r = s.recheck;
  if (!r) return [];
  return [
    { type: 'text', text: `Re-check: ${r.probe} ${safeLine(r.target, 120)} (“${safeLine(r.title, 120)}”)` },
    { type: 'fields', fields: [{ label: 'Before', value: runText(r.before) }, { label: 'After', value: r.after ? runText(r.after) : `not run: ${safeLine(r.reason ?? 'no re-check yet', 300)}` }] },
  ];
}

const ANSWER: Record<ProofAnswer, string> = {
  yes: 'confirmed, seen',
  no: 'not confirmed: the problem is still there',
  unsure: 'not confirmed: could not tell',
};

/** A fix no check can see: what a person was asked to confirm, and their answer. */
function proofBlocks(s: Summary): Block[] {
  const p = s.proof;
  if (!p) return [];
  const answer = p.answer ? `${ANSWER[p.answer.value]} — ${who(p.answer.by)} at ${clock(p.answer.at)}` : `not answered yet`;
  return [
    { type: 'text', text: `Proof (a person's confirmation, no check can see this fix): ${safeLine(p.shows, 200)}` },
    { type: 'fields', fields: [{ label: 'Asked', value: safeLine(p.ask, 400) }, { label: 'Answer', value: answer }] },
  ];
}

export function summaryBlocks(s: Summary): Block[] {
  const people = s.people.filter((p) => p.id !== EHLO_ACTOR.id).map((p) => who(p));
  const fields = [
    { label: 'Outcome', value: s.outcome },
    { label: 'Took', value: s.duration },
    { label: 'Started by', value: `${who(s.startedBy)} at ${clock(s.startedAt)}` },
  ];
  if (s.endedBy && s.endedAt) fields.push({ label: 'Ended by', value: `${who(s.endedBy)} at ${clock(s.endedAt)}` });
  if (people.length) fields.push({ label: 'People', value: people.join(', ') });
  return [
    { type: 'header', text: `${HEAD[s.outcome]}: ${s.playbookTitle}` },
    { type: 'fields', fields },
    ...(s.reason ? [{ type: 'text' as const, text: `Reason: ${safeLine(s.reason, 400)}` }] : []),
    ...(s.proved ? [{ type: 'text' as const, text: `Proved by: ${safeLine(s.proved, 400)}`, tone: 'success' as const }] : []),
    ...section('What was found', s.found.map(itemLine)),
    ...section('What was done', s.changes.map(itemLine)),
    ...section('Skipped', s.skipped.map(itemLine)),
    ...recheckBlocks(s),
    ...proofBlocks(s),
    ...section('Checks', s.checks.map((c) => `${c.probe} ${safeLine(c.target, 120)}: ${c.status}${c.effect !== 'none' ? ` → step ${c.effect}` : ''} — ${who(c.by)} at ${clock(c.at)}`)),
    ...section('Notes', peopleNotes(s.notes).map((n) => `${who(n.by)}: ${safeLine(n.text, 300)}`)),
  ];
}

export function summaryCard(thread: string, s: Summary): Reply {
  return reply(thread, `${HEAD[s.outcome]}: ${s.playbookTitle} (${s.duration})`, summaryBlocks(s), { kind: 'summary', meta: { playbook: s.playbookId, session: s.sessionId } });
}
