// Escalation on Slack end to end: signed Slack requests over HTTP into ehlo (createRuntime + serve),
// the loopback fake of the Web API, a loopback PagerDuty endpoint and webhook receiver, real SQLite.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT_USER } from '../channels/slack/fake-slack.ts';
import { buttonsOf, FORM, postSigned, pressBody, sendMessage, settle, startHarness, textOf, type Harness } from '../channels/slack/harness.ts';
import { PagerReceiver, WEBHOOK_SECRET } from './pager-receiver.ts';

const CHANNEL = 'C0MAILFLOW';
const ONCALL = 'C0ONCALL';
const ROUTING_KEY = 'R0UTINGKEY0123456789abcdefABCDEF';
const DNS_NDR = `Delivery has failed to these recipients or groups:

neko@libsisimai.org
The address you sent your message to wasn't found at the destination domain. It might be misspelled or it might not exist.

Diagnostic information for administrators:

Generating server: TYAPR01MB2990.jpnprd01.prod.outlook.com

neko@libsisimai.org
Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=libsisimai.org]'

5/25/2018 8:11:10 AM - Server at libsisimai.org (25.152.252.27) returned '450 4.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=libsisimai.org] [PU1APC01FT045.eop-APC01.prod.protection.outlook.com](InfoNoRecords)'`;

function escalationConfig(pager: PagerReceiver, channel = ONCALL): Record<string, unknown> {
  return {
    escalation: {
      slack: { channel, mention: ['S0MAILOPS'] },
      redact: { domains: ['libsisimai.org'], tenants: true, publicIps: true },
      paging: {
        allow: [`${pager.base}/`],
        pagerduty: { routingKey: ROUTING_KEY, url: `${pager.base}/pd/v2/enqueue` },
        webhook: { url: `${pager.base}/hook`, secret: WEBHOOK_SECRET },
        retries: 3,
        backoffMs: 5,
      },
    },
  };
}

let h: Harness;
let pager: PagerReceiver;

async function open(channel = ONCALL): Promise<void> {
  pager = await new PagerReceiver().start();
  h = await startHarness({ config: escalationConfig(pager, channel) });
  h.fake.users.set('U0ALICE', { name: 'alice', display: 'Alice' });
  h.fake.users.set('U0BOB', { name: 'bob', display: 'Bob' });
}

afterEach(async () => {
  await h?.close();
  await pager?.close();
});

type Btn = ReturnType<typeof buttonsOf>[number];

function lastWithButton(label: string, channel = CHANNEL): { call: (typeof h.fake.calls)[number]; button: Btn } {
  const calls = h.fake.ok('chat.postMessage').filter((c) => c.args.channel === channel).reverse();
  for (const call of calls) {
    const button = buttonsOf(call.args).find((b) => b.label === label);
    if (button) return { call, button };
  }
  throw new Error(`no message with a ${label} button in ${channel}`);
}

function press(user: string, channel: string, threadTs: string, found: { call: (typeof h.fake.calls)[number]; button: Btn }): Promise<Response> {
  const b = found.button;
  return postSigned(h.url, pressBody({ user, userName: user.toLowerCase(), channel, messageTs: String(found.call.response?.ts), threadTs, blockId: b.blockId, actionId: b.actionId, value: b.value, label: b.label }), FORM);
}

/** A DNS NDR pasted in the mail-flow channel, its walkthrough started by Alice. Returns the thread ts. */
async function walkthrough(): Promise<string> {
  const { ts } = await sendMessage(h, DNS_NDR, { user: 'U0ALICE' });
  await settle(h);
  await press('U0ALICE', CHANNEL, ts, lastWithButton('Start walkthrough'));
  await settle(h);
  return ts;
}

function inThread(channel: string, ts: string): string {
  return h.fake.ok('chat.postMessage').filter((c) => c.args.channel === channel && c.args.thread_ts === ts).map((c) => textOf(c.args)).join('\n');
}

describe('escalation on Slack', () => {
  beforeEach(async () => {
    await open();
  });

  it('asks first and says who is paged; then opens the on-call thread once whatever the concurrent presses and retries, pages once, and the walkthrough goes on', async () => {
    const ts = await walkthrough();
    await sendMessage(h, 'escalate the recipient insists their MX is fine', { user: 'U0ALICE', thread_ts: ts });
    await settle(h);
    const ask = lastWithButton('Escalate and page on-call');
    expect(textOf(ask.call.args)).toContain(`Slack channel ${ONCALL}, mentioning S0MAILOPS; PagerDuty (routing key …CDEF); webhook 127.0.0.1:${pager.port}`);
    expect(h.fake.ok('chat.postMessage').filter((c) => c.args.channel === ONCALL)).toHaveLength(0);
    // Three people press at once, and Slack delivers one of the presses twice.
    const body = pressBody({ user: 'U0ALICE', userName: 'alice', channel: CHANNEL, messageTs: String(ask.call.response?.ts), threadTs: ts, blockId: ask.button.blockId, actionId: ask.button.actionId, value: ask.button.value, label: ask.button.label });
    await Promise.all([postSigned(h.url, body, FORM), postSigned(h.url, body, FORM), press('U0BOB', CHANNEL, ts, ask), press('U0ALICE', CHANNEL, ts, ask)]);
    await settle(h);
    await h.rt.core.drain();
    await settle(h);
    const opened = h.fake.ok('chat.postMessage').filter((c) => c.args.channel === ONCALL && !c.args.thread_ts);
    expect(opened).toHaveLength(1);
    const packet = textOf(opened[0]!.args);
    const oncallTs = String(opened[0]!.response?.ts);
    // The mention is built by ehlo from configuration; the packet links back; nothing identifying survives.
    expect(packet).toContain('<!subteam^S0MAILOPS>');
    expect(packet).toContain(`https://ehlo-test.slack.com/archives/${CHANNEL}/p${ts.replace('.', '')}`);
    expect(packet).toContain('Escalation: DNS lookup for the destination failed');
    expect(packet).toContain('the recipient insists their MX is fine');
    expect(packet).not.toMatch(/neko@|libsisimai\.org|25\.152\.252\.27/);
    expect(packet).toContain('[domain-1]');
    expect(packet).toMatch(/InfoNoRecords/);
    // The origin thread: the link, the walkthrough going on, marked escalated; "already escalated" for the other presses.
    const origin = inThread(CHANNEL, ts);
    expect(origin).toContain(`On-call thread opened in Slack channel ${ONCALL}, mentioning S0MAILOPS: https://ehlo-test.slack.com/archives/${ONCALL}/p${oncallTs.replace('.', '')}`);
    expect(origin).toContain('Escalated to on-call by Alice');
    expect(origin).toContain('Paged pagerduty, webhook.');
    // Exactly one trigger to each pager, with the session's dedup key; the webhook signed.
    const [[action, key]] = pager.pagerduty() as [[string, string]];
    expect(action).toBe('trigger');
    expect(key).toMatch(/^ehlo-[0-9a-f-]{36}$/);
    expect(pager.pagerduty()).toHaveLength(1);
    expect(pager.webhook().map((w) => [w.body.event, w.signed])).toEqual([['trigger', true]]);
    // The reversible map lives in the origin thread's state only.
    const originState = await h.rt.store.getThread(`slack:T0EHLOTEAM:${CHANNEL}:${ts}`);
    expect(originState?.escalation?.redaction).toEqual(expect.arrayContaining([{ tag: '[domain-1]', value: 'libsisimai.org' }]));
    const oncallState = await h.rt.store.getThread(`slack:T0EHLOTEAM:${ONCALL}:${oncallTs}`);
    expect(oncallState?.escalation).toMatchObject({ role: 'oncall', other: `slack:T0EHLOTEAM:${CHANNEL}:${ts}` });
    expect(JSON.stringify(oncallState)).not.toContain('libsisimai');

    // On-call acts in its thread: status answers there (acknowledging the page once), a press there moves the walkthrough, and each thread gets a line of the other.
    await sendMessage(h, 'status', { user: 'U0BOB', channel: ONCALL, thread_ts: oncallTs });
    await settle(h);
    expect(inThread(ONCALL, oncallTs)).toMatch(/Step 1 of 6/);
    await sendMessage(h, 'timeline', { user: 'U0BOB', channel: ONCALL, thread_ts: oncallTs });
    await settle(h);
    expect(inThread(ONCALL, oncallTs)).toMatch(/Timeline: DNS lookup[\s\S]*Alice escalated the walkthrough/);
    await press('U0BOB', ONCALL, oncallTs, lastWithButton('Skip', ONCALL));
    await settle(h);
    expect(inThread(CHANNEL, ts)).toMatch(/In the on-call thread: – “Look up the recipient domain's MX records from outside” skipped by Bob/);
    await sendMessage(h, 'note the MX is hosted by a third party', { user: 'U0ALICE', thread_ts: ts });
    await sendMessage(h, 'status', { user: 'U0ALICE', thread_ts: ts });
    await settle(h);
    expect(inThread(CHANNEL, ts)).toMatch(/Step 2 of 6/);
    // Alice stops it: the page is resolved, once.
    await sendMessage(h, 'stop fixed by the recipient', { user: 'U0ALICE', thread_ts: ts });
    await settle(h);
    await h.rt.core.drain();
    expect(inThread(ONCALL, oncallTs)).toMatch(/In the origin thread: Alice stopped the walkthrough/);
    expect(pager.pagerduty().map(([a]) => a)).toEqual(['trigger', 'acknowledge', 'resolve']);
    expect(new Set(pager.pagerduty().map(([, k]) => k)).size).toBe(1);
    expect(pager.webhook().map((w) => [w.body.event, w.signed])).toEqual([['trigger', true], ['acknowledge', true], ['resolve', true]]);
    // The audit log has it all, chained.
    const actions = (await h.rt.store.readAudit({})).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['paste-matched', 'walkthrough-started', 'press', 'escalate', 'oncall-thread-opened', 'page-sent', 'page-acknowledged', 'step-skipped', 'note', 'stop', 'page-resolved']));
    expect(actions.filter((a) => a === 'oncall-thread-opened')).toHaveLength(1);
  }, 60_000);

  it('retries a pager that is down, and a receiver refuses a webhook with a wrong signature', async () => {
    const ts = await walkthrough();
    pager.failNext(2);
    await sendMessage(h, 'escalate', { user: 'U0ALICE', thread_ts: ts });
    await settle(h);
    await press('U0ALICE', CHANNEL, ts, lastWithButton('Escalate and page on-call'));
    await settle(h);
    await h.rt.core.drain();
    expect(pager.received.filter((r) => r.status === 500)).toHaveLength(2);
    expect(pager.pagerduty()).toHaveLength(1);
    expect(pager.webhook().filter((w) => w.signed)).toHaveLength(1);
    const forged = await fetch(`${pager.base}/hook`, { method: 'POST', headers: { 'x-ehlo-timestamp': String(Math.floor(Date.now() / 1000)), 'x-ehlo-signature': 'sha256=00' }, body: '{"event":"trigger"}' });
    expect(forged.status).toBe(401);
  }, 60_000);
});

describe('escalation on Slack when the on-call thread cannot be opened', () => {
  beforeEach(async () => {
    await open('CNOTIN');
  });

  it('still marks the walkthrough escalated and pages, and says so in the thread', async () => {
    const ts = await walkthrough();
    await sendMessage(h, `<@${BOT_USER}> escalate`, { user: 'U0ALICE', thread_ts: ts, type: 'app_mention' });
    await settle(h);
    await press('U0ALICE', CHANNEL, ts, lastWithButton('Escalate and page on-call'));
    await settle(h);
    await h.rt.core.drain();
    const origin = inThread(CHANNEL, ts);
    expect(origin).toMatch(/marked escalated, but the on-call thread could not be opened in Slack channel CNOTIN[^)]*invite @ehlo to the on-call channel CNOTIN/);
    expect(origin).toContain('Paged pagerduty, webhook.');
    expect(pager.pagerduty()).toEqual([['trigger', expect.stringMatching(/^ehlo-/)]]);
    // Escalating again retries the thread, never the page.
    await sendMessage(h, 'escalate', { user: 'U0ALICE', thread_ts: ts });
    await settle(h);
    await h.rt.core.drain();
    expect(inThread(CHANNEL, ts)).toMatch(/the on-call thread is not open yet; trying again/);
    expect(pager.pagerduty()).toHaveLength(1);
  }, 60_000);
});
