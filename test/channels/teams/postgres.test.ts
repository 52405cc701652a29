// Two ehlo replicas behind one Teams bot, sharing PostgreSQL: a channel post (it starts its thread, so
// each replica applies it without the thread lock and lets its first write tell) delivered to both at
// once is answered once; a reply in that thread on the other replica is read in the thread's context.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPaste, DNS_NDR_ID } from '../../conversation/helpers.ts';
import { dropSchema, PG_URL, uniqueSchema } from '../../helpers/pg.ts';
import { cardText, message, send, startConnector, startTeams, type FakeConnector, type TeamsApp } from './helpers.ts';

describe.runIf(PG_URL)('Teams on PostgreSQL, two replicas', () => {
  const schema = uniqueSchema();
  let bc: FakeConnector;
  let a: TeamsApp;
  let b: TeamsApp;
  beforeAll(async () => {
    bc = await startConnector();
    a = await startTeams({ store: { databaseUrl: PG_URL, schema } });
    b = await startTeams({ store: { databaseUrl: PG_URL, schema } });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await bc?.close();
    await dropSchema(schema);
  });

  const settle = async (): Promise<void> => {
    for (const app of [a, b]) await app.rt.core.drain();
    await new Promise((r) => setTimeout(r, 50));
  };

  it('answers a channel post delivered to both replicas at once exactly once', async () => {
    const before = bc.calls.length;
    const post = message({ serviceUrl: bc.url, text: corpusPaste(DNS_NDR_ID), mention: true });
    const answers = await Promise.all([send(a.url, post), send(b.url, post), send(a.url, post), send(b.url, post)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await bc.waitFor((calls) => calls.length > before);
    await settle();
    const replies = bc.calls.slice(before);
    expect(replies).toHaveLength(1);
    expect(cardText(replies[0]!.body)).toMatch(/DNS/);
  });

  it('reads a reply in the post\'s thread on the other replica in the thread\'s context', async () => {
    const post = message({ serviceUrl: bc.url, text: corpusPaste(DNS_NDR_ID), mention: true });
    const conversationId = (post.conversation as { id: string }).id;
    let before = bc.calls.length;
    await send(a.url, post);
    await bc.waitFor((calls) => calls.length > before);
    await settle();
    before = bc.calls.length;
    // A reply in the thread: the same conversation id, an activity id of its own (it does not start the thread).
    await send(b.url, message({ serviceUrl: bc.url, text: '<at>ehlo</at> status', mention: true, conversationId }));
    await bc.waitFor((calls) => calls.length > before);
    await settle();
    const replies = bc.calls.slice(before);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.conversationId).toBe(conversationId);
    expect(cardText(replies[0]!.body)).toMatch(/No walkthrough in this thread/);
  });
});
