// An event that starts its thread (a Teams channel post, a Slack message outside a thread) is applied
// without the thread lock: its first commit is the thread's first write and holds its delivery claim,
// gated on neither the thread nor the delivery being stored (EventWrites.first). Here on real SQLite
// and, with DATABASE_URL, real PostgreSQL, both halves (the store's and the core's): one reply for
// copies delivered to two stores at once (two connections to one SQLite file, two replicas on one
// PostgreSQL), a wrong hint applied again under the lock with the same outcome, nothing written twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/log.ts';
import type { AuditFields } from '../../src/audit/chain.ts';
import type { EventWrites } from '../../src/conversation/state/commit.ts';
import { emptyThread } from '../../src/conversation/state/thread-state.ts';
import type { OutboxEntry } from '../../src/conversation/state/outbox.ts';
import { notice, type PreparedPost, type Reply } from '../../src/conversation/reply.ts';
import { createStore } from '../../src/store/create.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import type { Store } from '../../src/store/store.ts';
import { migratedSchema, PG_URL } from '../helpers/pg.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { corpusPaste, DNS_NDR_ID, harness, Recorder } from './helpers.ts';

const AT = new Date('2026-12-03T10:00:00.000Z');

function fields(thread: string): AuditFields {
  const log = new AuditLog({ appendAudit: () => Promise.reject(new Error('not used')), readAudit: () => Promise.resolve([]) });
  return log.fields({ action: 'paste-matched', thread, actor: { id: 'U1', name: 'Una' }, at: AT });
}

function firstWrite(thread: string, delivery: string, done = true): EventWrites {
  const doc = { ...emptyThread(thread, AT), version: 1 };
  const reply = notice(thread, 'hello', 'info');
  const outbox: OutboxEntry[] = [{ id: `o-${thread}-${delivery}`, thread, op: 'post', reply, at: AT }];
  return { thread: { doc, expectedVersion: 0 }, claim: { key: delivery, at: AT, done }, audit: [fields(thread)], outbox, first: true };
}

function storeSuite(name: string, open: () => Store) {
  describe(`a first write without the thread lock (${name})`, () => {
    it('writes the thread, the finished claim, the audit entry and the reply when neither thread nor delivery is stored', async () => {
      const store = open();
      try {
        const thread = `test:F1:${Date.now()}`;
        const done = await store.commitEvent(firstWrite(thread, `${thread}|E1`));
        expect(done.thread).toBe('saved');
        expect(done.audit).toHaveLength(1);
        expect((await store.getThread(thread))?.version).toBe(1);
        // Finished: a later copy is refused even with no lease at all.
        expect(await store.claimDelivery(`${thread}|E1`, 0, new Date())).toBe(false);
        expect(await store.outboxStale(new Date(Date.now() + 86_400_000), 50)).toContain(thread);
      } finally {
        await store.close();
      }
    });

    it('writes nothing when the thread is stored already (another event came first)', async () => {
      const store = open();
      try {
        const thread = `test:F2:${Date.now()}`;
        expect((await store.commitEvent(firstWrite(thread, `${thread}|E1`))).thread).toBe('saved');
        const before = (await store.readAudit({})).length;
        const again = await store.commitEvent(firstWrite(thread, `${thread}|E2`));
        expect(again).toEqual({ thread: 'conflict', audit: [] });
        expect((await store.readAudit({})).length).toBe(before);
        // The second delivery was not claimed.
        expect(await store.claimDelivery(`${thread}|E2`, 60_000, new Date())).toBe(true);
      } finally {
        await store.close();
      }
    });

    it('writes nothing, not even the thread, when the delivery is stored already (a copy of it was handled)', async () => {
      const store = open();
      try {
        const thread = `test:F3:${Date.now()}`;
        expect(await store.claimDelivery(`${thread}|E1`, 60_000, new Date())).toBe(true);
        const before = (await store.readAudit({})).length;
        expect((await store.commitEvent(firstWrite(`${thread}-other`, `${thread}|E1`))).thread).toBe('conflict');
        expect(await store.getThread(`${thread}-other`)).toBeUndefined();
        expect((await store.readAudit({})).length).toBe(before);
        expect(await store.outboxStale(new Date(Date.now() + 86_400_000), 50)).not.toContain(`${thread}-other`);
      } finally {
        await store.close();
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'ehlo-unlocked-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
describe('on SQLite', () => {
  beforeAll(async () => {
    const s = createStore({ sqlitePath: join(dir, 'ehlo.sqlite') });
    await s.migrate();
    await s.close();
  });
  storeSuite('SQLite', () => createStore({ sqlitePath: join(dir, 'ehlo.sqlite') }));
});

/** A sink that gets posts ready (Sink.prepare), recording what it got ready, sent and dropped. */
class Preparing extends Recorder {
  readonly prepared: Reply[] = [];
  readonly sent: Reply[] = [];
  readonly dropped: Reply[] = [];

  prepare(r: Reply): PreparedPost {
    this.prepared.push(r);
    return { send: () => Promise.resolve(void this.sent.push(r)), drop: () => void this.dropped.push(r) };
  }
}

/** The store, counting the thread locks taken through it. */
function counting(store: Store): { store: Store; locks: () => number } {
  let n = 0;
  const proxy = new Proxy(store, {
    get: (s, prop) => {
      const v = Reflect.get(s, prop) as unknown;
      if (prop === 'withThreadLock') {
        return (...args: unknown[]) => {
          n++;
          return (v as (...a: unknown[]) => unknown).apply(s, args);
        };
      }
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(s) : v;
    },
  });
  return { store: proxy, locks: () => n };
}

/** The core's half: a post that starts its thread applied without the lock, on either store. */
function coreSuite(name: string, open: () => Store) {
  describe(`the core (${name})`, () => {
    const paste = (id: string) => ({ type: 'message' as const, text: corpusPaste(DNS_NDR_ID), id, starts: true });

    it('answers a post that starts its thread without taking the lock, once, and drops its retry', async () => {
      const db = open();
      const { store, locks } = counting(db);
      try {
        const thread = `teams:T1:19:c@thread.tacv2;messageid=${Date.now()}`;
        const h = harness(store, testConfig(), thread, new Recorder(), { audit: new AuditLog(store) });
        await h.send(paste('E1'));
        expect(h.sink.posted.filter((r) => r.kind === 'diagnosis')).toHaveLength(1);
        expect(locks()).toBe(0);
        expect((await db.getThread(thread))?.paste?.verdict).toBe('match');
        // The claim went in finished with the commit: the retry is a duplicate (it tried without the lock, then under it).
        await h.send(paste('E1'));
        expect(h.sink.posted.filter((r) => r.kind === 'diagnosis')).toHaveLength(1);
        expect(locks()).toBe(1);
        expect((await db.readAudit({ thread })).map((e) => e.action)).toEqual(['paste-matched']);
      } finally {
        await db.close();
      }
    });

    it('answers copies delivered to two replicas at once exactly once, audited once', async () => {
      const a = open();
      const b = open();
      try {
        const thread = `teams:T1:19:c@thread.tacv2;messageid=${Date.now() + 1}`;
        const ha = harness(a, testConfig(), thread, new Recorder(), { audit: new AuditLog(a) });
        const hb = harness(b, testConfig(), thread, new Recorder(), { audit: new AuditLog(b) });
        await Promise.all([ha.send(paste('E2')), hb.send(paste('E2')), ha.send(paste('E2')), hb.send(paste('E2'))]);
        const answered = [...ha.sink.posted, ...hb.sink.posted].filter((r) => r.kind === 'diagnosis');
        expect(answered).toHaveLength(1);
        expect((await a.readAudit({ thread })).map((e) => e.action)).toEqual(['paste-matched']);
        expect((await a.getThread(thread))?.version).toBe(1);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('gets the reply ready while the commit is on its way and posts it once; a copy that lost drops what it got ready', async () => {
      const a = open();
      const b = open();
      try {
        const thread = `teams:T1:19:c@thread.tacv2;messageid=${Date.now() + 3}`;
        const ra = new Preparing();
        const rb = new Preparing();
        const ha = harness(a, testConfig(), thread, ra, { audit: new AuditLog(a) });
        const hb = harness(b, testConfig(), thread, rb, { audit: new AuditLog(b) });
        await Promise.all([ha.send(paste('E6')), hb.send(paste('E6'))]);
        const sent = [...ra.sent, ...rb.sent];
        expect(sent.map((r) => r.kind)).toEqual(['diagnosis']);
        expect([...ra.posted, ...rb.posted]).toEqual([]);
        // The copy that lost its first write got its reply ready too, and let go of it unsent.
        expect([...ra.dropped, ...rb.dropped].map((r) => r.kind)).toEqual(['diagnosis']);
        expect(ra.prepared.length + rb.prepared.length).toBe(2);
        expect((await a.getThread(thread))?.version).toBe(1);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('applies a post whose thread already has state under the lock, as the thread goes on', async () => {
      const db = open();
      const { store, locks } = counting(db);
      try {
        const thread = `slack:T1:C1:${Date.now()}.000200`;
        const h = harness(store, testConfig(), thread, new Recorder(), { audit: new AuditLog(store) });
        await h.send({ type: 'message', text: 'FYI we are on Exchange Online', id: 'E3' });
        const stored = (await db.getThread(thread))?.version ?? 0;
        expect(stored).toBeGreaterThan(0);
        const lockedBefore = locks();
        h.sink.fresh();
        // A wrong hint: the thread has state, so the first write conflicts and the event goes again under the lock.
        await h.send(paste('E4'));
        expect(locks()).toBe(lockedBefore + 1);
        expect(h.sink.fresh().filter((r) => r.kind === 'diagnosis')).toHaveLength(1);
        expect((await db.getThread(thread))?.version).toBe(stored + 1);
        expect((await db.readAudit({ thread })).filter((e) => e.action === 'paste-matched')).toHaveLength(2);
      } finally {
        await db.close();
      }
    });

    it('applies an event that would not write its thread first (help) under the lock, answered once', async () => {
      const db = open();
      const { store, locks } = counting(db);
      try {
        const thread = `teams:T1:19:c@thread.tacv2;messageid=${Date.now() + 2}`;
        const h = harness(store, testConfig(), thread, new Recorder(), { audit: new AuditLog(store) });
        await h.send({ type: 'command', name: 'help', args: '', id: 'E5', starts: true });
        expect(locks()).toBe(1);
        expect(h.sink.posted).toHaveLength(1);
        await h.send({ type: 'command', name: 'help', args: '', id: 'E5', starts: true });
        expect(h.sink.posted).toHaveLength(1);
      } finally {
        await db.close();
      }
    });
  });
}

describe('the core on SQLite', () => {
  coreSuite('SQLite', () => createStore({ sqlitePath: join(dir, 'ehlo.sqlite') }));
});

describe.runIf(PG_URL)('on PostgreSQL', () => {
  const schema = migratedSchema();
  storeSuite('PostgreSQL', () => new PostgresStore({ url: PG_URL, schema }));
  coreSuite('PostgreSQL', () => new PostgresStore({ url: PG_URL, schema }));
});
