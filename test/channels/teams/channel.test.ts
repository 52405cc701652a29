// The Teams channel end to end in development mode: activities posted over HTTP to /api/messages of
// ehlo built as `ehlo start` builds it, with a loopback fake Bot Connector as serviceUrl recording
// replies, updates and the invoke answers. Real pastes as Teams delivers them (HTML paragraphs, &nbsp;,
// the <at> mention, an <address> dropped from `text`), silence for chatter, invokes answered with a
// card for every verb, walkthrough steps replaced in place, concurrent presses applied once,
// duplicates ignored, connector throttling retried, forged serviceUrls refused.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.ts';
import { healthyDomain } from '../../conversation/dns-zone.ts';
import { corpusPaste, DNS_NDR_ID } from '../../conversation/helpers.ts';
import { defaultMatcher } from '../../../src/match/index.ts';
import { notice } from '../../../src/conversation/reply.ts';
import { describeValues, targetsFromSignals } from '../../../src/conversation/targets.ts';
import {
  actionsOf, ALICE, BOB, cardOf, cardText, invoke, invokeCard, message, nextId, send, startConnector, startTeams, textsOf,
  type ConnectorCall, type FakeConnector, type TeamsApp,
} from './helpers.ts';

let app: TeamsApp;
let bc: FakeConnector;
let dns: DnsServer;

beforeAll(async () => {
  bc = await startConnector();
  // The DNS NDR's domain is served but never answered: its check runs until the DNS timeout (a long probe).
  dns = await startDnsServer(healthyDomain('libsisimai.org'), { stall: ['libsisimai.org'] });
  app = await startTeams({ probes: { allow: ['*'], dnsServers: [dns.server], timeouts: { dnsMs: 2500, totalMs: 6000 } } });
});
afterAll(async () => {
  await app?.close();
  await bc?.close();
  await dns?.close();
});

function escapeHtml(s: string): string {
  return s.split('&').join('&amp;').split('<').join('&lt;').split('>').join('&gt;').split('"').join('&quot;');
}

/** A paste as the Teams client sends it: each line a <p>, runs of spaces as &nbsp;, the bot mentioned first. */
function teamsHtml(text: string): string {
  const lines = text.split('\n').map((l) => escapeHtml(l).split('  ').join('&nbsp; '));
  return `<p><at>ehlo</at>&nbsp;${lines[0] ?? ''}</p>${lines.slice(1).map((l) => `<p>${l || '&nbsp;'}</p>`).join('')}`;
}

/** Teams' plain `text` of the same message: `<…>` tokens such as <bob@contoso.com> are gone. */
function teamsText(text: string): string {
  let out = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === '<') depth += 1;
    else if (ch === '>' && depth > 0) depth -= 1;
    else if (depth === 0) out += ch;
  }
  return `<at>ehlo</at> ${out}`;
}

const since = (n: number) => (calls: ConnectorCall[]) => calls.slice(n);

async function settle(): Promise<void> {
  await app.rt.core.drain();
  await new Promise((r) => setTimeout(r, 30));
  await app.rt.core.drain();
}

interface Case { id: string; text: string }
function fixtureCases(): Case[] {
  const files = ['transport', 'policy', 'recipients', 'sending', 'clients', 'seeds'];
  const all: Case[] = [];
  for (const f of files) {
    const lines = readFileSync(new URL(`../../fixtures/cases/${f}.jsonl`, import.meta.url), 'utf8').split('\n').filter((l) => l.trim());
    lines.forEach((l, i) => {
      const c = JSON.parse(l) as Case;
      // Every paste with an <address> or <host> token, and every seventh of the rest.
      if (/<[^<>\s]{1,200}>/.test(c.text) || i % 7 === 0) all.push(c);
    });
  }
  return all;
}
describe('pastes as Teams delivers them', () => {
  const cases = fixtureCases();
  it(`reach the same playbook as ehlo match on the clean text (${cases.length} fixture pastes)`, async () => {
    expect(cases.length).toBeGreaterThan(30);
    let dropped = 0;
    for (const c of cases) {
      const expected = defaultMatcher().match(c.text);
      const before = bc.calls.length;
      const activity = message({ serviceUrl: bc.url, text: teamsText(c.text), html: teamsHtml(c.text), mention: true });
      const res = await send(app.url, activity);
      expect(res.status).toBe(200);
      const [reply] = await bc.waitFor((calls) => since(before)(calls).length >= 1).then(since(before));
      expect(reply?.op, c.id).toBe('reply');
      expect(reply?.activityId, c.id).toBe(activity.id);
      const text = cardText(reply!.body);
      const top = expected.matches[0];
      if (expected.verdict === 'none' || !top) expect(text, c.id).toContain('No playbook matches this paste');
      else if (expected.verdict === 'ambiguous') expect(text, c.id).toContain(top.title);
      else expect(text, c.id).toContain(`Playbook: ${top.playbook}`);
      // The targets taken from the paste are the clean text's; an address Teams dropped from `text`
      // (pasted as <bob@contoso.com>) is among them because the HTML attachment was read.
      const targets = describeValues(targetsFromSignals(expected.signals), {});
      if (expected.verdict !== 'none' && targets.length) expect(text, c.id).toContain(`Targets for checks: ${targets.join(', ')}.`);
      const address = /<([^<>\s@]{1,64}@[^<>\s@]{1,200})>/.exec(c.text)?.[1]?.toLowerCase();
      if (address && expected.verdict !== 'none' && targets.some((t) => t.toLowerCase().includes(address)) && !teamsText(c.text).toLowerCase().includes(address)) {
        dropped += 1;
        expect(text.toLowerCase(), c.id).toContain(address);
      }
      await settle();
    }
    expect(dropped).toBeGreaterThan(0);
  });

  it('reads the text when there is no HTML attachment: mention removed, entities and &nbsp; decoded', async () => {
    const paste = corpusPaste(DNS_NDR_ID);
    const before = bc.calls.length;
    const text = `<at>ehlo</at>&nbsp;${paste.split('&').join('&amp;').split('  ').join('&nbsp; ')}`;
    await send(app.url, message({ serviceUrl: bc.url, text, mention: true, conversationType: 'groupChat' }));
    const [reply] = await bc.waitFor((calls) => calls.length > before).then(since(before));
    expect(cardText(reply!.body)).toContain('Playbook: dns-lookup-failed-next-hop');
    await settle();
  });
});

describe('who gets an answer', () => {
  const chatter = ['Morning all, standup moved to 10:30', 'thanks! that fixed it 🎉', 'Can someone review my PR before lunch?', 'ok'];

  it('stays silent for channel chatter without a mention', async () => {
    const before = bc.calls.length;
    for (const t of chatter) expect((await send(app.url, message({ serviceUrl: bc.url, text: t, html: `<p>${t}</p>` }))).status).toBe(200);
    await settle();
    expect(bc.calls.length).toBe(before);
  });

  it('answers a pasted error in a channel without a mention, in its thread', async () => {
    const before = bc.calls.length;
    const activity = message({ serviceUrl: bc.url, text: corpusPaste(DNS_NDR_ID) });
    await send(app.url, activity);
    const [reply] = await bc.waitFor((calls) => calls.length > before).then(since(before));
    expect(reply?.op).toBe('reply');
    expect(reply?.conversationId).toBe((activity.conversation as { id: string }).id);
    expect(reply?.activityId).toBe(activity.id);
    expect(cardText(reply!.body)).toContain('Diagnosis: ');
    await settle();
  });

  it('always answers an @mention, and a personal chat, even for chatter', async () => {
    const before = bc.calls.length;
    await send(app.url, message({ serviceUrl: bc.url, text: '<at>ehlo</at> ok', mention: true }));
    await send(app.url, message({ serviceUrl: bc.url, text: 'hello there', conversationType: 'personal' }));
    const got = await bc.waitFor((calls) => calls.length >= before + 2).then(since(before));
    expect(got.map((c) => cardText(c.body))).toEqual([expect.stringContaining('No playbook matches'), expect.stringContaining('No playbook matches')]);
    await settle();
  });

  it('answers a bare @mention with help, and commands from the command list', async () => {
    const before = bc.calls.length;
    await send(app.url, message({ serviceUrl: bc.url, text: '<at>ehlo</at>', mention: true }));
    await send(app.url, message({ serviceUrl: bc.url, text: '<at>ehlo</at> playbooks dns', mention: true }));
    const got = await bc.waitFor((calls) => calls.length >= before + 2).then(since(before));
    expect(cardText(got[0]!.body)).toMatch(/help|command/i);
    expect(cardText(got[1]!.body).toLowerCase()).toContain('dns');
    await settle();
  });

  it('applies a redelivered activity (same id) once', async () => {
    const before = bc.calls.length;
    const activity = message({ serviceUrl: bc.url, text: corpusPaste(DNS_NDR_ID), mention: true });
    await Promise.all([send(app.url, activity), send(app.url, activity), send(app.url, activity)]);
    await settle();
    expect(bc.calls.length - before).toBe(1);
  });
});

/** Paste the DNS NDR in a fresh channel thread and press Start: the step card's message and card. */
async function startWalkthrough(): Promise<{ conversationId: string; step: ConnectorCall; diagnosis: ConnectorCall }> {
  const before = bc.calls.length;
  const activity = message({ serviceUrl: bc.url, text: corpusPaste(DNS_NDR_ID), mention: true });
  const conversationId = (activity.conversation as { id: string }).id;
  await send(app.url, activity);
  const [diagnosis] = await bc.waitFor((calls) => calls.length > before).then(since(before));
  const start = actionsOf(cardOf(diagnosis!.body)).find((a) => a.title === 'Start walkthrough');
  expect(start?.verb).toBe('press');
  const mark = bc.calls.length;
  const res = await send(app.url, invoke({ serviceUrl: bc.url, conversationId, replyToId: diagnosis!.id, verb: start!.verb, data: start!.data }));
  expect(res.status).toBe(200);
  expect(textsOf(invokeCard(res.json)).join('\n')).toContain('Diagnosis: ');
  const got = await bc.waitFor((calls) => since(mark)(calls).some((c) => cardText(c.body).includes('Step 1 of'))).then(since(mark));
  const step = got.find((c) => cardText(c.body).includes('Step 1 of')) as ConnectorCall;
  expect(step.op).toBe('send');
  expect(step.conversationId).toBe(conversationId);
  await settle();
  return { conversationId, step, diagnosis: diagnosis! };
}

describe('card actions (Action.Execute invokes)', () => {
  it('replaces the step card in place and answers the press with the current step', async () => {
    const { conversationId, step } = await startWalkthrough();
    const card = cardOf(step.body);
    expect(card).toMatchObject({ version: '1.5', refresh: { action: { type: 'Action.Execute', verb: 'refresh' } } });
    const done = actionsOf(card).find((a) => a.title === 'Done');
    const mark = bc.calls.length;
    const res = await send(app.url, invoke({ serviceUrl: bc.url, conversationId, replyToId: step.id, verb: 'press', data: done!.data, from: BOB }));
    expect(res.status).toBe(200);
    expect(textsOf(invokeCard(res.json)).join('\n')).toContain('Step 2 of');
    await settle();
    const got = since(mark)(bc.calls);
    const update = got.find((c) => c.op === 'update');
    expect(update?.activityId).toBe(step.id);
    expect(cardText(update!.body)).toContain('Step 2 of');
    // Attributed to the Teams user: the timeline has Bob's AAD object id and name.
    const lookup = await app.rt.walkthroughs.get({ threadKey: `teams:72f988bf-86f1-41af-91ab-2d7cd011db47:${conversationId}` });
    expect(lookup.kind).toBe('found');
    if (lookup.kind === 'found') expect(lookup.session.timeline.find((e) => e.action === 'done')?.by).toEqual({ id: BOB.aadObjectId, name: BOB.name });
    // A refresh (a client showing the stale card) gets the current step too.
    const refresh = await send(app.url, invoke({ serviceUrl: bc.url, conversationId, replyToId: step.id, verb: 'refresh', data: { ehlo: { r: (done!.data.ehlo as { r: string }).r } } }));
    expect(textsOf(invokeCard(refresh.json)).join('\n')).toContain('Step 2 of');
  });

  it('takes no command from a channel message without a mention ("done" said to a colleague)', async () => {
    const { conversationId } = await startWalkthrough();
    const thread = `teams:72f988bf-86f1-41af-91ab-2d7cd011db47:${conversationId}`;
    const mark = bc.calls.length;
    for (const text of ['done', 'stop', 'skip', 'status', 'help'])
      await send(app.url, message({ serviceUrl: bc.url, text, html: `<p>${text}</p>`, conversationId, from: BOB }));
    await settle();
    expect(bc.calls.length).toBe(mark);
    const lookup = await app.rt.walkthroughs.get({ threadKey: thread });
    if (lookup.kind !== 'found') throw new Error('no session');
    expect(lookup.session.status).toBe('active');
    expect(lookup.session.path).toHaveLength(1);
    await send(app.url, message({ serviceUrl: bc.url, text: '<at>ehlo</at> status', mention: true, conversationId }));
    await settle();
    expect(bc.calls.length).toBeGreaterThan(mark);
  });

  it('applies concurrent presses of one button once', async () => {
    const { conversationId, step } = await startWalkthrough();
    const done = actionsOf(cardOf(step.body)).find((a) => a.title === 'Done');
    const people = [ALICE, BOB, { ...ALICE, id: '29:1carol', name: 'Carol', aadObjectId: 'c0000000-0000-4000-8000-00000000ca01' }, { ...BOB, id: '29:1dan', name: 'Dan', aadObjectId: 'd0000000-0000-4000-8000-00000000da01' }];
    // Four people at once, and Teams redelivering one of those invokes (same activity id).
    const presses = people.map((from) => invoke({ serviceUrl: bc.url, conversationId, replyToId: step.id, verb: 'press', data: done!.data, from }));
    const answers = await Promise.all([...presses, presses[0]!].map((p) => send(app.url, p)));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(textsOf(invokeCard(a.json)).join('\n')).toContain('Step 2 of');
    }
    await settle();
    const lookup = await app.rt.walkthroughs.get({ threadKey: `teams:72f988bf-86f1-41af-91ab-2d7cd011db47:${conversationId}` });
    if (lookup.kind !== 'found') throw new Error('no session');
    expect(lookup.session.timeline.filter((e) => e.action === 'done')).toHaveLength(1);
    expect(lookup.session.path).toHaveLength(2);
  });

  it('answers every verb with a card: press, answer, refresh, unknown, and a card from before a restart', async () => {
    const { conversationId, step, diagnosis } = await startWalkthrough();
    const stepActions = actionsOf(cardOf(step.body));
    const r = (stepActions[0]!.data.ehlo as { r: string }).r;
    const verbs: [string, Record<string, unknown>, RegExp][] = [
      ['refresh', { ehlo: { r } }, /Step 1 of/],
      ['answer', { ehlo: { r }, answer: '' }, /Type an answer first/],
      ['launch-missiles', { ehlo: { r } }, /does not know this action/],
      ['press', { ehlo: { r: 'r-gone', v: '{"k":"others"}' } }, /done — see the thread/],
      ['press', { ehlo: { r, v: 'not json' } }, /Step 1 of/],
    ];
    for (const [verb, data, want] of verbs) {
      const res = await send(app.url, invoke({ serviceUrl: bc.url, conversationId, replyToId: verb === 'press' && data.ehlo && (data.ehlo as { r: string }).r === 'r-gone' ? diagnosis.id : step.id, verb, data }));
      expect(res.status, verb).toBe(200);
      expect(textsOf(invokeCard(res.json)).join('\n'), `${verb} ${JSON.stringify(data)}`).toMatch(want);
      await settle();
    }
    const stale = await send(app.url, invoke({ serviceUrl: bc.url, conversationId, replyToId: '1690000000000', verb: 'refresh', data: {} }));
    expect(textsOf(invokeCard(stale.json)).join('\n')).toMatch(/earlier run of ehlo/);
    // Another kind of invoke (not a card action) is answered too, never with 501.
    const other = await send(app.url, { ...invoke({ serviceUrl: bc.url, conversationId, replyToId: step.id, verb: 'x', data: {} }), name: 'composeExtension/query' });
    expect(other.status).toBe(200);
  });

  it('confirms a change step inside the card before pressing', async () => {
    const { step } = await startWalkthrough();
    // Every step card's buttons are Action.Execute or, for a change, a ShowCard holding the real action.
    const card = cardOf(step.body) as { body: Record<string, unknown>[] };
    const sets = card.body.filter((e) => e.type === 'ActionSet') as { actions: { type: string; card?: unknown }[] }[];
    for (const s of sets) for (const a of s.actions) expect(['Action.Execute', 'Action.ShowCard']).toContain(a.type);
  });

  it('takes a typed answer from the card\'s Input.Text', async () => {
    const activity = message({ serviceUrl: bc.url, text: '<at>ehlo</at> start dns-lookup-failed-next-hop', mention: true });
    const conversationId = (activity.conversation as { id: string }).id;
    let mark = bc.calls.length;
    await send(app.url, activity);
    await settle();
    const step = since(mark)(bc.calls).find((c) => cardText(c.body).includes('Step 1 of'));
    expect(step).toBeDefined();
    const check = actionsOf(cardOf(step!.body)).find((a) => a.title === 'Run check');
    mark = bc.calls.length;
    await send(app.url, invoke({ serviceUrl: bc.url, conversationId, replyToId: step!.id, verb: 'press', data: check!.data }));
    await settle();
    const question = since(mark)(bc.calls).find((c) => JSON.stringify(cardOf(c.body)).includes('"Input.Text"'));
    expect(question, JSON.stringify(since(mark)(bc.calls).map((c) => cardText(c.body)))).toBeDefined();
    const sendAction = actionsOf(cardOf(question!.body)).find((a) => a.verb === 'answer');
    mark = bc.calls.length;
    const res = await send(app.url, invoke({ serviceUrl: bc.url, conversationId, replyToId: question!.id, verb: 'answer', data: { ...sendAction!.data, answer: 'fabrikam.com' }, from: BOB }));
    expect(res.status).toBe(200);
    await settle();
    expect(since(mark)(bc.calls).map((c) => cardText(c.body)).join('\n')).toMatch(/dns fabrikam\.com/);
  });

  it('takes a typed answer as a thread reply without a mention, and posts for the core into a known thread', async () => {
    const activity = message({ serviceUrl: bc.url, text: '<at>ehlo</at> start dns-lookup-failed-next-hop', mention: true });
    const conversationId = (activity.conversation as { id: string }).id;
    let mark = bc.calls.length;
    await send(app.url, activity);
    await settle();
    const step = since(mark)(bc.calls).find((c) => cardText(c.body).includes('Step 1 of'))!;
    const check = actionsOf(cardOf(step.body)).find((a) => a.title === 'Run check');
    mark = bc.calls.length;
    await send(app.url, invoke({ serviceUrl: bc.url, conversationId, replyToId: step.id, verb: 'press', data: check!.data }));
    await settle();
    expect(since(mark)(bc.calls).some((c) => JSON.stringify(cardOf(c.body)).includes('"Input.Text"'))).toBe(true);
    mark = bc.calls.length;
    await send(app.url, message({ serviceUrl: bc.url, text: 'fabrikam.com', html: '<p>fabrikam.com</p>', conversationId, from: BOB }));
    await settle();
    expect(since(mark)(bc.calls).map((c) => cardText(c.body)).join('\n')).toMatch(/dns fabrikam\.com/);
    // sinkFor: a reply no event waits for (a result finished elsewhere) goes to the thread.
    const thread = `teams:72f988bf-86f1-41af-91ab-2d7cd011db47:${conversationId}`;
    const channel = app.served.channels.find((c) => c.name === 'teams')!;
    expect(channel.sinkFor('teams:other:thread')).toBeUndefined();
    mark = bc.calls.length;
    await channel.sinkFor(thread)!.post(notice(thread, 'The queue drained.', 'success'));
    const [posted] = since(mark)(bc.calls);
    expect(posted).toMatchObject({ op: 'send', conversationId });
    expect(cardText(posted!.body)).toContain('The queue drained.');
  });

  it('answers a long probe at once with "working on it…" and updates the card when it is done', async () => {
    const { conversationId, step } = await startWalkthrough();
    const check = actionsOf(cardOf(step.body)).find((a) => a.title === 'Run check');
    expect(check).toBeDefined();
    const mark = bc.calls.length;
    const t0 = performance.now();
    const res = await send(app.url, invoke({ serviceUrl: bc.url, conversationId, replyToId: step.id, verb: 'press', data: check!.data }));
    const took = performance.now() - t0;
    expect(res.status).toBe(200);
    const answered = textsOf(invokeCard(res.json)).join('\n');
    // No DNS server answers in this test's configuration quickly enough to finish within the answer:
    // the answer is the step card with the running line, the probe's result arrives as an update.
    expect(answered).toContain('working on it');
    expect(took).toBeLessThan(5000);
    await bc.waitFor((calls) => since(mark)(calls).some((c) => c.op === 'update' && !cardText(c.body).includes('Running')), 30_000);
    await settle();
    const ops = since(mark)(bc.calls);
    expect(ops.some((c) => cardText(c.body).includes('Running dns check'))).toBe(true);
  });
});

describe('the Bot Connector misbehaving', () => {
  it('retries 429, 412, 502 and 504 with backoff', async () => {
    const before = bc.calls.length;
    const requests = bc.requests;
    bc.failNext(429, 412, 502, 504);
    await send(app.url, message({ serviceUrl: bc.url, text: corpusPaste(DNS_NDR_ID), mention: true }));
    await bc.waitFor((calls) => calls.length > before);
    await settle();
    expect(bc.requests - requests).toBe(5);
    expect(bc.calls.length - before).toBe(1);
    const metrics = await (await fetch(app.url.replace('/api/messages', '/metrics'))).text();
    expect(metrics).toMatch(/ehlo_replies_total\{channel="teams",op="post",result="retry 429"\} 1/);
  });

  it('posts a new card when the message to update is gone (ActivityNotFoundInConversation)', async () => {
    const { conversationId, step } = await startWalkthrough();
    bc.forget(step.id);
    const done = actionsOf(cardOf(step.body)).find((a) => a.title === 'Done');
    const mark = bc.calls.length;
    await send(app.url, invoke({ serviceUrl: bc.url, conversationId, replyToId: step.id, verb: 'press', data: done!.data }));
    await settle();
    const got = since(mark)(bc.calls);
    expect(got.some((c) => c.op === 'send' && cardText(c.body).includes('Step 2 of'))).toBe(true);
  });

  it('never calls a serviceUrl that is not a connector host', async () => {
    const evil = await startConnector();
    // 127.0.0.2 is loopback but not one of the hosts allowed in development mode.
    const forged = evil.url.replace('127.0.0.1', '127.0.0.2');
    const paste = corpusPaste(DNS_NDR_ID);
    for (const serviceUrl of [forged, 'https://smba.trafficmanager.net.evil.example/amer/', 'http://smba.trafficmanager.net/amer/', 'file:///etc/passwd']) {
      const res = await send(app.url, message({ serviceUrl, text: paste, mention: true, id: nextId() }));
      expect(res.status, serviceUrl).toBe(400);
      const inv = await send(app.url, invoke({ serviceUrl, conversationId: 'a:1', replyToId: '1', verb: 'refresh', data: {} }));
      expect(inv.status, serviceUrl).toBe(400);
    }
    await settle();
    expect(evil.requests).toBe(0);
    await evil.close();
  });
});

describe('what is not an activity', () => {
  it('answers 400 and does nothing', async () => {
    const before = bc.requests;
    const text = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(400);
    const bad = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect(bad.status).toBe(400);
    expect((await send(app.url, {})).status).toBe(400);
    expect((await send(app.url, [1, 2])).status).toBe(400);
    expect((await send(app.url, { type: 'message', text: 'x' })).status).toBe(400);
    expect((await send(app.url, { type: 'message', text: 'x', conversation: 5, serviceUrl: bc.url })).status).toBe(400);
    expect((await send(app.url, { type: 'message', text: 7, from: 'x', conversation: { id: 'c' }, serviceUrl: bc.url })).status).toBe(400);
    const other = await fetch(app.url.replace('/api/messages', '/api/other'), { method: 'POST' });
    expect(other.status).toBe(404);
    await settle();
    expect(bc.requests).toBe(before);
  });
});

describe('card limits', () => {
  it('keeps a huge paste under 28 KB with a clip marker', async () => {
    const paste = `${corpusPaste(DNS_NDR_ID)}\n${'Received: from relay.contoso.com ([10.0.0.1]) by mx.fabrikam.com with ESMTPS id 42\n'.repeat(3000)}`;
    const before = bc.calls.length;
    await send(app.url, message({ serviceUrl: bc.url, text: paste, mention: true, conversationType: 'personal' }));
    const [reply] = await bc.waitFor((calls) => calls.length > before).then(since(before));
    expect(Buffer.byteLength(JSON.stringify(reply!.body))).toBeLessThan(28 * 1024);
    await settle();
  });
});

describe('after a restart', () => {
  it('replaces a step card posted by the previous process in place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-teams-restart-'));
    const store = { sqlitePath: join(dir, 'ehlo.sqlite') };
    const first = await startTeams({ store });
    const activity = message({ serviceUrl: bc.url, text: corpusPaste(DNS_NDR_ID), mention: true });
    const conversationId = (activity.conversation as { id: string }).id;
    let mark = bc.calls.length;
    await send(first.url, activity);
    const [diagnosis] = await bc.waitFor((calls) => calls.length > mark).then(since(mark));
    const start = actionsOf(cardOf(diagnosis!.body)).find((a) => a.title === 'Start walkthrough');
    mark = bc.calls.length;
    await send(first.url, invoke({ serviceUrl: bc.url, conversationId, replyToId: diagnosis!.id, verb: 'press', data: start!.data }));
    const step = (await bc.waitFor((calls) => since(mark)(calls).some((c) => cardText(c.body).includes('Step 1 of'))).then(since(mark))).find((c) => cardText(c.body).includes('Step 1 of'))!;
    await first.rt.core.drain();
    await first.close();

    const second = await startTeams({ store });
    try {
      const done = actionsOf(cardOf(step.body)).find((a) => a.title === 'Done');
      mark = bc.calls.length;
      const res = await send(second.url, invoke({ serviceUrl: bc.url, conversationId, replyToId: step.id, verb: 'press', data: done!.data }));
      expect(res.status).toBe(200);
      expect(textsOf(invokeCard(res.json)).join('\n')).toContain('Step 2 of');
      await second.rt.core.drain();
      const got = since(mark)(bc.calls);
      expect(got.filter((c) => cardText(c.body).includes('Step 2 of')).map((c) => [c.op, c.activityId])).toEqual([['update', step.id]]);
    } finally {
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
