import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/catalog/load.ts';
import type { Action, ApplyResult } from '../../src/walkthrough/action.ts';
import { apply } from '../../src/walkthrough/apply.ts';
import type { WalkPlaybook } from '../../src/walkthrough/flow.ts';
import type { Rejection } from '../../src/walkthrough/rejection.ts';
import { LIMITS, Session, type Actor, type ProbeReport } from '../../src/walkthrough/session.ts';
import { startSession } from '../../src/walkthrough/start.ts';
import { alice, bob, branchingPlaybook, carol, minute, MODEL_CAUSE_FOUND, MODEL_CAUSE_STEP, MODEL_ID, modelOutcome, modelPlaybook } from './fixtures/playbooks.ts';

const model = modelPlaybook();
const branching = branchingPlaybook();

function begin(playbook: WalkPlaybook, at = minute(0)): Session {
  const r = startSession(playbook, { id: 's-1', threadKey: 'slack:C1:1700000000.1', actor: alice, at });
  if (!r.ok) throw new Error(r.rejection.message);
  return r.session;
}

function accept(r: ApplyResult): Session {
  if (!r.ok) throw new Error(`expected the action to be accepted, got ${r.rejection.kind}: ${r.rejection.message}`);
  return r.session;
}

function refuse(r: ApplyResult): Rejection {
  if (r.ok) throw new Error(`expected a rejection, the session moved to ${r.session.cursor}`);
  return r.rejection;
}

/** Apply a run of actions by one actor, one minute apart, each on the step shown. */
function run(session: Session, playbook: WalkPlaybook, actions: Action[], by: Actor = alice, from = 1): Session {
  return actions.reduce((s, action, i) => accept(apply(s, playbook, action, { actor: by, at: minute(from + i), expectedStep: s.cursor ?? undefined })), session);
}

function report(probe: string, status: ProbeReport['status'], target = 'contoso.com'): ProbeReport {
  return { probe, target, status, findings: [{ severity: status === 'pass' ? 'pass' : 'fail', code: `${probe}-${status}`, message: `${probe} said ${status}` }] };
}

describe('starting a walkthrough', () => {
  it('opens at the first step with every step pending and a start entry', () => {
    const s = begin(model);
    expect(s.status).toBe('active');
    expect(s.cursor).toBe('confirm-queue-error');
    expect(s.version).toBe(1);
    expect(Object.values(s.steps).every((st) => st.status === 'pending')).toBe(true);
    expect(Object.keys(s.steps)).toEqual(model.steps.map((st) => st.id));
    expect(s.timeline).toEqual([{ at: minute(0).toISOString(), by: alice, action: 'start', stepId: 'confirm-queue-error', detail: model.title }]);
    expect(s.playbookHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses an over-long thread key and a nameless actor', () => {
    const long = startSession(model, { id: 'x', threadKey: 'k'.repeat(LIMITS.threadKey + 1), actor: alice, at: minute(0) });
    expect(long.ok ? 'accepted' : long.rejection.kind).toBe('invalid');
    const nameless = startSession(model, { id: 'x', threadKey: 't', actor: { id: 'U1', name: '' }, at: minute(0) });
    expect(nameless.ok ? 'accepted' : nameless.rejection.kind).toBe('invalid');
  });
});

describe('walking the model playbook', () => {
  it('walks the playbook exactly as the catalog loader reads it', () => {
    expect(readCatalog().catalog.playbookById.get(MODEL_ID)).toEqual(model);
  });

  it('goes step by step to the end, asking for confirmation on the change step', () => {
    let s = run(begin(model), model, [{ type: 'done' }, { type: 'done' }, { type: 'done' }, MODEL_CAUSE_FOUND]);
    expect(s.cursor).toBe('remove-deny');
    const unconfirmed = refuse(apply(s, model, { type: 'done' }, { actor: alice, at: minute(5), expectedStep: 'remove-deny' }));
    expect(unconfirmed.kind).toBe('needs-confirmation');
    expect(unconfirmed.message).toContain('Changes receive connector permissions');
    s = accept(apply(s, model, { type: 'confirm' }, { actor: bob, at: minute(5), expectedStep: 'remove-deny' }));
    expect(s.steps['remove-deny']).toMatchObject({ status: 'pending', confirmedBy: bob });
    s = run(s, model, [{ type: 'done' }, { type: 'done' }], alice, 6);
    expect(s.status).toBe('finished');
    expect(s.cursor).toBeNull();
    expect(s.endedBy).toEqual(alice);
    expect(s.version).toBe(1 + 4 + 1 + 2);
    expect(s.timeline.map((e) => e.action)).toEqual(['start', 'done', 'done', 'done', 'failed', 'confirm', 'done', 'done', 'finish']);
    expect(Object.entries(s.steps).every(([id, st]) => st.status === modelOutcome(id))).toBe(true);
  });

  it('moves on from a read-only check that failed without a declared branch, keeping the reason', () => {
    const s = accept(apply(begin(model), model, { type: 'failed', reason: 'queue shows 451 instead' }, { actor: bob, at: minute(3) }));
    expect(s.status).toBe('active');
    expect(s.cursor).toBe('check-third-party-agents');
    expect(s.steps['confirm-queue-error']).toMatchObject({ status: 'failed', by: bob, via: 'person', reason: 'queue shows 451 instead' });
  });

  it('escalates when the check that would find the cause finds nothing (no Deny entry): no fix to apply', () => {
    const s = run(begin(model), model, [{ type: 'done' }, { type: 'done' }, { type: 'done' }, { type: 'done' }]);
    expect(s.status).toBe('escalated');
    expect(s.steps[MODEL_CAUSE_STEP]).toMatchObject({ status: 'done' });
    expect(s.steps['remove-deny']?.status).not.toBe('done');
    expect(s.timeline.map((e) => e.action).slice(-1)).toEqual(['escalate']);
  });

  it('escalates when a change fails without a declared branch, keeping the reason', () => {
    const atChange = run(begin(model), model, [{ type: 'done' }, { type: 'done' }, { type: 'done' }, MODEL_CAUSE_FOUND]);
    expect(atChange.cursor).toBe('remove-deny');
    const s = accept(apply(atChange, model, { type: 'failed', reason: 'access denied' }, { actor: bob, at: minute(9) }));
    expect(s.status).toBe('escalated');
    expect(s.endReason).toBe('step "remove-deny" failed: access denied');
    expect(s.timeline.map((e) => e.action).slice(-2)).toEqual(['failed', 'escalate']);
  });

  it('does not change the session it was given, on success or refusal', () => {
    const s = begin(model);
    const before = structuredClone(s);
    accept(apply(s, model, { type: 'done' }, { actor: alice, at: minute(1) }));
    refuse(apply(s, model, { type: 'back' }, { actor: alice, at: minute(1) }));
    expect(s).toEqual(before);
  });
});

describe('stale and finished sessions', () => {
  it('refuses a press on a step the session has left, naming who moved it and when', () => {
    const s = run(begin(model), model, [{ type: 'done' }]);
    const r = refuse(apply(s, model, { type: 'done' }, { actor: bob, at: minute(2), expectedStep: 'confirm-queue-error' }));
    expect(r).toMatchObject({ kind: 'stale', expectedStep: 'confirm-queue-error', currentStep: 'check-third-party-agents', lastBy: alice });
    expect(r.message).toBe('Step "confirm-queue-error" was already marked done by Alice at 10:01 UTC; the walkthrough is now at step "check-third-party-agents".');
  });

  it('refuses every action but a note once the session has ended, and says how it ended', () => {
    const s = accept(apply(begin(model), model, { type: 'stop', reason: 'wrong playbook' }, { actor: carol, at: minute(4) }));
    expect(s).toMatchObject({ status: 'stopped', endReason: 'wrong playbook', cursor: null });
    for (const action of [{ type: 'done' }, { type: 'escalate' }, { type: 'back' }] as Action[]) {
      const r = refuse(apply(s, model, action, { actor: alice, at: minute(5) }));
      expect(r.kind).toBe('not-active');
      expect(r.message).toBe('This walkthrough was stopped by Carol at 10:04 UTC; nothing was changed.');
    }
    const noted = accept(apply(s, model, { type: 'note', text: 'it was a DNS problem after all' }, { actor: alice, at: minute(6) }));
    expect(noted.notes).toEqual([{ at: minute(6).toISOString(), by: alice, text: 'it was a DNS problem after all' }]);
  });

  it('says a button is stale even when the step it named was reopened by back and left again', () => {
    let s = run(begin(model), model, [{ type: 'done' }, { type: 'back' }]);
    expect(s.cursor).toBe('confirm-queue-error');
    expect(s.steps['confirm-queue-error']).toEqual({ status: 'pending' });
    s = run(s, model, [{ type: 'skip' }], bob, 3);
    const r = refuse(apply(s, model, { type: 'done' }, { actor: alice, at: minute(9), expectedStep: 'confirm-queue-error' }));
    expect(r.message).toContain('was already skipped by Bob at 10:03 UTC');
  });
});

describe('branches, loops and back', () => {
  it('follows a declared failed branch, loops back, and resets the revisited step', () => {
    let s = begin(branching);
    s = run(s, branching, [{ type: 'failed', reason: 'no MX' }]);
    expect(s.cursor).toBe('fix-mx');
    s = run(s, branching, [{ type: 'confirm' }, { type: 'done' }], bob, 2);
    expect(s.cursor).toBe('check-mx');
    expect(s.steps['check-mx']).toEqual({ status: 'pending' });
    expect(s.path).toEqual(['check-mx', 'fix-mx', 'check-mx']);
    s = run(s, branching, [{ type: 'done' }, { type: 'skip' }], alice, 4);
    expect(s.cursor).toBe('restart-transport');
  });

  it('goes back along the path, reopening the previous step, and not past the first', () => {
    let s = run(begin(branching), branching, [{ type: 'done' }, { type: 'done' }]);
    expect(s.cursor).toBe('restart-transport');
    s = run(s, branching, [{ type: 'back' }], bob, 3);
    expect(s.cursor).toBe('check-smtp');
    expect(s.timeline.at(-1)).toMatchObject({ action: 'back', stepId: 'check-smtp', detail: 'reopened "check-smtp" (was done by Alice)' });
    s = run(s, branching, [{ type: 'back' }], bob, 4);
    expect(refuse(apply(s, branching, { type: 'back' }, { actor: bob, at: minute(5) })).kind).toBe('nothing-to-undo');
  });

  it('escalates on a failed change step with failed: escalate, and finishes on done: end', () => {
    const start = run(begin(branching), branching, [{ type: 'done' }, { type: 'done' }]);
    const failed = run(start, branching, [{ type: 'failed', reason: 'service would not start' }], alice, 3);
    expect(failed.status).toBe('escalated');
    const fine = run(start, branching, [{ type: 'confirm' }, { type: 'done' }, { type: 'done' }], alice, 3);
    expect(fine.status).toBe('finished');
  });

  it('refuses to move along a branch that names a step the playbook lacks', () => {
    const broken = structuredClone(branching);
    broken.steps[0]!.next = { failed: 'no-such-step' };
    const r = refuse(apply(begin(broken), broken, { type: 'failed' }, { actor: alice, at: minute(1) }));
    expect(r.kind).toBe('broken-playbook');
    expect(r.message).toContain('"no-such-step"');
  });

  it('refuses to act on a step the playbook no longer has', () => {
    const s = run(begin(branching), branching, [{ type: 'done' }]);
    const edited = { ...branching, steps: branching.steps.filter((st) => st.id !== 'check-smtp') };
    expect(refuse(apply(s, edited, { type: 'done' }, { actor: alice, at: minute(2) })).kind).toBe('unknown-step');
  });
});

describe('confirmations', () => {
  it('refuses to confirm a read-only step and to confirm a step twice', () => {
    const s = begin(branching);
    expect(refuse(apply(s, branching, { type: 'confirm' }, { actor: alice, at: minute(1) })).kind).toBe('nothing-to-confirm');
    const atChange = run(s, branching, [{ type: 'done' }, { type: 'done' }, { type: 'confirm' }]);
    const again = refuse(apply(atChange, branching, { type: 'confirm' }, { actor: bob, at: minute(9) }));
    expect(again).toMatchObject({ kind: 'already-confirmed', by: alice });
    expect(again.message).toBe('Step "restart-transport" was already confirmed by Alice at 10:03 UTC.');
  });

  it('lets a change step be marked failed or skipped without confirmation', () => {
    const s = run(begin(branching), branching, [{ type: 'done' }, { type: 'done' }]);
    // skipped has no declared branch here: it goes to the following step in the file.
    expect(accept(apply(s, branching, { type: 'skip' }, { actor: alice, at: minute(3) })).cursor).toBe('fix-mx');
    expect(accept(apply(s, branching, { type: 'failed' }, { actor: alice, at: minute(3) })).status).toBe('escalated');
  });
});

describe('probe results', () => {
  it('confirms a step when its probe passes and onPass is done, recording the evidence', () => {
    const s = accept(apply(begin(branching), branching, { type: 'check-result', report: report('dns', 'pass') }, { actor: bob, at: minute(1), expectedStep: 'check-mx' }));
    expect(s.cursor).toBe('check-smtp');
    expect(s.steps['check-mx']).toMatchObject({ status: 'done', by: bob, via: 'probe', reason: 'dns check pass' });
    expect(s.evidence).toEqual([{ stepId: 'check-mx', at: minute(1).toISOString(), by: bob, effect: 'done', report: report('dns', 'pass') }]);
    expect(s.timeline.slice(1).map((e) => e.action)).toEqual(['check', 'done']);
    expect(s.version).toBe(2);
  });

  it('follows the failed branch when the probe fails and onFail is failed', () => {
    const s = accept(apply(begin(branching), branching, { type: 'check-result', report: report('dns', 'fail') }, { actor: bob, at: minute(1) }));
    expect(s.cursor).toBe('fix-mx');
    expect(s.evidence[0]?.effect).toBe('failed');
  });

  it('skips a step when its probe passes and onPass is skip', () => {
    const s = run(begin(branching), branching, [{ type: 'done' }, { type: 'check-result', report: report('smtp', 'pass', 'mx1.contoso.com:25') }]);
    expect(s.steps['check-smtp']).toMatchObject({ status: 'skipped', via: 'probe' });
    expect(s.cursor).toBe('restart-transport');
  });

  it('only records a result the step declares no effect for (fail without onFail, warn, error)', () => {
    const atSmtp = run(begin(branching), branching, [{ type: 'done' }]);
    let s = atSmtp;
    for (const status of ['fail', 'warn', 'error'] as const) s = run(s, branching, [{ type: 'check-result', report: report('smtp', status) }]);
    expect(s.cursor).toBe('check-smtp');
    expect(s.evidence.map((e) => [e.report.status, e.effect])).toEqual([['fail', 'none'], ['warn', 'none'], ['error', 'none']]);
    expect(s.version).toBe(atSmtp.version + 3);
  });

  it('refuses a result for a step without a probe, from another probe kind, or malformed', () => {
    const s = begin(model);
    expect(refuse(apply(s, model, { type: 'check-result', report: report('dns', 'pass') }, { actor: alice, at: minute(1) })).kind).toBe('no-probe');
    const b = begin(branching);
    const wrongKind = refuse(apply(b, branching, { type: 'check-result', report: report('smtp', 'pass') }, { actor: alice, at: minute(1) }));
    expect(wrongKind.message).toBe('Step "check-mx" checks with the dns probe, not smtp.');
    const malformed = { probe: 'dns', target: 'x', status: 'maybe' } as unknown as ProbeReport;
    expect(refuse(apply(b, branching, { type: 'check-result', report: malformed }, { actor: alice, at: minute(1) })).kind).toBe('invalid');
  });
});

describe('notes and bounds', () => {
  it('attaches a note to the current step and refuses empty or over-long notes', () => {
    const s = accept(apply(begin(model), model, { type: 'note', text: '  Get-Queue shows 3 queues  ' }, { actor: bob, at: minute(2) }));
    expect(s.notes).toEqual([{ at: minute(2).toISOString(), by: bob, stepId: 'confirm-queue-error', text: 'Get-Queue shows 3 queues' }]);
    expect(s.cursor).toBe('confirm-queue-error');
    expect(refuse(apply(s, model, { type: 'note', text: '   ' }, { actor: bob, at: minute(3) })).message).toBe('The note is empty.');
    const long = refuse(apply(s, model, { type: 'note', text: 'x'.repeat(LIMITS.noteText + 1) }, { actor: bob, at: minute(3) }));
    expect(long.message).toBe(`The note is ${LIMITS.noteText + 1} characters; the limit is ${LIMITS.noteText}. Shorten it and try again.`);
  });

  it('refuses to grow a full session but still lets it be escalated', () => {
    const s = begin(model);
    const entry = s.timeline[0]!;
    const full: Session = { ...s, timeline: Array.from({ length: LIMITS.timeline }, () => entry) };
    expect(refuse(apply(full, model, { type: 'note', text: 'one more' }, { actor: bob, at: minute(1) })).kind).toBe('session-full');
    const escalated = accept(apply(full, model, { type: 'escalate', reason: 'too long' }, { actor: bob, at: minute(1) }));
    // Escalation marks the walkthrough and lets it go on; a second one is refused.
    expect(escalated.status).toBe('active');
    expect(escalated.escalation).toEqual({ at: minute(1).toISOString(), by: bob, reason: 'too long' });
    expect(refuse(apply(escalated, model, { type: 'escalate' }, { actor: alice, at: minute(2) })).kind).toBe('already-escalated');
  });
});

describe('invariants under any sequence of presses', () => {
  const actions: Action[] = [
    { type: 'done' }, { type: 'failed' }, { type: 'skip' }, { type: 'back' }, { type: 'confirm' }, { type: 'note', text: 'seen' },
    { type: 'check-result', report: report('dns', 'pass') }, { type: 'check-result', report: report('dns', 'fail') },
    { type: 'check-result', report: report('smtp', 'pass') }, { type: 'escalate' }, { type: 'stop' },
  ];
  const press = fc.record({ action: fc.constantFrom(...actions), by: fc.constantFrom(alice, bob, carol), stale: fc.boolean() });

  it('bumps the version once per accepted action, keeps the cursor on the path, and stays a valid session', () => {
    fc.assert(
      fc.property(fc.array(press, { maxLength: 40 }), (presses) => {
        let s = begin(branching);
        let accepted = 0;
        presses.forEach(({ action, by, stale }, i) => {
          const expectedStep = stale ? 'no-such-step' : (s.cursor ?? undefined);
          const r = apply(s, branching, action, { actor: by, at: minute(i + 1), expectedStep });
          if (stale) expect(r.ok).toBe(false);
          if (!r.ok) return;
          accepted++;
          expect(r.session.timeline.length).toBe(s.timeline.length + r.events.length);
          s = r.session;
        });
        expect(s.version).toBe(1 + accepted);
        expect(Session.safeParse(s).success).toBe(true);
        if (s.status === 'active') {
          expect(s.path.at(-1)).toBe(s.cursor);
          expect(s.steps[s.cursor!]?.status).toBe('pending');
        } else {
          expect(s.cursor).toBeNull();
          expect(s.endedAt).toBeDefined();
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('hostile or oversized input', () => {
  it('keeps a long probe report, clipped to what a session holds', () => {
    const long: ProbeReport = {
      probe: 'dns',
      target: 'contoso.com',
      status: 'pass',
      findings: Array.from({ length: LIMITS.findings + 30 }, (_, i) => ({ severity: 'info' as const, code: `f${i}`, message: 'm'.repeat(LIMITS.findingText + 100) })),
      transcript: Array.from({ length: LIMITS.transcriptLines + 50 }, () => 'S: 250-'.padEnd(LIMITS.transcriptLine + 10, 'x')),
    };
    const s = accept(apply(begin(branching), branching, { type: 'check-result', report: long }, { actor: alice, at: minute(1) }));
    const kept = s.evidence[0]!.report;
    expect(kept.findings).toHaveLength(LIMITS.findings);
    expect(kept.findings[0]!.message).toHaveLength(LIMITS.findingText);
    expect(kept.transcript).toHaveLength(LIMITS.transcriptLines);
    expect(s.cursor).toBe('check-smtp');
  });

  it('refuses an actor with an oversized name', () => {
    const r = refuse(apply(begin(model), model, { type: 'done' }, { actor: { id: 'U1', name: 'n'.repeat(LIMITS.actorField + 1) }, at: minute(1) }));
    expect(r.kind).toBe('invalid');
  });
});
