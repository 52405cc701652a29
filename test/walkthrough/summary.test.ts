import { describe, expect, it } from 'vitest';
import { apply } from '../../src/walkthrough/apply.ts';
import type { Action } from '../../src/walkthrough/action.ts';
import type { Actor, Session } from '../../src/walkthrough/session.ts';
import { startSession } from '../../src/walkthrough/start.ts';
import { formatDuration, summarize } from '../../src/walkthrough/summary.ts';
import { alice, bob, branchingPlaybook, carol, minute, MODEL_CAUSE_FOUND, modelPlaybook } from './fixtures/playbooks.ts';

const model = modelPlaybook();
const branching = branchingPlaybook();

function walk(playbook: typeof model, steps: Array<[Action, Actor, number]>): Session {
  const started = startSession(playbook, { id: 's-9', threadKey: 'teams:19:abc:1', actor: alice, at: minute(0) });
  if (!started.ok) throw new Error(started.rejection.message);
  return steps.reduce((s, [action, by, at]) => {
    const r = apply(s, playbook, action, { actor: by, at: minute(at) });
    if (!r.ok) throw new Error(r.rejection.message);
    return r.session;
  }, started.session);
}

describe('the summary of a finished walkthrough', () => {
  it('says what was found, what was changed and by whom, and how long it took', () => {
    const s = walk(model, [
      [{ type: 'done' }, alice, 2],
      [{ type: 'note', text: 'two queues hold the OOF originals' }, bob, 3],
      [{ type: 'skip', reason: 'no third-party agents here' }, bob, 4],
      [{ type: 'done' }, alice, 6],
      [MODEL_CAUSE_FOUND, alice, 9],
      [{ type: 'confirm' }, carol, 11],
      [{ type: 'done' }, carol, 15],
      [{ type: 'done' }, alice, 23],
    ]);
    const sum = summarize(s, model);
    expect(sum).toMatchObject({ outcome: 'resolved', playbookTitle: model.title, startedBy: alice, endedBy: alice, durationMs: 23 * 60_000, duration: '23 min' });
    expect(sum.found.map((f) => [f.stepId, f.status, f.by?.name, f.text])).toEqual([
      ['confirm-queue-error', 'done', 'Alice', 'No queue shows a LastError that names the Mailbox Rules Agent.'],
      ['check-legacyinterop-members', 'done', 'Alice', 'The group is empty, or holds only retired Exchange 2003 servers.'],
      ['check-connector-permission', 'failed', 'Alice', 'ExchangeLegacyInterop (or Authenticated Users) has Deny True for Ms-Exch-Accept-Headers-Organization.'],
      ['verify-oof', 'done', 'Alice', 'The automatic reply arrives and no message waits with the Mailbox Rules Agent error.'],
    ]);
    expect(sum.changes).toEqual([
      expect.objectContaining({ stepId: 'remove-deny', status: 'done', by: carol, confirmedBy: carol, text: 'Changes receive connector permissions and restarts transport (mail flow pauses briefly).' }),
    ]);
    expect(sum.skipped).toEqual([expect.objectContaining({ stepId: 'check-third-party-agents', by: bob, reason: 'no third-party agents here' })]);
    expect(sum.notes.map((n) => n.text)).toEqual(['two queues hold the OOF originals']);
    expect(sum.people).toEqual([alice, bob, carol]);
  });

  it('reports an unhealthy finding, probe checks and the escalation reason', () => {
    const s = walk(branching, [
      [{ type: 'check-result', report: { probe: 'dns', target: 'contoso.com', status: 'fail', findings: [] } }, bob, 1],
      [{ type: 'escalate', reason: 'DNS is run by another team' }, bob, 75],
    ]);
    const sum = summarize(s, branching);
    expect(sum.outcome).toBe('in-progress');
    expect(sum.escalation).toEqual({ at: minute(75).toISOString(), by: bob, reason: 'DNS is run by another team' });
    expect(sum.found).toEqual([expect.objectContaining({ stepId: 'check-mx', status: 'failed', via: 'probe', text: 'No MX record, or one that does not resolve.' })]);
    expect(sum.checks).toEqual([{ stepId: 'check-mx', probe: 'dns', target: 'contoso.com', status: 'fail', effect: 'failed', by: bob, at: minute(1).toISOString() }]);
    expect(summarize(s, branching, minute(75)).duration).toBe('1 h 15 min');
  });

  it('summarises an active session so far, measured to now', () => {
    const s = walk(model, [[{ type: 'done' }, alice, 1]]);
    const sum = summarize(s, model, minute(30));
    expect(sum.outcome).toBe('in-progress');
    expect(sum.endedAt).toBeUndefined();
    expect(sum.duration).toBe('30 min');
  });
});

describe('formatDuration', () => {
  it('reads naturally from seconds to days', () => {
    expect([0, 45_000, 60_000, 3_599_000, 3_600_000, 3_900_000, 90_000_000].map(formatDuration)).toEqual(['0 s', '45 s', '1 min', '59 min', '1 h 00 min', '1 h 05 min', '1 d 1 h']);
  });
});
