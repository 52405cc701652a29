// A Teams replica SIGKILLed after it committed a paste's diagnosis and before the Bot Connector took
// the reply: another replica, one that never saw the thread, delivers the committed reply from the
// outbox once its lease ran out, to the conversation and message the route kept with the row says.
// Real processes (`ehlo start`), real PostgreSQL, the loopback fake Bot Connector.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replicaEnv, spawnReplica, type StartedEhlo } from '../helpers/ehlo-start.ts';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/pg.ts';
import { cardText, message, send, startConnector, type FakeConnector } from '../helpers/teams-fake.ts';
import { until } from './helpers.ts';

const NDR = "Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=contoso-mail.example]'";

describe.runIf(PG_URL)('a Teams replica killed between its commit and its reply', () => {
  const schema = uniqueSchema();
  let connector: FakeConnector;
  const started: StartedEhlo[] = [];

  const start = async (name: string): Promise<StartedEhlo> => {
    const r = await spawnReplica(replicaEnv(schema, { EHLO_TEAMS_DEV: '1', NODE_ENV: 'test' }), name);
    started.push(r);
    return r;
  };

  beforeAll(async () => {
    connector = await startConnector();
  }, 30_000);

  afterAll(async () => {
    for (const r of started) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await connector?.close();
    await dropSchema(schema);
  }, 30_000);

  it('is delivered once by a replica that never saw the thread, as a reply to the pasted message', async () => {
    const doomed = await start('replica A');
    const paste = message({ serviceUrl: connector.url, text: `<at>ehlo</at> ${NDR}`, mention: true });
    const conversationId = (paste.conversation as { id: string }).id;
    let dropped = 0;
    connector.onCall = (call) => {
      if (call.conversationId !== conversationId || doomed.child.exitCode !== null || doomed.child.signalCode !== null) return;
      dropped += 1;
      // The process dies as its reply leaves: the connector never takes it.
      doomed.child.kill('SIGKILL');
      return true;
    };
    await send(doomed.teamsUrl, paste).catch(() => undefined);
    await doomed.exited;
    expect(dropped).toBe(1);
    connector.onCall = undefined;
    expect(connector.calls.filter((c) => c.conversationId === conversationId)).toHaveLength(0);

    // Replica B never received an activity of this conversation: all it has is the outbox row.
    await start('replica B');
    await until(() => connector.calls.some((c) => c.conversationId === conversationId), 'the committed reply from the outbox', 40_000);
    // Give a second delivery the time it would need (two sweeps) before counting.
    await new Promise((r) => setTimeout(r, 5000));
    const replies = connector.calls.filter((c) => c.conversationId === conversationId);
    expect(replies.map((c) => [c.op, c.activityId])).toEqual([['reply', paste.id]]);
    expect(cardText(replies[0]!.body)).toMatch(/DNS|MX|InfoNoRecords/i);
  }, 90_000);
});
