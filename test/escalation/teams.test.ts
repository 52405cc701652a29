// Escalation on Teams end to end (development mode): activities over HTTP into ehlo, the loopback
// fake Bot Connector (which creates conversations for new channel threads), a loopback PagerDuty
// endpoint and webhook receiver, real SQLite.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { corpusPaste, DNS_NDR_ID } from '../conversation/helpers.ts';
import { actionsOf, BOB, cardOf, cardText, invoke, message, send, startConnector, startTeams, TENANT, type ConnectorCall, type FakeConnector, type TeamsApp } from '../channels/teams/helpers.ts';
import { PagerReceiver, WEBHOOK_SECRET } from './pager-receiver.ts';

const ONCALL = '19:oncall@thread.tacv2';
let app: TeamsApp;
let bc: FakeConnector;
let pager: PagerReceiver;

beforeAll(async () => {
  bc = await startConnector();
  pager = await new PagerReceiver().start();
  app = await startTeams({
    escalation: {
      teams: { channel: ONCALL, mention: ['tag-mailops'], mentionNames: ['Mail ops'], groupId: '3c7e6f0e-0000-4000-8000-0000000000aa' },
      redact: { domains: ['libsisimai.org'], publicIps: true },
      paging: {
        allow: [`${pager.base}/`],
        pagerduty: { routingKey: 'R0UTINGKEY0123456789abcdefABCDEF', url: `${pager.base}/pd/v2/enqueue` },
        webhook: { url: `${pager.base}/hook`, secret: WEBHOOK_SECRET },
        backoffMs: 5,
      },
    },
  });
});
afterAll(async () => {
  await app?.close();
  await bc?.close();
  await pager?.close();
});

async function settle(): Promise<void> {
  await app.rt.core.drain();
  await new Promise((r) => setTimeout(r, 50));
  await app.rt.core.drain();
}

function after(mark: number): ConnectorCall[] {
  return bc.calls.slice(mark);
}

function withAction(calls: ConnectorCall[], title: string): { call: ConnectorCall; action: { verb: string; data: Record<string, unknown> } } {
  for (const call of [...calls].reverse()) {
    const action = actionsOf(cardOf(call.body)).find((a) => a.title === title);
    if (action) return { call, action };
  }
  throw new Error(`no card with ${title}: ${calls.map((c) => cardText(c.body).slice(0, 60)).join(' | ')}`);
}

it('opens the Teams on-call thread once with the tag mentioned and deep links, pages once, and on-call acts from there', async () => {
  const paste = message({ serviceUrl: bc.url, text: corpusPaste(DNS_NDR_ID), mention: true });
  const origin = (paste.conversation as { id: string }).id;
  await send(app.url, paste);
  await settle();
  const start = withAction(bc.calls, 'Start walkthrough');
  await send(app.url, invoke({ serviceUrl: bc.url, conversationId: origin, replyToId: start.call.id, verb: start.action.verb, data: start.action.data }));
  await settle();
  await send(app.url, message({ serviceUrl: bc.url, text: '<at>ehlo</at> escalate DNS is run by another team', mention: true, conversationId: origin }));
  await settle();
  const ask = withAction(bc.calls, 'Yes: Escalate and page on-call');
  expect(cardText(ask.call.body)).toContain('the Teams on-call channel, mentioning Mail ops; PagerDuty');
  const mark = bc.calls.length;
  const press = (from = BOB) => send(app.url, invoke({ serviceUrl: bc.url, conversationId: origin, replyToId: ask.call.id, verb: ask.action.verb, data: ask.action.data, from }));
  const same = invoke({ serviceUrl: bc.url, conversationId: origin, replyToId: ask.call.id, verb: ask.action.verb, data: ask.action.data });
  await Promise.all([press(), press(), send(app.url, same), send(app.url, same)]);
  await settle();
  const created = after(mark).filter((c) => c.op === 'create');
  expect(created).toHaveLength(1);
  const first = created[0]!;
  expect(first.conversationId.startsWith(`${ONCALL};messageid=`)).toBe(true);
  // The mention is an entity ehlo built from configuration (a tag), not text from the paste.
  expect((first.body.activity as { entities?: unknown }).entities).toEqual([{ type: 'mention', text: '<at>Mail ops</at>', mentioned: { id: 'tag-mailops', name: 'Mail ops', type: 'tag' } }]);
  expect((first.body as { channelData?: unknown }).channelData).toMatchObject({ channel: { id: ONCALL }, tenant: { id: TENANT } });
  const packet = cardText((first.body as { activity?: Record<string, unknown> }).activity ?? first.body);
  expect(packet).toContain('Escalation: DNS lookup for the destination failed');
  expect(packet).not.toMatch(/neko@|libsisimai\.org|25\.152\.252\.27/);
  const originText = after(mark).map((c) => cardText(c.body)).join('\n');
  expect(originText).toContain(`https://teams.microsoft.com/l/message/${encodeURIComponent(ONCALL)}/${first.id}?tenantId=${TENANT}&groupId=3c7e6f0e-0000-4000-8000-0000000000aa&parentMessageId=${first.id}`);
  expect(pager.pagerduty().map(([a]) => a)).toEqual(['trigger']);
  expect(pager.webhook().map((w) => [w.body.event, w.signed])).toEqual([['trigger', true]]);

  // On-call answers in the new thread: status shows the step there and the page is acknowledged once.
  const oncallThread = first.conversationId;
  const m2 = bc.calls.length;
  await send(app.url, message({ serviceUrl: bc.url, text: '<at>ehlo</at> status', mention: true, conversationId: oncallThread, from: BOB }));
  await settle();
  await send(app.url, message({ serviceUrl: bc.url, text: '<at>ehlo</at> note looking at it', mention: true, conversationId: oncallThread, from: BOB }));
  await settle();
  const there = after(m2).filter((c) => c.conversationId === oncallThread).map((c) => cardText(c.body)).join('\n');
  expect(there).toMatch(/Step 1 of 6/);
  const back = after(m2).filter((c) => c.conversationId === origin).map((c) => cardText(c.body)).join('\n');
  expect(back).toMatch(/In the on-call thread: Bob Example added a note/);
  expect(pager.pagerduty().map(([a]) => a)).toEqual(['trigger', 'acknowledge']);
}, 60_000);
