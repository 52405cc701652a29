// A typed "done" answers with a new step card; the card it replaces is closed: updated in place
// (chat.update on its ts, through the outbox) to one line without buttons, so only the newest card
// can be pressed. A press on the live card updates that card and closes nothing. Slack end to end
// (createRuntime + serve on a temporary SQLite store, the loopback Slack fake).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT_USER, type Call } from '../channels/slack/fake-slack.ts';
import { buttonsOf, FORM, postSigned, pressBody, sendMessage, settle, startHarness, textOf, type Harness } from '../channels/slack/harness.ts';

const CHANNEL = 'C0MAILFLOW';
const NDR = "Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=<http://libsisimai.org|libsisimai.org>]'";

const stepMeta = (c: Call) => (c.args.metadata as { event_type?: string; event_payload?: { step?: string } } | undefined)?.event_type === 'ehlo_step';

describe('closing a step card that a newer one replaces', () => {
  let h: Harness;
  beforeEach(async () => (h = await startHarness()));
  afterEach(() => h.close());

  it('updates the old card without buttons when a typed "done" posts the next one', async () => {
    const { ts } = await sendMessage(h, `<@${BOT_USER}> ${NDR}`, { type: 'app_mention', channel: CHANNEL });
    await settle(h);
    const diagnosis = h.fake.ok('chat.postMessage').find((c) => c.args.thread_ts === ts)!;
    const start = buttonsOf(diagnosis.args).find((b) => b.label === 'Start walkthrough')!;
    await postSigned(h.url, pressBody({ user: 'U0ALICE', userName: 'alice', channel: CHANNEL, messageTs: String(diagnosis.response?.ts), threadTs: ts, ...start }), FORM);
    await settle(h);
    const first = h.fake.ok('chat.postMessage').find((c) => c.args.thread_ts === ts && stepMeta(c))!;
    const firstTs = String(first.response?.ts);
    expect(buttonsOf(first.args).map((b) => b.label)).toContain('Done');

    // A press on the live card: that card shows the next step, nothing is closed.
    const done = buttonsOf(first.args).find((b) => b.label === 'Done')!;
    const before = h.fake.calls.length;
    await postSigned(h.url, pressBody({ user: 'U0ALICE', userName: 'alice', channel: CHANNEL, messageTs: firstTs, threadTs: ts, ...done }), FORM);
    await settle(h);
    const pressed = h.fake.calls.slice(before).filter((c) => c.method === 'chat.update');
    expect(pressed).toHaveLength(1);
    expect(stepMeta(pressed[0]!)).toBe(true);
    expect(buttonsOf(pressed[0]!.args).map((b) => b.label)).toContain('Done');

    // A typed "done": a new step card, and the pressed card (now showing step 2) is closed.
    const typedAt = h.fake.calls.length;
    await sendMessage(h, 'done', { channel: CHANNEL, thread_ts: ts });
    await settle(h);
    const calls = h.fake.calls.slice(typedAt).filter((c) => c.status === 200 && (c.method === 'chat.postMessage' || c.method === 'chat.update'));
    const posted = calls.filter((c) => c.method === 'chat.postMessage' && stepMeta(c));
    expect(posted).toHaveLength(1);
    expect(buttonsOf(posted[0]!.args).map((b) => b.label)).toContain('Done');
    const closed = calls.filter((c) => c.method === 'chat.update' && c.args.ts === firstTs);
    expect(closed).toHaveLength(1);
    expect(buttonsOf(closed[0]!.args)).toEqual([]);
    expect(textOf(closed[0]!.args)).toMatch(/Step 2 \(.+\): no longer current; the walkthrough goes on in this thread's live step card/);
    expect(stepMeta(closed[0]!)).toBe(false);
    // The new card is the thread's live one: the next typed "done" closes it in turn.
    const newTs = String(posted[0]!.response?.ts);
    const again = h.fake.calls.length;
    await sendMessage(h, 'done', { channel: CHANNEL, thread_ts: ts });
    await settle(h);
    const closedNext = h.fake.calls.slice(again).filter((c) => c.method === 'chat.update' && c.args.ts === newTs);
    expect(closedNext).toHaveLength(1);
    expect(textOf(closedNext[0]!.args)).toMatch(/Step 3 \(.+\): no longer current/);
  }, 60_000);
});
