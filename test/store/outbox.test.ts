// The outbox and reply→message tables of both stores (migration 6), on real SQLite and (with
// DATABASE_URL) real PostgreSQL: rows go in with their event's commit and only with it (a thread
// write that conflicts writes none), come back per thread in commit order once their lease ran out,
// are leased to one taker at a time, and go once delivered; which message shows a reply is kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { notice } from '../../src/conversation/reply.ts';
import { OUTBOX_LEASE_MS, type OutboxEntry } from '../../src/conversation/state/outbox.ts';
import { emptyThread } from '../../src/conversation/state/thread-state.ts';
import { createStore } from '../../src/store/create.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import type { Store } from '../../src/store/store.ts';
import { migratedSchema, PG_URL } from '../helpers/pg.ts';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const after = (ms: number) => new Date(T0.getTime() + ms);
let n = 0;
const entry = (thread: string, text: string): OutboxEntry => ({ id: `o-${++n}-${Math.random().toString(36).slice(2)}`, thread, op: 'post', reply: notice(thread, text), at: T0 });

function suite(name: string, open: () => Store) {
  describe(`outbox rows (${name})`, () => {
    it('commits rows with the event, none when its thread write conflicts, and returns them in commit order after the lease', async () => {
      const store = open();
      try {
        const thread = `test:S:${Math.random()}`;
        const doc = { ...emptyThread(thread, T0), version: 1 };
        // Three events of the thread, one after another; the second's write conflicts.
        expect((await store.commitEvent({ thread: { doc, expectedVersion: 0 }, outbox: [entry(thread, 'one'), entry(thread, 'two')] })).thread).toBe('saved');
        expect((await store.commitEvent({ thread: { doc: { ...doc, version: 2 }, expectedVersion: 7 }, outbox: [entry(thread, 'lost')] })).thread).toBe('conflict');
        await store.commitEvent({ outbox: [entry(thread, 'three')] });
        expect(await store.outboxStale(after(OUTBOX_LEASE_MS - 1), 10)).not.toContain(thread);
        expect(await store.outboxStale(after(OUTBOX_LEASE_MS + 1), 10)).toContain(thread);
        const taken = await store.outboxTake(thread, after(OUTBOX_LEASE_MS + 1), after(3 * OUTBOX_LEASE_MS));
        expect(taken.map((r) => r.reply.summary)).toEqual(['one', 'two', 'three']);
        expect(taken.map((r) => r.seq)).toEqual([...taken.map((r) => r.seq)].sort((a, b) => a - b));
        // Leased: another taker gets nothing until that lease ends.
        expect(await store.outboxTake(thread, after(2 * OUTBOX_LEASE_MS), after(4 * OUTBOX_LEASE_MS))).toEqual([]);
        await store.outboxDone(taken.slice(0, 2).map((r) => r.id));
        expect((await store.outboxTake(thread, after(3 * OUTBOX_LEASE_MS + 1), after(5 * OUTBOX_LEASE_MS))).map((r) => r.reply.summary)).toEqual(['three']);
        // Renewed by its process: not taken at the old lease's end.
        await store.outboxRenew([taken[2]!.id], after(10 * OUTBOX_LEASE_MS));
        expect(await store.outboxTake(thread, after(6 * OUTBOX_LEASE_MS), after(7 * OUTBOX_LEASE_MS))).toEqual([]);
        await store.outboxDone([taken[2]!.id]);
        expect(await store.outboxStale(after(100 * OUTBOX_LEASE_MS), 10)).not.toContain(thread);
      } finally {
        await store.close();
      }
    });

    it('fails only the event whose write is refused when events commit together, the others kept whole', async () => {
      const store = open();
      try {
        const tag = Math.random().toString(36).slice(2);
        const taken = entry(`test:S:${tag}:x`, 'already there');
        await store.commitEvent({ outbox: [taken] });
        // Five events given in one turn (SQLite puts them in one transaction, PostgreSQL in one statement);
        // the third reuses an outbox id, which the table refuses.
        const writes = Array.from({ length: 5 }, (_, i) => {
          const thread = `test:S:${tag}:${i}`;
          return store.commitEvent({
            thread: { doc: { ...emptyThread(thread, T0), version: 1 }, expectedVersion: 0 },
            claim: { key: `${thread}|1`, at: T0 },
            outbox: [i === 2 ? { ...entry(thread, 'refused'), id: taken.id } : entry(thread, `reply ${i}`)],
          });
        });
        const settled = await Promise.allSettled(writes);
        expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
        for (let i = 0; i < 5; i++) {
          const thread = `test:S:${tag}:${i}`;
          expect(!!(await store.getThread(thread)), `thread ${i}`).toBe(i !== 2);
          // The refused event's claim went with it: a redelivery may claim it again; the others' claims hold.
          expect(await store.claimDelivery(`${thread}|1`, 60_000, T0), `claim ${i}`).toBe(i === 2);
          const rows = await store.outboxTake(thread, after(OUTBOX_LEASE_MS + 1), after(3 * OUTBOX_LEASE_MS));
          expect(rows.map((r) => r.reply.summary)).toEqual(i === 2 ? [] : [`reply ${i}`]);
        }
      } finally {
        await store.close();
      }
    });

    it('keeps which message shows a reply, the latest one given', async () => {
      const store = open();
      try {
        const id = `r-${Math.random()}`;
        expect(await store.messageOf(id)).toBeUndefined();
        await store.rememberMessage(id, 'slack:T:C:1.1', '1700000000.000200', T0);
        await store.rememberMessage(id, 'slack:T:C:1.1', '1700000000.000300', after(1));
        expect(await store.messageOf(id)).toBe('1700000000.000300');
        expect(await store.pruneMessages(after(2))).toBeGreaterThanOrEqual(1);
        expect(await store.messageOf(id)).toBeUndefined();
      } finally {
        await store.close();
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'ehlo-outbox-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
suite('SQLite', () => {
  const s = createStore({ sqlitePath: join(dir, 'ehlo.sqlite') });
  void s.migrate();
  return s;
});

describe.runIf(PG_URL)('on PostgreSQL', () => {
  const schema = migratedSchema();
  suite('PostgreSQL', () => new PostgresStore({ url: PG_URL, schema }));
});
