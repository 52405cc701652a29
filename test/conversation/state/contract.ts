// The contract every thread-state store and delivery ledger passes: the in-memory ones (tests, one
// process) here, the SQLite and PostgreSQL stores from test/store/. `open()` may give a second
// connection to the same data (then two "processes" race for real).
import { describe, expect, it } from 'vitest';
import type { DeliveryLedger } from '../../../src/conversation/state/deliveries.ts';
import { emptyThread, type ThreadDoc, type ThreadStateStore } from '../../../src/conversation/state/thread-state.ts';

export type StateStore = ThreadStateStore & DeliveryLedger;

const T0 = new Date('2026-12-01T10:00:00.000Z');
const at = (s: number): Date => new Date(T0.getTime() + s * 1000);

function doc(thread: string, version: number, patch: Partial<ThreadDoc> = {}): ThreadDoc {
  return { ...emptyThread(thread, at(version)), version, ...patch };
}

export function threadStateContract(name: string, open: () => Promise<{ a: StateStore; b: StateStore; dispose(): Promise<void> }>): void {
  describe(`${name}: thread state and delivery ledger`, () => {
    it('keeps a thread document with compare-and-set on its version', async () => {
      const { a, b, dispose } = await open();
      try {
        expect(await a.getThread('slack:T1:C1:1.1')).toBeUndefined();
        const first = doc('slack:T1:C1:1.1', 1, { rejected: ['p1'], pending: { placeholder: 'host', sessionId: 's1', stepId: 'x', version: 2 } });
        expect(await a.putThread(first, 0)).toBe('saved');
        expect(await b.putThread(doc('slack:T1:C1:1.1', 1), 0)).toBe('conflict');
        expect(await b.getThread('slack:T1:C1:1.1')).toEqual(first);
        expect(await b.putThread(doc('slack:T1:C1:1.1', 2), 1)).toBe('saved');
        expect(await a.putThread(doc('slack:T1:C1:1.1', 2, { rejected: ['lost'] }), 1)).toBe('conflict');
        expect((await a.getThread('slack:T1:C1:1.1'))?.rejected).toEqual([]);
        expect(await a.getThread('slack:T1:C1:2.2')).toBeUndefined();
      } finally {
        await dispose();
      }
    });

    it('claims a delivery once; a copy is dropped while the first runs and after it finished; an abandoned claim expires', async () => {
      const { a, b, dispose } = await open();
      try {
        expect(await a.claimDelivery('t|Ev1', 60_000, at(0))).toBe(true);
        expect(await b.claimDelivery('t|Ev1', 60_000, at(1))).toBe(false);
        await a.finishDelivery('t|Ev1', at(2));
        expect(await b.claimDelivery('t|Ev1', 60_000, at(500))).toBe(false);
        // Claimed but never finished (the process died): a retry after the lease is handled.
        expect(await a.claimDelivery('t|Ev2', 60_000, at(0))).toBe(true);
        expect(await b.claimDelivery('t|Ev2', 60_000, at(30))).toBe(false);
        expect(await b.claimDelivery('t|Ev2', 60_000, at(61))).toBe(true);
        expect(await a.claimDelivery('t|Ev2', 60_000, at(62))).toBe(false);
        expect(await a.pruneDeliveries(at(100))).toBeGreaterThanOrEqual(2);
        expect(await a.claimDelivery('t|Ev1', 60_000, at(101))).toBe(true);
      } finally {
        await dispose();
      }
    });

    it('gives one of many concurrent claims of the same delivery the go-ahead', async () => {
      const { a, b, dispose } = await open();
      try {
        const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claimDelivery('t|EvRace', 60_000, at(0))));
        expect(claims.filter(Boolean)).toHaveLength(1);
      } finally {
        await dispose();
      }
    });
  });
}
