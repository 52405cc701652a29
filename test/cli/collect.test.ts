// collectGarbage (src/cli/collect.ts): `--jsonl` asks for a full collection after a line of megabytes.
// The collection really happens: an object only a WeakRef still points to is gone after it.
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/cli/collect.ts';

describe('collectGarbage', () => {
  it('collects what nothing holds any more', async () => {
    // Made in a function of its own, so that only the WeakRef points to it once that returns.
    const ref = ((): WeakRef<{ data: Uint8Array }> => new WeakRef({ data: new Uint8Array(8 * 1024 * 1024) }))();
    // A WeakRef's target lives to the end of the job that last read it: collect in a later one.
    await new Promise((r) => setTimeout(r, 0));
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
  });
});
