// The in-memory thread state and delivery ledger pass the same contract as the stores.
import { describe, expect, it } from 'vitest';
import { MemoryDeliveries } from '../../../src/conversation/state/deliveries.ts';
import pino from 'pino';
import { emptyThread, MemoryThreadStates, type ThreadDoc } from '../../../src/conversation/state/thread-state.ts';
import { ThreadHandle } from '../../../src/conversation/state/thread.ts';
import { threadStateContract, type StateStore } from './contract.ts';

threadStateContract('memory', async () => {
  const threads = new MemoryThreadStates();
  const deliveries = new MemoryDeliveries();
  const one: StateStore = {
    getThread: (t) => threads.getThread(t),
    putThread: (d, v) => threads.putThread(d, v),
    claimDelivery: (k, l, n) => deliveries.claimDelivery(k, l, n),
    finishDelivery: (k, n) => deliveries.finishDelivery(k, n),
    pruneDeliveries: (b) => deliveries.pruneDeliveries(b),
  };
  // One process: both "connections" are the same object.
  return Promise.resolve({ a: one, b: one, dispose: () => Promise.resolve() });
});

describe('MemoryThreadStates', () => {
  it('forgets the least recently written thread past its bound', async () => {
    const states = new MemoryThreadStates(2);
    for (const t of ['t1', 't2', 't3']) await states.putThread({ ...emptyThread(t, new Date()), version: 1 }, 0);
    expect(states.size).toBe(2);
    expect(await states.getThread('t1')).toBeUndefined();
    expect((await states.getThread('t3'))?.version).toBe(1);
  });
});

describe('ThreadHandle', () => {
  it('writes a change, and writes nothing for a change that changes nothing', async () => {
    const states = new MemoryThreadStates();
    let puts = 0;
    const counting = { getThread: (t: string) => states.getThread(t), putThread: (d: ThreadDoc, v: number) => (puts++, states.putThread(d, v)) };
    const handle = new ThreadHandle(counting, 't1', () => new Date(), pino({ level: 'silent' }));
    await handle.write((d) => void d.rejected.push('pb-1'));
    expect(puts).toBe(1);
    const same = await handle.write((d) => {
      if (!d.rejected.includes('pb-1')) d.rejected.push('pb-1');
    });
    expect(puts).toBe(1);
    expect(same.version).toBe(1);
    await handle.write((d) => void d.rejected.push('pb-2'));
    expect(puts).toBe(2);
    expect((await states.getThread('t1'))?.rejected).toEqual(['pb-1', 'pb-2']);
  });
});
