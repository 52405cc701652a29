import { describe, expect, it } from 'vitest';
import { newReplyId, numberRepliesLocally, reply } from '../../src/conversation/reply.ts';

// Its own file: numberRepliesLocally switches the ids of the whole process (this test worker).
describe('reply ids', () => {
  it('are random UUIDs by default, and counted locally once a print-only process asks', () => {
    const a = newReplyId();
    const b = reply('t', 's', []).id;
    expect(a).toMatch(/^r-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b).toMatch(/^r-/);
    expect(a).not.toBe(b);
    numberRepliesLocally('cli');
    expect([newReplyId(), reply('t', 's', []).id, newReplyId()]).toEqual(['cli-1', 'cli-2', 'cli-3']);
  });
});
