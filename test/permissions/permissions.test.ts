// Permissions and four eyes through the conversation core on a real SQLite store with the audit log:
// a refused action is answered to that person only, names its rule, changes nothing and is audited;
// a high-risk change step needs a second, different person's confirmation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/log.ts';
import { ChainVerifier } from '../../src/audit/chain.ts';
import { Policy, PermissionsConfig } from '../../src/permissions/policy.ts';
import { defaultProbeConfig } from '../../src/probes/config.ts';
import { createStore } from '../../src/store/create.ts';
import type { Store } from '../../src/store/store.ts';
import { alice, bob, harness, Recorder, replyText, type Harness } from '../conversation/helpers.ts';

const carol = { id: 'U03CAROL', name: 'Carol' };
const PLAYBOOK = 'dmarc-reject-from-domain';

let dir: string;
let store: Store;
let h: Harness;

function open(rules: Record<string, unknown>, fourEyes = true): void {
  const config = PermissionsConfig.parse({ fourEyes, ...rules });
  h = harness(store, defaultProbeConfig(), 'test:C1:1700000000.000100', new Recorder(), { policy: new Policy(config), audit: new AuditLog(store) });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ehlo-perm-'));
  store = createStore({ sqlitePath: join(dir, 'ehlo.sqlite') });
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function version(): Promise<number> {
  const s = await store.getSessionByThread(h.thread);
  return s?.version ?? 0;
}

/** Start the DMARC playbook and skip to its high-risk step (review-policy-rollout). */
async function toHighRisk(): Promise<void> {
  await h.say(`start ${PLAYBOOK}`, bob);
  for (let i = 0; i < 10; i++) {
    const s = await store.getSessionByThread(h.thread);
    if (s?.cursor === 'review-policy-rollout') break;
    await h.say('skip not relevant here', bob);
  }
  expect((await store.getSessionByThread(h.thread))?.cursor).toBe('review-policy-rollout');
  h.sink.fresh();
}

describe('permissions', () => {
  it('by default (no rules) everyone may do everything, as before', () => {
    const p = new Policy();
    for (const perm of ['probe', 'start', 'confirm', 'confirmHigh', 'escalate', 'stopOthers'] as const) expect(p.check(perm, { thread: 'console:local:main', actorId: 'anyone', groups: [] })).toEqual({ allowed: true });
  });

  it('a refusal answers that person only with the rule, changes nothing, and is audited', async () => {
    open({ rules: { confirmHigh: ['test:U02BOB', 'test:U03CAROL'], stopOthers: ['test:U02BOB'], start: ['test:U02BOB', 'test:group:MAILOPS'] } });
    await toHighRisk();
    const before = await version();
    await h.say('confirm', alice);
    const [refusal] = h.sink.fresh();
    expect(refusal?.audience).toBe(alice.id);
    expect(replyText(refusal!)).toMatch(/You may not confirm high-risk change steps here: the rule permissions\.rules\.confirmHigh allows only test:U02BOB, test:U03CAROL\. Nothing was changed/);
    expect(await version()).toBe(before);
    await h.say('stop I want to', alice);
    expect(replyText(h.sink.fresh()[0]!)).toMatch(/permissions\.rules\.stopOthers/);
    expect((await store.getSessionByThread(h.thread))?.status).toBe('active');
    expect(await version()).toBe(before);
    const refused = (await store.readAudit({})).filter((e) => e.action === 'permission-refused');
    expect(refused.map((e) => [e.actorId, JSON.parse(e.detail).rule, e.step])).toEqual([
      [alice.id, 'permissions.rules.confirmHigh', 'review-policy-rollout'],
      [alice.id, 'permissions.rules.stopOthers', 'review-policy-rollout'],
    ]);
    // The chain holds over everything recorded.
    const v = new ChainVerifier();
    for (const e of await store.readAudit({})) v.check(e);
    expect(v.broken).toBeUndefined();
  });

  it('rules per channel replace the global one there; groups come from the platform', async () => {
    const config = PermissionsConfig.parse({ rules: { start: ['test:group:MAILOPS'] }, channels: { 'test:C1': { start: ['*'] } } });
    h = harness(store, defaultProbeConfig(), 'test:C2:1700000000.000100', new Recorder(), { policy: new Policy(config), groups: async (_t, id) => (id === carol.id ? ['MAILOPS'] : []) });
    await h.say(`start ${PLAYBOOK}`, alice);
    expect(replyText(h.sink.fresh()[0]!)).toMatch(/permissions\.rules\.start allows only test:group:MAILOPS/);
    expect(await store.getSessionByThread(h.thread)).toBeUndefined();
    await h.say(`start ${PLAYBOOK}`, carol);
    expect((await store.getSessionByThread(h.thread))?.startedBy).toEqual(carol);
    const p = new Policy(config);
    expect(p.check('start', { thread: 'test:C1:1.1', actorId: 'nobody', groups: [] })).toEqual({ allowed: true });
  });
});

describe('four eyes on a high-risk step', () => {
  it('needs a second, different person to confirm before done', async () => {
    open({});
    await toHighRisk();
    await h.say('confirm', bob);
    expect(h.sink.freshText()).toMatch(/first of two confirmations[\s\S]*a second person must confirm too \(four eyes\)/);
    await h.say('done', bob);
    expect(h.sink.freshText()).toMatch(/Bob confirmed it, and a second person must confirm too \(four eyes\)/);
    await h.say('confirm', bob);
    expect(h.sink.freshText()).toMatch(/a second person must confirm too/);
    let s = await store.getSessionByThread(h.thread);
    expect(s?.steps['review-policy-rollout']).toMatchObject({ status: 'pending', confirmedBy: bob, needsSecond: true });
    expect(s?.steps['review-policy-rollout']?.approvedBy).toBeUndefined();
    await h.say('confirm', carol);
    await h.say('done', bob);
    s = await store.getSessionByThread(h.thread);
    expect(s?.steps['review-policy-rollout']).toMatchObject({ status: 'done', by: bob, confirmedBy: bob, approvedBy: carol });
    const audit = (await store.readAudit({})).filter((e) => e.action === 'confirm').map((e) => e.actorId);
    expect(audit).toEqual([bob.id, carol.id]);
  });

  it('is off when permissions.fourEyes is false: one confirmation does', async () => {
    open({}, false);
    await toHighRisk();
    await h.say('confirm', bob);
    await h.say('done', bob);
    expect((await store.getSessionByThread(h.thread))?.steps['review-policy-rollout']?.status).toBe('done');
  });
});
