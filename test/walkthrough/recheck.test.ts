// Proof of a fix in the engine: a walkthrough whose diagnosis rests on a failed check ends resolved only
// when the re-check of that check passes, unverified (with the reason) when it could not run or still
// fails; and a step that would only repeat a check that passed is skipped, saying why.
import { describe, expect, it } from 'vitest';
import { Step } from '../../src/catalog/schema.ts';
import { apply } from '../../src/walkthrough/apply.ts';
import type { Action } from '../../src/walkthrough/action.ts';
import type { WalkPlaybook } from '../../src/walkthrough/flow.ts';
import { closingProof, needsRecheck } from '../../src/walkthrough/recheck.ts';
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

  it('is strict: a re-check that passes with warnings leaves the fix unverified, saying which warning', () => {
    const finished = walk([...toFix, { type: 'done' }, { type: 'done' }]);
    const warned: ProbeReport = { probe: 'smtp', target: 'mx.contoso.com:25', status: 'warn', findings: [{ severity: 'pass', code: 'starttls', message: 'STARTTLS offered' }, { severity: 'warn', code: 'cert-not-public-ca', message: 'the chain ends in a CA that is not a public root' }] };
    const r = apply(finished, playbook, { type: 'recheck', report: warned }, { actor: alice, at: minute(9) });
    if (!r.ok) throw new Error(r.rejection.message);
    const s = summarize(r.session, playbook);
    expect(s.outcome).toBe('unverified');
    expect(s.reason).toBe('the re-check passed with warnings: the chain ends in a CA that is not a public root');
    expect(s.recheck).toMatchObject({ after: { status: 'warn', finding: 'the chain ends in a CA that is not a public root' }, reason: s.reason });
    expect(s.proved).toBeUndefined();
    const clean = apply(finished, playbook, { type: 'recheck', report: report('smtp', 'pass') }, { actor: alice, at: minute(9) });
    if (!clean.ok) throw new Error(clean.rejection.message);
    expect(summarize(clean.session, playbook)).toMatchObject({ outcome: 'resolved', proved: 'the smtp check of mx.contoso.com:25 passed cleanly after the fix (before it, it failed: smtp said fail)' });
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

/** A fix no probe sees: adding a proxy address inside Exchange Online, proved by what the sender sees. */
const proofPlaybook: WalkPlaybook = {
  id: 'x500',
  title: 'Stale X500',
  steps: [
    step('find-owner', { next: { done: 'clear-cache', failed: 'add-x500' } }),
    step('add-x500', {
      changes: { risk: 'low', what: 'Adds one X500 proxy address.' },
      proof: { confirm: 'Ask the sender to reply to the old message. Does it arrive, with no NDR?', shows: 'a reply to the old message was delivered' },
    }),
    step('clear-cache', {
      changes: { risk: 'low', what: 'Removes one Auto-Complete entry.' },
      proof: { confirm: 'Ask the sender to pick the recipient from the address book. Does it arrive?', shows: 'a message to the address book entry was delivered' },
    }),
    step('verify', { probe: { kind: 'dns', target: '{domain}', onPass: 'done', onFail: 'failed' } }),
  ],
};

function walkProof(actions: Action[]): Session {
  const started = startSession(proofPlaybook, { id: 's-3', threadKey: 'console:local:p', actor: alice, at: minute(0) });
  if (!started.ok) throw new Error(started.rejection.message);
  return actions.reduce((s, action, i) => {
    const r = apply(s, proofPlaybook, action, { actor: alice, at: minute(i + 1) });
    if (!r.ok) throw new Error(`${action.type}: ${r.rejection.message}`);
    return r.session;
  }, started.session);
}

describe('the proof of a fix no check can see', () => {
  // find-owner failed → add-x500 (confirmed, done) → clear-cache (confirmed, done) → verify (done) → end.
  const fixed = (): Session => walkProof([{ type: 'failed' }, { type: 'confirm' }, { type: 'done' }, { type: 'confirm' }, { type: 'done' }, { type: 'done' }]);

  it('asks the person at the end, for the fix the diagnosis led to, and is resolved only when they confirm it', () => {
    const finished = fixed();
    expect(finished.status).toBe('finished');
    expect(needsRecheck(finished, proofPlaybook)).toBe(true);
    expect(closingProof(finished, proofPlaybook)).toMatchObject({ kind: 'confirm', stepId: 'add-x500' });
    expect(summarize(finished, proofPlaybook)).toMatchObject({ outcome: 'unverified', reason: 'the proof has not been confirmed yet (a reply to the old message was delivered)', proof: { stepId: 'add-x500' } });
    // A probe report is not a confirmation.
    const probeInstead = apply(finished, proofPlaybook, { type: 'recheck', report: report('dns', 'pass', 'contoso.com') }, { actor: bob, at: minute(9) });
    expect(probeInstead.ok ? 'accepted' : probeInstead.rejection.kind).toBe('invalid');

    const yes = apply(finished, proofPlaybook, { type: 'recheck', confirmed: 'yes' }, { actor: bob, at: minute(9) });
    if (!yes.ok) throw new Error(yes.rejection.message);
    expect(yes.events).toEqual([{ at: minute(9).toISOString(), by: bob, action: 'recheck', stepId: 'add-x500', detail: 'confirmed the proof' }]);
    expect(needsRecheck(yes.session, proofPlaybook)).toBe(false);
    const s = summarize(yes.session, proofPlaybook);
    expect(s).toMatchObject({ outcome: 'resolved', proved: "Bob confirmed that a reply to the old message was delivered (a person's word: no check can see this fix)" });
    expect(s.proof).toEqual({ stepId: 'add-x500', title: 'Step add-x500', ask: 'Ask the sender to reply to the old message. Does it arrive, with no NDR?', shows: 'a reply to the old message was delivered', answer: { value: 'yes', by: bob, at: minute(9).toISOString() } });
    expect(parseSession(JSON.parse(JSON.stringify(yes.session)))).toEqual(yes.session);
    // Answered once.
    const again = apply(yes.session, proofPlaybook, { type: 'recheck', confirmed: 'no' }, { actor: alice, at: minute(10) });
    expect(again.ok).toBe(false);
  });

  it('stays unverified when the person still sees the problem or cannot tell, with the reason', () => {
    const finished = fixed();
    const no = apply(finished, proofPlaybook, { type: 'recheck', confirmed: 'no', reason: 'the NDR came back again' }, { actor: bob, at: minute(9) });
    if (!no.ok) throw new Error(no.rejection.message);
    expect(summarize(no.session, proofPlaybook)).toMatchObject({ outcome: 'unverified', reason: 'Bob still sees the problem: the NDR came back again (the proof was: a reply to the old message was delivered)' });
    const unsure = apply(finished, proofPlaybook, { type: 'recheck', confirmed: 'unsure' }, { actor: bob, at: minute(9) });
    if (!unsure.ok) throw new Error(unsure.rejection.message);
    const s = summarize(unsure.session, proofPlaybook);
    expect(s).toMatchObject({ outcome: 'unverified', reason: 'Bob could not tell whether a reply to the old message was delivered' });
    expect(s.proved).toBeUndefined();
  });

  it('proves by the check instead when a check failed on the way, and asks nothing when no step done has a proof', () => {
    const viaCheck = walkProof([{ type: 'done' }, { type: 'confirm' }, { type: 'done' }, { type: 'check-result', report: report('dns', 'fail', 'contoso.com') }]);
    // verify failed (the last step): escalated, no proof owed.
    expect(viaCheck.status).toBe('escalated');
    expect(closingProof(viaCheck, proofPlaybook)).toMatchObject({ kind: 'check', check: { stepId: 'verify' } });
    const none = walkProof([{ type: 'done' }, { type: 'skip' }, { type: 'done' }]);
    expect(none.status).toBe('finished');
    expect(needsRecheck(none, proofPlaybook)).toBe(false);
    expect(summarize(none, proofPlaybook).outcome).toBe('resolved');
  });
});
