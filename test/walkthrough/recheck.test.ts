// Proof of a fix in the engine: a walkthrough whose diagnosis rests on a failed check ends resolved only
// when the re-check of that check passes, unverified (with the reason) when it could not run or still
// fails; and a step that would only repeat a check that passed is skipped, saying why.
import { describe, expect, it } from 'vitest';
import { Step } from '../../src/catalog/schema.ts';
import { apply } from '../../src/walkthrough/apply.ts';
import type { Action } from '../../src/walkthrough/action.ts';
import type { WalkPlaybook } from '../../src/walkthrough/flow.ts';
import { needsRecheck } from '../../src/walkthrough/recheck.ts';
import { parseSession, type ProbeReport, type Session } from '../../src/walkthrough/session.ts';
import { startSession } from '../../src/walkthrough/start.ts';
import { summarize } from '../../src/walkthrough/summary.ts';
import { alice, bob, minute } from './fixtures/playbooks.ts';

const step = (id: string, extra: Record<string, unknown> = {}): Step =>
  Step.parse({ id, title: `Step ${id}`, action: `Do the thing called ${id}.`, expect: { healthy: 'fine', unhealthy: 'not fine' }, changes: false, ...extra });

const playbook: WalkPlaybook = {
  id: 'forced-tls',
  title: 'Forced TLS',
  steps: [
    step('probe-starttls', { probe: { kind: 'smtp', target: '{host}:25', onPass: 'done', onFail: 'failed' }, next: { failed: 'fix-cert' } }),
    step('probe-dns', { probe: { kind: 'dns', target: '{domain}', onPass: 'done', onFail: 'failed' } }),
    step('fix-cert', { changes: { risk: 'medium', what: 'Installs a new certificate.' } }),
    step('probe-dns-again', { probe: { kind: 'dns', target: '{domain}', onPass: 'done', onFail: 'failed' } }),
    step('retry-queue', { retry: true, probe: { kind: 'dns', target: '{domain}', onPass: 'done', onFail: 'failed' } }),
  ],
};

function report(probe: string, status: ProbeReport['status'], target = 'mx.contoso.com:25'): ProbeReport {
  return { probe, target, status, findings: [{ severity: status === 'pass' ? 'pass' : 'fail', code: `${probe}-${status}`, message: `${probe} said ${status}` }] };
}

function walk(actions: Action[]): Session {
  const started = startSession(playbook, { id: 's-1', threadKey: 'console:local:t', actor: alice, at: minute(0) });
  if (!started.ok) throw new Error(started.rejection.message);
  return actions.reduce((s, action, i) => {
    const r = apply(s, playbook, action, { actor: alice, at: minute(i + 1) });
    if (!r.ok) throw new Error(`${action.type}: ${r.rejection.message}`);
    return r.session;
  }, started.session);
}

const toFix: Action[] = [{ type: 'check-result', report: report('smtp', 'fail') }, { type: 'confirm' }, { type: 'done' }];

describe('the closing re-check', () => {
  it('keeps a fixed walkthrough unverified until the failed check passes again, then resolved, before and after side by side', () => {
    const finished = walk([...toFix, { type: 'done' }, { type: 'done' }]);
    expect(finished.status).toBe('finished');
    expect(needsRecheck(finished, playbook)).toBe(true);
    const pending = summarize(finished, playbook);
    expect(pending.outcome).toBe('unverified');
    expect(pending.reason).toBe('the re-check has not run yet');

    const r = apply(finished, playbook, { type: 'recheck', report: report('smtp', 'pass') }, { actor: bob, at: minute(9) });
    if (!r.ok) throw new Error(r.rejection.message);
    expect(needsRecheck(r.session, playbook)).toBe(false);
    expect(r.events).toEqual([{ at: minute(9).toISOString(), by: bob, action: 'recheck', stepId: 'probe-starttls', detail: 'smtp mx.contoso.com:25: pass' }]);
    const s = summarize(r.session, playbook);
    expect(s.outcome).toBe('resolved');
    expect(s.recheck).toMatchObject({ stepId: 'probe-starttls', probe: 'smtp', target: 'mx.contoso.com:25', before: { status: 'fail', finding: 'smtp said fail', by: alice }, after: { status: 'pass', by: bob } });
    // A session stored with its re-check reads back as it was; one stored before re-checks existed still reads.
    expect(parseSession(JSON.parse(JSON.stringify(r.session)))).toEqual(r.session);
    const { recheck: _r, ...old } = finished;
    expect(parseSession(JSON.parse(JSON.stringify(old))).recheck).toBeUndefined();
    // Recorded once.
    const again = apply(r.session, playbook, { type: 'recheck', report: report('smtp', 'fail') }, { actor: bob, at: minute(10) });
    expect(again.ok).toBe(false);
  });

  it('says unverified, with the reason, when the re-check could not run or still fails', () => {
    const finished = walk([...toFix, { type: 'done' }, { type: 'done' }]);
    const cannot = apply(finished, playbook, { type: 'recheck', reason: 'the check needs the host, which this thread does not know' }, { actor: alice, at: minute(9) });
    if (!cannot.ok) throw new Error(cannot.rejection.message);
    expect(summarize(cannot.session, playbook)).toMatchObject({ outcome: 'unverified', reason: 'the re-check could not run: the check needs the host, which this thread does not know' });
    const error = apply(finished, playbook, { type: 'recheck', report: report('smtp', 'error') }, { actor: alice, at: minute(9) });
    if (!error.ok) throw new Error(error.rejection.message);
    expect(summarize(error.session, playbook)).toMatchObject({ outcome: 'unverified', reason: 'the re-check could not run (error): smtp said error' });
    const fails = apply(finished, playbook, { type: 'recheck', report: report('smtp', 'fail') }, { actor: alice, at: minute(9) });
    if (!fails.ok) throw new Error(fails.rejection.message);
    expect(summarize(fails.session, playbook)).toMatchObject({ outcome: 'unverified', reason: 'the re-check still finds a problem (fail): smtp said fail', recheck: { after: { status: 'fail' } } });
  });

  it('asks no re-check of a walkthrough whose checks all passed, and takes none while it is active', () => {
    const healthy = walk([{ type: 'check-result', report: report('smtp', 'pass') }, { type: 'check-result', report: report('dns', 'pass', 'contoso.com') }]);
    // probe-dns passed; fix-cert is next (a change).
    expect(healthy.cursor).toBe('fix-cert');
    const active = apply(healthy, playbook, { type: 'recheck', report: report('smtp', 'pass') }, { actor: alice, at: minute(9) });
    expect(active.ok ? 'accepted' : active.rejection.kind).toBe('not-active');
    const finished = walk([{ type: 'done' }, { type: 'done' }, { type: 'confirm' }, { type: 'done' }, { type: 'done' }, { type: 'done' }]);
    expect(finished.status).toBe('finished');
    expect(needsRecheck(finished, playbook)).toBe(false);
    expect(summarize(finished, playbook).outcome).toBe('resolved');
  });
});

describe('skipping what a passed check made pointless', () => {
  it('skips a later step that would run the same passing check, and says why', () => {
    const s = walk([{ type: 'check-result', report: report('smtp', 'pass') }, { type: 'check-result', report: report('dns', 'pass', 'contoso.com') }, { type: 'confirm' }]);
    expect(s.cursor).toBe('fix-cert');
    // fix-cert changes something: after it, the same dns check is worth running again.
    const after = apply(s, playbook, { type: 'done' }, { actor: alice, at: minute(9) });
    if (!after.ok) throw new Error(after.rejection.message);
    expect(after.session.cursor).toBe('probe-dns-again');
  });

  it('skips it when nothing changed since the pass, but never a step that verifies a fix', () => {
    const skipping: WalkPlaybook = { ...playbook, steps: playbook.steps.filter((x) => x.id !== 'fix-cert') };
    const started = startSession(skipping, { id: 's-2', threadKey: 't', actor: alice, at: minute(0) });
    if (!started.ok) throw new Error(started.rejection.message);
    const one = apply(started.session, skipping, { type: 'done' }, { actor: alice, at: minute(1) });
    if (!one.ok) throw new Error(one.rejection.message);
    const two = apply(one.session, skipping, { type: 'check-result', report: report('dns', 'pass', 'contoso.com') }, { actor: alice, at: minute(2) });
    if (!two.ok) throw new Error(two.rejection.message);
    expect(two.session.cursor).toBe('retry-queue');
    expect(two.session.steps['probe-dns-again']).toMatchObject({ status: 'skipped', via: 'probe', reason: 'the same dns check (contoso.com) passed at step "probe-dns"; nothing changed since' });
    expect(two.events.map((e) => `${e.action} ${e.stepId}`)).toEqual(['check probe-dns', 'done probe-dns', 'skipped probe-dns-again']);
    expect(two.session.path).toEqual(['probe-starttls', 'probe-dns', 'probe-dns-again', 'retry-queue']);
  });
});
