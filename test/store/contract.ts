// The one contract every Store implementation passes, run by sqlite.test.ts and postgres.test.ts.
// Each test gets its own database (a fresh file, or a fresh PostgreSQL schema); `open()` gives
// another connection to the same data, which is how two replicas or two presses race for real.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/walkthrough/store.ts';
import { LATEST_VERSION, MIGRATIONS } from '../../src/store/migrations.ts';
import type { Store } from '../../src/store/store.ts';
import type { Session } from '../../src/walkthrough/session.ts';
import { startSession } from '../../src/walkthrough/start.ts';
import { Walkthroughs, type Outcome } from '../../src/walkthrough/walkthroughs.ts';
import { alice, bob, carol, minute, MODEL_CAUSE_FOUND, MODEL_CAUSE_STEP, modelPlaybook, playbookSource } from '../walkthrough/fixtures/playbooks.ts';
import { emptyThread, encodeThread } from '../../src/conversation/state/thread-state.ts';
import { ChainVerifier, type AuditFields } from '../../src/audit/chain.ts';
import { threadStateContract } from '../conversation/state/contract.ts';

export interface StoreHarness {
  /** A new store (its own connection) on this test's database. */
  open(): Store;
  /** A store pointed at something that does not answer. */
  unreachable(): Store;
  /** Drop this test's database. */
  dispose(): Promise<void>;
}

const model = modelPlaybook();

function newSession(id: string, threadKey: string, at = minute(0)): Session {
  const r = startSession(model, { id, threadKey, actor: alice, at });
  if (!r.ok) throw new Error(r.rejection.message);
  return r.session;
}

function bumped(s: Session, at: Date, patch: Partial<Session> = {}): Session {
  return { ...s, ...patch, version: s.version + 1, updatedAt: at.toISOString() };
}

function applied(o: Outcome): Extract<Outcome, { kind: 'applied' }> {
  if (o.kind !== 'applied') throw new Error(`expected applied, got ${o.kind}: ${'message' in o ? o.message : o.rejection.message}`);
  return o;
}

export function storeContract(name: string, makeHarness: () => Promise<StoreHarness>): void {
  threadStateContract(name, async () => {
    const h = await makeHarness();
    const a = h.open();
    const b = h.open();
    await a.migrate();
    return {
      a,
      b,
      dispose: async () => {
        await a.close();
        await b.close();
        await h.dispose();
      },
    };
  });

  describe(`${name} store contract`, () => {
    let harness: StoreHarness;
    let opened: Store[];

    function open(): Store {
      const store = harness.open();
      opened.push(store);
      return store;
    }

    async function migrated(): Promise<Store> {
      const store = open();
      await store.migrate();
      return store;
    }

    function service(store: Store, clock = () => minute(5)): Walkthroughs {
      return new Walkthroughs({ store, playbooks: playbookSource(model), now: clock });
    }

    beforeEach(async () => {
      harness = await makeHarness();
      opened = [];
    });

    afterEach(async () => {
      try {
        await Promise.allSettled(opened.map((store) => store.close()));
      } finally {
        await harness.dispose();
      }
    });

    describe('one transaction for a session and its thread state', () => {
      it('writes both, or neither when the thread state changed underneath', async () => {
        const store = await migrated();
        const other = open();
        const thread = 'slack:T1:C9:1.9';
        const base = { ...emptyThread(thread, minute(0)), version: 1 };
        expect(await store.putThread(base, 0)).toBe('saved');
        const next = { ...base, version: 2, rejected: ['x'] };
        const write = { key: thread, doc: encodeThread(next), version: 2, expectedVersion: 1, updatedAt: next.updatedAt };
        expect(await store.save(newSession('s-both', thread), 0, undefined, write)).toEqual({ status: 'saved' });
        expect(await other.getSession('s-both')).toBeDefined();
        expect((await other.getThread(thread))?.rejected).toEqual(['x']);
        // The same expected version again: the thread moved on, so the second session is not saved either.
        expect(await store.save(newSession('s-neither', 'slack:T1:C9:2.9'), 0, undefined, write)).toEqual({ status: 'conflict' });
        expect(await other.getSession('s-neither')).toBeUndefined();
      });
    });

    describe("one event's writes in one transaction", () => {
      const entry = (action: string, detail: string): AuditFields => ({
        at: minute(1).toISOString(), actorPlatform: 'teams', actorId: '29:x', actorName: 'Zoë Ñúñez 李', thread: 'teams:T:19:a', session: '', step: '', action, detail,
      });

      async function verified(store: Store): Promise<number> {
        const v = new ChainVerifier();
        for (const e of await store.readAudit({})) expect(v.check(e), v.broken?.reason).toBe(true);
        return v.count;
      }

      it('writes the thread state, the delivery claim and the audit entries together, chained as verify expects', async () => {
        const store = await migrated();
        const other = open();
        const doc = { ...emptyThread('teams:T:19:a', minute(0)), version: 1, rejected: ['x'] };
        const entries = [entry('paste-matched', '{"playbook":"dns","emoji":"📨","cjk":"邮件"}'), entry('press', '{}')];
        const done = await store.commitEvent({ thread: { doc, expectedVersion: 0 }, claim: { key: 'teams:T:19:a|1', at: minute(0) }, audit: entries });
        expect(done.thread).toBe('saved');
        expect(done.audit.map((e) => [e.seq, e.action])).toEqual([[1, 'paste-matched'], [2, 'press']]);
        expect((await other.getThread('teams:T:19:a'))?.rejected).toEqual(['x']);
        expect(await other.claimDelivery('teams:T:19:a|1', 60_000, minute(0))).toBe(false);
        const more = await store.commitEvent({ audit: [entry('note', '{"text":"caf\u00e9"}')] });
        expect(more.audit[0]?.prevHash).toBe(done.audit[1]?.hash);
        expect(await verified(other)).toBe(3);
      });

      it('writes nothing at all when the thread state changed underneath', async () => {
        const store = await migrated();
        const doc = { ...emptyThread('teams:T:19:b', minute(0)), version: 1 };
        expect(await store.putThread(doc, 0)).toBe('saved');
        const stale = await store.commitEvent({ thread: { doc: { ...doc, version: 2 }, expectedVersion: 5 }, claim: { key: 'teams:T:19:b|1', at: minute(0) }, audit: [entry('press', '{}')] });
        expect(stale).toEqual({ thread: 'conflict', audit: [] });
        expect(await store.readAudit({})).toEqual([]);
        expect(await store.claimDelivery('teams:T:19:b|1', 60_000, minute(0))).toBe(true);
      });

      it('keeps one chain and every claim when many events of two replicas write at once, a conflicting one writing nothing', async () => {
        const [a, b] = [await migrated(), open()];
        const writes = Array.from({ length: 40 }, (_, i) => {
          const doc = { ...emptyThread(`teams:T:19:m${i}`, minute(0)), version: 1 };
          return (i % 2 ? a : b).commitEvent({ thread: { doc, expectedVersion: i === 7 ? 3 : 0 }, claim: { key: `m${i}|1`, at: minute(0) }, audit: [entry('paste-matched', `{"i":${i}}`), entry('press', `{"i":${i}}`)] });
        });
        const done = await Promise.all(writes);
        expect(done.filter((d) => d.thread === 'conflict')).toHaveLength(1);
        expect(done[7]).toEqual({ thread: 'conflict', audit: [] });
        expect(await verified(a)).toBe(78);
        for (let i = 0; i < 40; i++) expect(await a.claimDelivery(`m${i}|1`, 60_000, minute(0))).toBe(i === 7);
      });

      it('chains entries stored with their event to be chained later (auditLater) before any later append, in order; a conflict stores none', async () => {
        const store = await migrated();
        const other = open();
        const doc = { ...emptyThread('teams:T:19:later', minute(0)), version: 1 };
        const done = await store.commitEvent({ thread: { doc, expectedVersion: 0 }, claim: { key: 'teams:T:19:later|1', at: minute(0) }, audit: [entry('paste-matched', '{"n":1}'), entry('press', '{"n":2}')], auditLater: true });
        expect(done.thread).toBe('saved');
        const stale = await store.commitEvent({ thread: { doc: { ...doc, version: 3 }, expectedVersion: 7 }, audit: [entry('press', '{"n":"lost"}')], auditLater: true });
        expect(stale.thread).toBe('conflict');
        // Another replica's append comes after them in the chain, even before this one chained them.
        expect((await other.appendAudit(entry('note', '{"n":3}'))).seq).toBe(3);
        await store.commitEvent({ audit: [entry('press', '{"n":4}')], auditLater: true });
        expect((await other.readAudit({})).map((e) => e.detail)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}']);
        expect(await verified(store)).toBe(4);
      });

      it('stores a lone surrogate the way it hashed it (verify still says intact)', async () => {
        const store = await migrated();
        await store.commitEvent({ audit: [entry('note', JSON.stringify({ text: 'x\ud800y' }).toWellFormed()), { ...entry('note', '{}'), actorName: 'a\udc00b'.toWellFormed() }] });
        expect(await verified(store)).toBe(2);
      });
    });

    describe('thread locks', () => {
      it('says whether a delivery was seen, in the round trip that takes the lock, where the store can', async () => {
        const store = await migrated();
        const check = (key: string, at: number) => ({ key, leaseMs: 60_000, now: minute(at) });
        const verdict = (key: string, at: number) => store.withThreadLock('t-del', (p) => Promise.resolve(p?.delivery), check(key, at));
        const first = await verdict('t-del|1', 0);
        if (first === undefined) return; // no cross-process lock (SQLite): the ledger's claim does the job
        expect(first).toBe('new');
        await store.commitEvent({ claim: { key: 't-del|1', at: minute(0) } });
        expect(await verdict('t-del|1', 0.5)).toBe('seen');
        expect(await verdict('t-del|1', 2)).toBe('new'); // the claim's lease ran out unfinished
        await store.withThreadLock('t-del', (p) => Promise.resolve(p?.finishOnRelease?.('t-del|1', minute(2))), check('t-del|1', 2));
        let seen: string | undefined;
        for (let i = 0; i < 50 && seen !== 'seen'; i++) seen = await verdict('t-del|1', 60);
        expect(seen).toBe('seen'); // finished on release: a copy is dropped however late
      });


      it('runs the work meanwhile before the guarded work, while another holder still has the thread where the lock is shared', async () => {
        const [store, other] = [await migrated(), open()];
        const order: string[] = [];
        let letGo = (): void => undefined;
        const held = new Promise<void>((resolve) => (letGo = resolve));
        let entered = (): void => undefined;
        const holding = new Promise<void>((resolve) => (entered = resolve));
        const first = other.withThreadLock('t-ahead', async () => {
          entered();
          await held;
          order.push('first let go');
        });
        await holding;
        const second = store.withThreadLock('t-ahead', () => Promise.resolve(void order.push('work')), undefined, () => void order.push('meanwhile'));
        // A lock shared across processes (PostgreSQL) makes the second wait; what needs no thread runs during the wait.
        for (let i = 0; i < 100 && !order.includes('meanwhile'); i++) await new Promise((r) => setTimeout(r, 10));
        letGo();
        await Promise.all([first, second]);
        await other.close();
        expect(order.filter((s) => s !== 'first let go')).toEqual(['meanwhile', 'work']);
        if (name === 'postgres') expect(order).toEqual(['meanwhile', 'first let go', 'work']);
      });

      it('runs the work it guards and lets go of the thread afterwards, also when the work fails', async () => {
        const store = await migrated();
        await expect(store.withThreadLock('t-lock', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
        expect(await store.withThreadLock('t-lock', () => Promise.resolve(42))).toBe(42);
      });
    });

    describe('migrations', () => {
      it('applies every migration once, then nothing, also from two connections at once', async () => {
        const [a, b] = [open(), open()];
        const reports = await Promise.all([a.migrate(), b.migrate()]);
        expect(reports.map((r) => r.applied).sort()).toEqual([[], MIGRATIONS.map((m) => m.version)]);
        expect(await a.migrate()).toEqual({ applied: [], version: LATEST_VERSION });
        expect(await b.health()).toMatchObject({ ok: true, kind: name, version: LATEST_VERSION });
      });
    });

    describe('sessions', () => {
      it('stores a new session and reads it back by id and by thread, unchanged', async () => {
        const store = await migrated();
        const s = newSession('s1', 'slack:C1:t1');
        expect(await store.save(s, 0)).toEqual({ status: 'saved' });
        expect(await store.getSession('s1')).toEqual(s);
        expect(await store.getSessionByThread('slack:C1:t1')).toEqual(s);
        expect(await store.getSession('nope')).toBeUndefined();
        expect(await store.getSessionByThread('slack:C1:other')).toBeUndefined();
      });

      it('keeps what it saved after the store is closed and opened again', async () => {
        const first = open();
        await first.migrate();
        await first.save(newSession('s1', 'slack:C1:t1'), 0);
        await first.close();
        const second = await migrated();
        expect((await second.getSession('s1'))?.threadKey).toBe('slack:C1:t1');
      });

      it('saves only over the expected version (compare-and-set)', async () => {
        const store = await migrated();
        const s = newSession('s1', 'slack:C1:t1');
        await store.save(s, 0);
        expect(await store.save(s, 0)).toEqual({ status: 'conflict' });
        const v2 = bumped(s, minute(1), { cursor: 'check-third-party-agents' });
        expect(await store.save(v2, 1)).toEqual({ status: 'saved' });
        expect(await store.save(bumped(s, minute(2)), 1)).toEqual({ status: 'conflict' });
        expect(await store.getSession('s1')).toEqual(v2);
      });

      it('lets exactly one of two saves from the same version win, across connections', async () => {
        const [a, b] = [await migrated(), open()];
        const s = newSession('s1', 'slack:C1:t1');
        await a.save(s, 0);
        for (let round = 1; round <= 10; round++) {
          const base = (await a.getSession('s1'))!;
          const results = await Promise.all([a.save(bumped(base, minute(round), { endReason: 'a' }), base.version), b.save(bumped(base, minute(round), { endReason: 'b' }), base.version)]);
          expect(results.filter((r) => r.status === 'saved')).toHaveLength(1);
        }
        expect((await b.getSession('s1'))?.version).toBe(11);
      });

      it('holds at most one active session per thread, even when two start at once', async () => {
        const [a, b] = [await migrated(), open()];
        const results = await Promise.all([a.save(newSession('s1', 'slack:C1:t1'), 0), b.save(newSession('s2', 'slack:C1:t1'), 0)]);
        expect(results.map((r) => r.status).sort()).toEqual(['conflict', 'saved']);
        const active = (await a.getSessionByThread('slack:C1:t1'))!;
        await a.save(bumped(active, minute(3), { status: 'finished', cursor: null, endedAt: minute(3).toISOString() }), 1);
        expect(await a.save(newSession('s3', 'slack:C1:t1', minute(4)), 0)).toEqual({ status: 'saved' });
        expect((await b.getSessionByThread('slack:C1:t1'))?.id).toBe('s3');
      });

      it('lists open sessions only, least recently updated first, up to a limit', async () => {
        const store = await migrated();
        for (const [id, at] of [['s1', 3], ['s2', 1], ['s3', 2]] as const) await store.save(newSession(id, `slack:C1:${id}`, minute(at)), 0);
        const s3 = (await store.getSession('s3'))!;
        await store.save(bumped(s3, minute(4), { status: 'stopped', cursor: null }), 1);
        expect((await store.listOpenSessions()).map((s) => s.id)).toEqual(['s2', 's1']);
        expect((await store.listOpenSessions(1)).map((s) => s.id)).toEqual(['s2']);
      });
    });

    describe('idempotency keys', () => {
      it('returns the first outcome for a key and saves nothing the second time', async () => {
        const store = await migrated();
        const s = newSession('s1', 'slack:C1:t1');
        await store.save(s, 0);
        const first = await store.save(bumped(s, minute(1)), 1, { key: 'press-1', outcome: { n: 1 }, at: minute(1).toISOString() });
        expect(first).toEqual({ status: 'saved' });
        const again = await store.save(bumped(bumped(s, minute(1)), minute(2)), 2, { key: 'press-1', outcome: { n: 2 }, at: minute(2).toISOString() });
        expect(again).toEqual({ status: 'duplicate', outcome: { key: 'press-1', sessionId: 's1', outcome: { n: 1 }, at: minute(1).toISOString() } });
        expect((await store.getSession('s1'))?.version).toBe(2);
      });

      it('does not keep the key of a save that lost on version', async () => {
        const store = await migrated();
        const s = newSession('s1', 'slack:C1:t1');
        await store.save(s, 0);
        expect(await store.save(bumped(s, minute(1)), 7, { key: 'press-1', outcome: 'x', at: minute(1).toISOString() })).toEqual({ status: 'conflict' });
        expect(await store.getOutcome('press-1')).toBeUndefined();
      });

      it('keeps the first of two outcomes put under one key, and forgets old keys', async () => {
        const store = await migrated();
        const first = await store.putOutcome('k', null, { outcome: { refused: 'stale' }, at: minute(1).toISOString() });
        const second = await store.putOutcome('k', 's9', { outcome: { refused: 'other' }, at: minute(2).toISOString() });
        expect(second).toEqual(first);
        await store.putOutcome('k2', null, { outcome: 1, at: minute(30).toISOString() });
        expect(await store.pruneOutcomes(minute(10))).toBe(1);
        expect(await store.getOutcome('k')).toBeUndefined();
        expect((await store.getOutcome('k2'))?.outcome).toBe(1);
      });
    });

    describe('walkthroughs on this store', () => {
      it('applies a press once and answers its replay with the first outcome', async () => {
        const wt = service(await migrated());
        const started = applied(await wt.start({ threadKey: 'slack:C1:t1', playbookId: model.id, actor: alice, idempotencyKey: 'start-1' }));
        expect(applied(await wt.start({ threadKey: 'slack:C1:t1', playbookId: model.id, actor: alice, idempotencyKey: 'start-1' })).replayed).toBe(true);
        const press = { target: { sessionId: started.session.id }, action: { type: 'done' as const }, actor: bob, expectedStep: 'confirm-queue-error', idempotencyKey: 'evt-1' };
        const first = applied(await wt.act(press));
        const replay = applied(await wt.act(press));
        expect(first.replayed).toBe(false);
        expect(replay).toMatchObject({ replayed: true, events: first.events });
        expect(replay.session.version).toBe(2);
        expect(replay.view?.step.id).toBe('check-third-party-agents');
      });

      it('lets exactly one of two presses at once advance the session; the other is told it was stale', async () => {
        const [a, b] = [service(await migrated()), service(open())];
        await Promise.all([a.ready(), b.ready()]);
        const { session } = applied(await a.start({ threadKey: 'slack:C1:t1', playbookId: model.id, actor: alice }));
        const target = { sessionId: session.id };
        const readOnly = model.steps.filter((s) => s.changes === false).slice(0, 4);
        for (const [round, step] of readOnly.entries()) {
          const outcomes = await Promise.all([
            a.act({ target, action: { type: 'done' }, actor: alice, expectedStep: step.id, idempotencyKey: `alice-${round}` }),
            b.act({ target, action: { type: 'done' }, actor: bob, expectedStep: step.id, idempotencyKey: `bob-${round}` }),
          ]);
          const won = outcomes.flatMap((o) => (o.kind === 'applied' ? [o] : []));
          const lost = outcomes.flatMap((o) => (o.kind === 'rejected' ? [o] : []));
          expect(won).toHaveLength(1);
          expect(lost).toHaveLength(1);
          const winner = won[0]!.session.steps[step.id]!.by!.name;
          expect(lost[0]!.rejection.message).toContain(`"${step.id}" was already marked done by ${winner}`);
        }
        const stored = (await a.get(target)) as { kind: 'found'; session: Session };
        expect(stored.session.version).toBe(1 + readOnly.length);
        expect(stored.session.timeline.filter((e) => e.action === 'done')).toHaveLength(readOnly.length);
      });

      it('applies a press once when a platform retry of it races the original on another replica', async () => {
        const [a, b] = [service(await migrated()), service(open())];
        await Promise.all([a.ready(), b.ready()]);
        const { session } = applied(await a.start({ threadKey: 'slack:C1:t1', playbookId: model.id, actor: alice }));
        const press = { target: { threadKey: 'slack:C1:t1' }, action: { type: 'note' as const, text: 'checked queue' }, actor: carol, idempotencyKey: 'evt-42' };
        const outcomes = await Promise.all([a.act(press), b.act(press), a.act(press), b.act(press)]);
        expect(outcomes.every((o) => o.kind === 'applied')).toBe(true);
        expect(outcomes.filter((o) => o.kind === 'applied' && !o.replayed)).toHaveLength(1);
        const stored = (await b.get({ sessionId: session.id })) as { kind: 'found'; session: Session };
        expect(stored.session.notes).toHaveLength(1);
        expect(stored.session.version).toBe(2);
      });

      it('lets only one of two simultaneous starts in a thread open a session', async () => {
        const [a, b] = [service(await migrated()), service(open())];
        await Promise.all([a.ready(), b.ready()]);
        const outcomes = await Promise.all([
          a.start({ threadKey: 'slack:C1:t1', playbookId: model.id, actor: alice }),
          b.start({ threadKey: 'slack:C1:t1', playbookId: model.id, actor: bob }),
        ]);
        expect(outcomes.map((o) => o.kind).sort()).toEqual(['applied', 'rejected']);
        const refused = outcomes.find((o) => o.kind === 'rejected');
        expect(refused?.kind === 'rejected' && refused.rejection.kind).toBe('thread-busy');
      });

      it('keeps answering a stale press as stale when it is replayed, even after the step is current again', async () => {
        const wt = service(await migrated());
        const { session } = applied(await wt.start({ threadKey: 'slack:C1:t1', playbookId: model.id, actor: alice }));
        const target = { sessionId: session.id };
        applied(await wt.act({ target, action: { type: 'done' }, actor: alice, expectedStep: 'confirm-queue-error' }));
        const stale = { target, action: { type: 'done' as const }, actor: bob, expectedStep: 'confirm-queue-error', idempotencyKey: 'bob-late' };
        const first = await wt.act(stale);
        expect(first).toMatchObject({ kind: 'rejected', replayed: false, rejection: { kind: 'stale' } });
        applied(await wt.act({ target, action: { type: 'back' }, actor: alice }));
        expect(await wt.act(stale)).toMatchObject({ kind: 'rejected', replayed: true, rejection: { kind: 'stale' } });
        const now = (await wt.get(target)) as { kind: 'found'; session: Session };
        expect(now.session.cursor).toBe('confirm-queue-error');
      });

      it('forgets idempotency keys once they are older than a day', async () => {
        let now = minute(0);
        const store = await migrated();
        const wt = new Walkthroughs({ store, playbooks: playbookSource(model), now: () => now });
        applied(await wt.start({ threadKey: 'slack:C1:t1', playbookId: model.id, actor: alice, idempotencyKey: 'old' }));
        now = new Date(minute(0).getTime() + 25 * 60 * 60 * 1000);
        applied(await wt.act({ target: { threadKey: 'slack:C1:t1' }, action: { type: 'note', text: 'next day' }, actor: bob, idempotencyKey: 'new' }));
        expect(await store.getOutcome('old')).toBeUndefined();
        expect(await store.getOutcome('new')).toBeDefined();
      });

      it('posts a summary when the playbook finishes', async () => {
        let now = minute(0);
        const wt = service(await migrated(), () => now);
        const { session } = applied(await wt.start({ threadKey: 'slack:C1:t1', playbookId: model.id, actor: alice }));
        let last: Outcome | undefined;
        for (const [i, step] of model.steps.entries()) {
          now = minute(i + 1);
          if (step.changes !== false) applied(await wt.act({ target: { sessionId: session.id }, action: { type: 'confirm' }, actor: bob, expectedStep: step.id }));
          // the check that finds the cause answers unhealthy (a Deny entry), which leads to its fix
          const action = step.id === MODEL_CAUSE_STEP ? MODEL_CAUSE_FOUND : ({ type: 'done' } as const);
          last = await wt.act({ target: { sessionId: session.id }, action, actor: bob, expectedStep: step.id });
        }
        const end = applied(last!);
        expect(end.session.status).toBe('finished');
        expect(end.summary).toMatchObject({ outcome: 'resolved', durationMs: model.steps.length * 60_000, people: [alice, bob] });
        expect(end.summary?.changes.map((c) => c.stepId)).toEqual(['remove-deny']);
        expect(end.view).toBeUndefined();
      });
    });

    describe('when the store cannot be reached', () => {
      it('fails with StoreUnavailableError naming the store, and health says so', async () => {
        const store = harness.unreachable();
        opened.push(store);
        const err = await store.migrate().then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(StoreUnavailableError);
        expect((err as Error).message).toContain(store.where);
        expect((err as Error).message).toContain('Walkthroughs are paused');
        await expect(store.getSession('s1')).rejects.toBeInstanceOf(StoreUnavailableError);
        expect(await store.health()).toMatchObject({ ok: false, kind: name });
      });

      it('answers walkthrough requests with a clear message instead of throwing', async () => {
        const store = harness.unreachable();
        opened.push(store);
        const wt = service(store);
        const started = await wt.start({ threadKey: 'slack:C1:t1', playbookId: model.id, actor: alice });
        expect(started.kind).toBe('unavailable');
        expect(started.kind === 'unavailable' && started.message).toContain('is unavailable');
        expect((await wt.act({ target: { threadKey: 'slack:C1:t1' }, action: { type: 'done' }, actor: alice })).kind).toBe('unavailable');
        expect((await wt.get({ threadKey: 'slack:C1:t1' })).kind).toBe('unavailable');
      });
    });
  });
}
