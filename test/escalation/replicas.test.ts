// Two ehlo replicas behind one Slack app, sharing PostgreSQL: the escalation's confirmation pressed on
// both at once (and delivered twice) opens one on-call thread and sends one trigger; on-call acting on
// either replica acknowledges once, and the end of the walkthrough resolves once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../channels/slack/fake-slack.ts';
import { buttonsOf, FORM, postSigned, pressBody, sendMessage, settle, startHarness, textOf, type Harness } from '../channels/slack/harness.ts';
import { PagerReceiver, WEBHOOK_SECRET } from './pager-receiver.ts';

const url = process.env.DATABASE_URL ?? '';
const NDR = "Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=<http://libsisimai.org|libsisimai.org>]'";
const ONCALL = 'C0ONCALL';

describe.runIf(url)('escalation with two replicas on PostgreSQL', () => {
  const schema = `ehlo_esc_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let fake: FakeSlack;
  let pager: PagerReceiver;
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    fake = await new FakeSlack().start();
    pager = await new PagerReceiver().start();
    const config = {
      escalation: {
        slack: { channel: ONCALL, mention: ['S0MAILOPS'] },
        paging: { allow: [`${pager.base}/`], pagerduty: { routingKey: 'R0UTINGKEY0123456789abcdefABCDEF', url: `${pager.base}/pd/v2/enqueue` }, webhook: { url: `${pager.base}/hook`, secret: WEBHOOK_SECRET }, backoffMs: 5 },
      },
    };
    a = await startHarness({ databaseUrl: url, schema, fake, config });
    b = await startHarness({ databaseUrl: url, schema, fake, config });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    await pager?.close();
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  async function both(): Promise<void> {
    await settle(a);
    await settle(b);
    await a.rt.core.drain();
    await b.rt.core.drain();
    await settle(a);
    await settle(b);
  }

  function find(label: string, channel = 'C0MAILFLOW'): { ts: string; button: ReturnType<typeof buttonsOf>[number] } {
    for (const c of fake.ok('chat.postMessage').filter((x) => x.args.channel === channel).reverse()) {
      const button = buttonsOf(c.args).find((x) => x.label === label);
      if (button) return { ts: String(c.response?.ts), button };
    }
    throw new Error(`no ${label}`);
  }

  it('opens the on-call thread once and pages trigger, acknowledge, resolve once each', async () => {
    const { ts } = await sendMessage(a, NDR, { user: 'U0ALICE' });
    await both();
    const start = find('Start walkthrough');
    await postSigned(a.url, pressBody({ user: 'U0ALICE', userName: 'alice', channel: 'C0MAILFLOW', messageTs: start.ts, threadTs: ts, ...start.button }), FORM);
    await both();
    await sendMessage(b, 'escalate', { user: 'U0ALICE', thread_ts: ts });
    await both();
    const ask = find('Escalate and page on-call');
    const body = (user: string) => pressBody({ user, userName: user, channel: 'C0MAILFLOW', messageTs: ask.ts, threadTs: ts, ...ask.button });
    const same = body('U0ALICE');
    await Promise.all([postSigned(a.url, same, FORM), postSigned(b.url, same, FORM), postSigned(a.url, body('U0BOB'), FORM), postSigned(b.url, body('U0CAROL'), FORM)]);
    await both();
    const opened = fake.ok('chat.postMessage').filter((c) => c.args.channel === ONCALL && !c.args.thread_ts);
    expect(opened).toHaveLength(1);
    expect(textOf(opened[0]!.args)).toContain('<!subteam^S0MAILOPS>');
    const oncallTs = String(opened[0]!.response?.ts);
    expect(pager.pagerduty().map(([e]) => e)).toEqual(['trigger']);
    // On-call speaks on both replicas at once: one acknowledge.
    await Promise.all([sendMessage(a, 'status', { user: 'U0BOB', channel: ONCALL, thread_ts: oncallTs }), sendMessage(b, 'timeline', { user: 'U0BOB', channel: ONCALL, thread_ts: oncallTs })]);
    await both();
    expect(pager.pagerduty().map(([e]) => e)).toEqual(['trigger', 'acknowledge']);
    await sendMessage(b, 'stop resolved by the recipient', { user: 'U0ALICE', thread_ts: ts });
    await both();
    expect(pager.pagerduty().map(([e]) => e)).toEqual(['trigger', 'acknowledge', 'resolve']);
    expect(pager.webhook().map((w) => [w.body.event, w.signed])).toEqual([['trigger', true], ['acknowledge', true], ['resolve', true]]);
  }, 60_000);
});
