// The reply outbox through the core, on real SQLite and (with DATABASE_URL) real PostgreSQL: a
// process whose replies never reached the platform after its commit (a sink that never answers, as
// a process that died there) leaves them in the outbox; another core on the same store delivers them
// after their lease, in the thread's commit order, once; the platform's retry of the event is dropped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reply, Sink } from '../../src/conversation/reply.ts';
import { OUTBOX_LEASE_MS } from '../../src/conversation/state/outbox.ts';
import { createStore } from '../../src/store/create.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import type { Store } from '../../src/store/store.ts';
import { migratedSchema, PG_URL } from '../helpers/pg.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { corpusPaste, DNS_NDR_ID, harness, Recorder, replyText } from './helpers.ts';

/** A channel that takes replies and never says the platform has them (its process died meanwhile). */
class Unanswered extends Recorder {
  readonly receipts = true;
  override post(r: Reply): Promise<void> {
    super.post(r);
    return new Promise<void>(() => undefined);
  }
  override update(r: Reply): Promise<void> {
    super.update(r);
    return new Promise<void>(() => undefined);
  }
}

/** Records what the outbox recovery delivers, with the address each row carried. */
function recovery(): { sinkAt: (thread: string, address: string | undefined) => Sink; got: Array<{ op: string; reply: Reply; thread: string; address: string | undefined }> } {
  const got: Array<{ op: string; reply: Reply; thread: string; address: string | undefined }> = [];
  return {
    got,
    sinkAt: (thread, address) => ({
      post: (reply) => void got.push({ op: 'post', reply: structuredClone(reply), thread, address }),
      update: (reply) => void got.push({ op: 'update', reply: structuredClone(reply), thread, address }),
    }),
  };
}

const later = (ms: number) => () => new Date(Date.now() + ms);

function outboxSuite(name: string, open: () => Store) {
  describe(`the reply outbox (${name})`, () => {
    it('delivers the replies of a process that died after its commit, in order, once, from another core', async () => {
      const store = open();
      try {
        const thread = `test:C1:${Date.now()}.000100`;
        const dead = harness(store, testConfig(), thread, new Unanswered());
        await dead.send({ type: 'message', text: corpusPaste(DNS_NDR_ID), id: 'Ev-paste' });
        await dead.send({ type: 'press', value: dead.sink.button('Other matches').value, id: 'Ev-others' });
        const shown = dead.sink.posted.map((r) => r.id);
        expect(shown.length).toBeGreaterThanOrEqual(2);

        // Within the lease the rows are the first process's.
        const early = recovery();
        const now = harness(store, testConfig(), thread);
        expect(await now.core.recoverOutbox(early.sinkAt)).toBe(0);

        // After it, another core (a replica, or the restarted process) takes them.
        const r = recovery();
        const next = harness(store, testConfig(), thread, new Recorder(), { clock: later(OUTBOX_LEASE_MS + 5_000) });
        expect(await next.core.recoverOutbox(r.sinkAt)).toBe(shown.length);
        expect(r.got.map((g) => [g.op, g.reply.id, g.thread])).toEqual(shown.map((id) => ['post', id, thread]));
        expect(replyText(r.got[0]!.reply)).toMatch(/DNS/);
        expect(replyText(r.got[1]!.reply)).toMatch(/^Other matches/);
        // Once: nothing is left, for this core or any other.
        await next.core.drain();
        expect(await next.core.recoverOutbox(recovery().sinkAt)).toBe(0);
        // The platform's retry of an event whose replies were committed is a duplicate.
        await next.send({ type: 'message', text: corpusPaste(DNS_NDR_ID), id: 'Ev-paste' });
        expect(next.sink.posted).toEqual([]);
      } finally {
        await store.close();
      }
    });

    it('leaves nothing behind once the platform has the replies', async () => {
      const store = open();
      try {
        const h = harness(store, testConfig(), `test:C2:${Date.now()}.000100`);
        await h.send({ type: 'message', text: corpusPaste(DNS_NDR_ID), id: 'Ev-1' });
        expect(h.sink.posted).toHaveLength(1);
        await h.core.drain();
        // The delete goes in the background (on PostgreSQL with the thread's unlock).
        const far = new Date(Date.now() + OUTBOX_LEASE_MS * 10);
        for (let i = 0; i < 200 && (await store.outboxStale(far, 10)).includes(h.thread); i++) await new Promise((res) => setTimeout(res, 25));
        expect(await store.outboxStale(far, 10)).not.toContain(h.thread);
        const r = recovery();
        const next = harness(store, testConfig(), h.thread, new Recorder(), { clock: later(OUTBOX_LEASE_MS * 10) });
        expect(await next.core.recoverOutbox(r.sinkAt)).toBe(0);
      } finally {
        await store.close();
      }
    });

    it('keeps each reply with the address of the sink it was made for', async () => {
      const store = open();
      try {
        const thread = `test:C3:${Date.now()}.000100`;
        const sink = Object.assign(new Unanswered(), { address: '{"mode":"addressed"}' });
        const dead = harness(store, testConfig(), thread, sink);
        await dead.send({ type: 'command', name: 'help', args: '', id: 'Ev-help' });
        const r = recovery();
        const next = harness(store, testConfig(), thread, new Recorder(), { clock: later(OUTBOX_LEASE_MS + 5_000) });
        expect(await next.core.recoverOutbox(r.sinkAt)).toBe(1);
        expect(r.got.map((g) => g.address)).toEqual(['{"mode":"addressed"}']);
      } finally {
        await store.close();
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'ehlo-outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
outboxSuite('SQLite', () => createStore({ sqlitePath: join(dir, 'ehlo.sqlite') }));

describe.runIf(PG_URL)('on PostgreSQL', () => {
  const schema = migratedSchema();
  outboxSuite('PostgreSQL', () => new PostgresStore({ url: PG_URL, schema }));
});
