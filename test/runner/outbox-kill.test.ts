// A replica SIGKILLed after it committed an event and before Slack took its reply (issue 15's gap):
// the reply is in the outbox, committed with the event's claim; Slack's retry, on the restarted
// replica, is dropped as a duplicate, and the restarted replica delivers the committed reply after
// its lease, once, before the thread's next answer. Real processes (`ehlo start`), real PostgreSQL,
// the loopback Slack fake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { BOT_TOKEN, BOT_USER, FakeSlack, type Call } from '../channels/slack/fake-slack.ts';
import { eventEnvelope, postSigned, SIGNING_SECRET, textOf } from '../channels/slack/harness.ts';
import { replicaEnv, spawnSlackReplica, type StartedEhlo } from '../helpers/ehlo-start.ts';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/pg.ts';
import { until } from './helpers.ts';

const CHANNEL = 'C0OUTBOX';
const NDR = "Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=<http://libsisimai.org|libsisimai.org>]'";

describe.runIf(PG_URL)('a replica killed between its commit and its reply', () => {
  const schema = uniqueSchema();
  let fake: FakeSlack;
  const started: StartedEhlo[] = [];

  const start = async (): Promise<StartedEhlo> => {
    const r = await spawnSlackReplica(replicaEnv(schema, { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl }));
    started.push(r);
    return r;
  };

  beforeAll(async () => {
    fake = await new FakeSlack().start();
  }, 30_000);

  afterAll(async () => {
    for (const r of started) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await fake?.close();
    await dropSchema(schema);
  }, 30_000);

  it('delivers the committed reply from the restarted replica exactly once, and the retry is a duplicate', async () => {
    const doomed = await start();
    const paste = eventEnvelope(`<@${BOT_USER}> ${NDR}`, { type: 'app_mention', channel: CHANNEL });
    const inThread = (c: Call) => c.args.thread_ts === paste.ts;
    let killed = false;
    fake.onCall = (call) => {
      if (killed || call.method !== 'chat.postMessage' || !inThread(call)) return;
      killed = true;
      // The process dies as its request leaves: Slack never takes the reply (not counted as ok).
      call.status = 0;
      doomed.child.kill('SIGKILL');
    };
    await postSigned(doomed.url, paste.body, 'application/json').catch(() => undefined);
    await until(() => killed, 'the replica to post its reply', 20_000);
    await doomed.exited;
    fake.onCall = undefined;
    const diagnoses = () => fake.ok('chat.postMessage').filter((c) => inThread(c) && (c.args.metadata as { event_type?: string } | undefined)?.event_type === 'ehlo_diagnosis');
    expect(diagnoses()).toEqual([]);

    // The replica comes back; Slack retries the event there: a duplicate, answered 200.
    const again = await start();
    const retried = await postSigned(again.url, paste.body, 'application/json', { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' });
    expect(retried.status).toBe(200);
    // After the reply's lease, the restarted replica delivers what the dead one committed.
    await until(() => diagnoses().length > 0, 'the committed diagnosis card to be delivered', 30_000);
    expect(textOf(diagnoses()[0]!.args)).toMatch(/DNS/);
    const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
    try {
      await until(async () => Number((await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.reply_outbox`)).rows[0]?.n) === 0, 'the outbox to be empty', 10_000);
    } finally {
      await pool.end();
    }
    // The thread's next event is answered after it, and the card was delivered once.
    const help = eventEnvelope(`<@${BOT_USER}> help`, { type: 'app_mention', channel: CHANNEL, thread_ts: paste.ts });
    expect((await postSigned(again.url, help.body, 'application/json')).status).toBe(200);
    await until(() => fake.ok('chat.postMessage').filter(inThread).length >= 2, 'the answer to help', 20_000);
    const thread = fake.ok('chat.postMessage').filter(inThread);
    expect(thread.indexOf(diagnoses()[0]!)).toBe(0);
    expect(diagnoses()).toHaveLength(1);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 90_000);
});
