// Two ehlo replicas behind one Slack app, sharing PostgreSQL: the same press delivered to both at once
// (and a second person pressing too) is one transition; the others are told, each only to the presser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from './fake-slack.ts';
import { buttonsOf, eventEnvelope, FORM, postSigned, pressBody, sendMessage, settle, startHarness, type Harness } from './harness.ts';

const url = process.env.DATABASE_URL ?? '';
const NDR = "Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=<http://libsisimai.org|libsisimai.org>]'";

describe.runIf(url)('Slack on PostgreSQL, two replicas', () => {
  const schema = `ehlo_slack_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let fake: FakeSlack;
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    fake = await new FakeSlack().start();
    a = await startHarness({ databaseUrl: url, schema, fake });
    b = await startHarness({ databaseUrl: url, schema, fake });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  it('applies a press delivered to both replicas, by two people, exactly once', async () => {
    const env = eventEnvelope(NDR);
    await postSigned(a.url, env.body, 'application/json');
    await settle(a);
    const card = fake.ok('chat.postMessage').at(-1);
    const start = buttonsOf(card?.args ?? {}).find((x) => x.label === 'Start walkthrough');
    if (!start) throw new Error('no Start button');
    await postSigned(a.url, pressBody({ user: 'U0ALICE', userName: 'alice', channel: 'C0MAILFLOW', messageTs: String(card?.response?.ts), threadTs: env.ts, ...start }), FORM);
    await settle(a);
    const step = fake.ok('chat.postMessage').filter((c) => (c.args.metadata as { event_type?: string } | undefined)?.event_type === 'ehlo_step').at(-1);
    const done = buttonsOf(step?.args ?? {}).find((x) => x.label === 'Done');
    if (!done) throw new Error('no Done button');
    const press = (h: Harness, user: string) => postSigned(h.url, pressBody({ user, userName: user, channel: 'C0MAILFLOW', messageTs: String(step?.response?.ts), threadTs: env.ts, ...done }), FORM);
    const before = fake.calls.length;
    const answers = await Promise.all([press(a, 'U0ALICE'), press(b, 'U0ALICE'), press(b, 'U0BOB')]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await settle(a);
    await settle(b);
    const found = await a.rt.walkthroughs.get({ threadKey: `slack:T0EHLOTEAM:C0MAILFLOW:${env.ts}` });
    if (found.kind !== 'found') throw new Error(found.message);
    expect(found.session.timeline.filter((e) => e.action === 'done')).toHaveLength(1);
    const after = fake.calls.slice(before);
    expect(after.filter((c) => c.method === 'chat.postEphemeral')).toHaveLength(2);
    expect(after.filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);
  });

  it('the same event delivered to both replicas at once is answered once (the delivery ledger is shared)', async () => {
    const env = eventEnvelope(NDR);
    const before = fake.ok('chat.postMessage').length;
    const answers = await Promise.all([postSigned(a.url, env.body, 'application/json'), postSigned(b.url, env.body, 'application/json', { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' })]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    await settle(a);
    await settle(b);
    expect(fake.ok('chat.postMessage').length - before).toBe(1);
  });

  it('reads a thread reply on the other replica in the thread\'s context (the thread state is shared)', async () => {
    const env = eventEnvelope(NDR);
    await postSigned(a.url, env.body, 'application/json');
    await settle(a);
    const before = fake.ok('chat.postMessage').length;
    await sendMessage(b, 'status', { thread_ts: env.ts });
    await settle(b);
    const replies = fake.ok('chat.postMessage').slice(before);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.args.thread_ts).toBe(env.ts);
    expect(JSON.stringify(replies[0]?.args)).toMatch(/No walkthrough in this thread/);
  });
});
