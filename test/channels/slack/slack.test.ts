// The Slack channel end to end: signed requests over HTTP into the real receiver (as `ehlo start`
// builds it), a loopback fake of the Slack Web API recording every call, real SQLite.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../../src/match/index.ts';
import { BOT_USER } from './fake-slack.ts';
import { buttonsOf, commandBody, eventEnvelope, FORM, nextTs, postSigned, pressBody, sendMessage, settle, sign, startHarness, textOf, type Harness } from './harness.ts';

const CHANNEL = 'C0MAILFLOW';
const DNS_NDR = `Delivery has failed to these recipients or groups:

neko@libsisimai.org
The address you sent your message to wasn't found at the destination domain. It might be misspelled or it might not exist.

Diagnostic information for administrators:

Generating server: TYAPR01MB2990.jpnprd01.prod.outlook.com

neko@libsisimai.org
Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=libsisimai.org]'

5/25/2018 8:11:10 AM - Server at libsisimai.org (25.152.252.27) returned '450 4.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=libsisimai.org] [PU1APC01FT045.eop-APC01.prod.protection.outlook.com](InfoNoRecords)'`;

/** Text as Slack delivers what a person pasted: & < > escaped, addresses, URLs and host names auto-linked. */
function slackify(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped.replace(/([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,12})|(https?:\/\/[^\s<>&|]{1,300})|(\b[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.(?:com|org|net)\b)/g, (m, email: string | undefined, url: string | undefined) => {
    if (email) return `<mailto:${email}|${email}>`;
    if (url) return `<${url}>`;
    return `<http://${m}|${m}>`;
  });
}

interface Case { id: string; text: string }

function fixtureCases(): Case[] {
  const dir = new URL('../../fixtures/cases/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => readFileSync(new URL(f, dir), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Case));
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.fake.users.set('U0ALICE', { name: 'alice', display: 'Alice' });
  h.fake.users.set('U0BOB', { name: 'bob', display: 'Bob' });
}, 60_000);
afterAll(async () => {
  await h?.close();
});
afterEach(async () => {
  await settle(h);
});

async function since<T>(work: () => Promise<T>): Promise<{ value: T; calls: typeof h.fake.calls }> {
  const mark = h.fake.calls.length;
  const value = await work();
  await settle(h);
  return { value, calls: h.fake.calls.slice(mark) };
}

describe('the receiver', () => {
  it('answers url_verification with the challenge', async () => {
    const body = JSON.stringify({ token: 'x', challenge: 'c-123', type: 'url_verification' });
    const res = await postSigned(h.url, body, 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'c-123' });
  });

  it('refuses a bad signature and a stale one with 401, recording nothing', async () => {
    const { calls } = await since(async () => {
      const env = eventEnvelope(DNS_NDR);
      const bad = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json', ...sign(env.body, undefined, 'ffffffffffffffffffffffffffffffff') }, body: env.body });
      expect(bad.status).toBe(401);
      const stale = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json', ...sign(env.body, Math.floor(Date.now() / 1000) - 301) }, body: env.body });
      expect(stale.status).toBe(401);
      const tampered = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json', ...sign(env.body) }, body: env.body.replace('C0MAILFLOW', 'C0OTHERCH') });
      expect(tampered.status).toBe(401);
      const unsigned = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: env.body });
      expect(unsigned.status).toBe(401);
    });
    expect(calls).toEqual([]);
  });

  it('refuses a body over 1 MiB with 413 before reading it', async () => {
    const big = JSON.stringify({ type: 'event_callback', pad: 'x'.repeat(1024 * 1024 + 10) });
    const res = await postSigned(h.url, big, 'application/json');
    expect(res.status).toBe(413);
  });
});

describe('messages in a channel', () => {
  it('answers real pastes, as Slack delivers them, with the playbook ehlo match names for the clean text', async () => {
    const matcher = defaultMatcher();
    const chosen = fixtureCases()
      .filter((c) => /@|\.com\b|\.org\b|[<>&]/.test(c.text) && c.text.length < 3000 && matcher.match(c.text).verdict === 'match')
      .slice(0, 6);
    expect(chosen.length).toBeGreaterThanOrEqual(4);
    chosen.push({ id: 'dns-ndr', text: DNS_NDR });
    for (const [i, c] of chosen.entries()) {
      const expected = matcher.match(c.text).matches[0]?.playbook;
      const delivered = i % 2 === 0 ? `\`\`\`${slackify(c.text)}\`\`\`` : slackify(c.text);
      const { value, calls } = await since(() => sendMessage(h, delivered));
      const replies = calls.filter((x) => x.method === 'chat.postMessage' && x.status === 200);
      expect(replies, c.id).toHaveLength(1);
      const args = replies[0]?.args ?? {};
      expect(args.thread_ts, c.id).toBe(value.ts);
      expect(args.channel).toBe(CHANNEL);
      expect(args.metadata, c.id).toMatchObject({ event_type: 'ehlo_diagnosis', event_payload: { playbook: expected, verdict: 'match' } });
      expect(args.link_names).toBeUndefined();
    }
  });

  it('reads the targets from the unwrapped text, not from Slack tokens', async () => {
    const { calls } = await since(() => sendMessage(h, slackify(DNS_NDR)));
    const text = textOf(calls.find((c) => c.method === 'chat.postMessage')?.args ?? {});
    expect(text).toContain('domain libsisimai.org');
    expect(text).not.toContain('mailto:');
  });

  it('reads a long paste Slack made into a snippet: files.info, then the download with the bot token', async () => {
    h.fake.files.set('F0SNIPPET', { id: 'F0SNIPPET', name: 'Untitled', mode: 'snippet', filetype: 'text', mimetype: 'text/plain', content: DNS_NDR });
    const { calls } = await since(() =>
      sendMessage(h, '', { subtype: 'file_share', files: [{ id: 'F0SNIPPET', mode: 'snippet', file_access: 'check_file_info' }], extra: { upload: false, display_as_bot: false } }),
    );
    expect(calls.map((c) => c.method)).toContain('files.info');
    expect(h.fake.downloads.at(-1)?.auth).toBe('Bearer xoxb-1111-2222-testtoken');
    const reply = calls.find((c) => c.method === 'chat.postMessage');
    expect(reply?.args.metadata).toMatchObject({ event_payload: { playbook: defaultMatcher().match(DNS_NDR).matches[0]?.playbook } });
  });

  it('reads an uploaded .eml file, and never follows a redirect to another origin', async () => {
    h.fake.files.set('F0EML', { id: 'F0EML', name: 'bounce.eml', filetype: 'email', mimetype: 'message/rfc822', content: DNS_NDR });
    const { calls } = await since(() => sendMessage(h, 'what is this?', { subtype: 'file_share', files: [{ id: 'F0EML', name: 'bounce.eml', filetype: 'email' }] }));
    expect(calls.find((c) => c.method === 'chat.postMessage')?.args.metadata).toMatchObject({ event_type: 'ehlo_diagnosis' });

    h.fake.files.set('F0EVIL', { id: 'F0EVIL', name: 'paste.txt', filetype: 'text', mimetype: 'text/plain', content: DNS_NDR, redirectTo: 'http://127.0.0.2:9/steal' });
    const before = h.fake.downloads.length;
    const evil = await since(() => sendMessage(h, '', { subtype: 'file_share', files: [{ id: 'F0EVIL', name: 'paste.txt', filetype: 'text' }] }));
    expect(h.fake.downloads.length - before).toBe(1);
    expect(evil.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);
  });

  it('reads rich_text preformatted blocks as the paste', async () => {
    const blocks = [{ type: 'rich_text', block_id: 'b1', elements: [
      { type: 'rich_text_section', elements: [{ type: 'text', text: 'our queue says:' }] },
      { type: 'rich_text_preformatted', elements: [{ type: 'text', text: DNS_NDR.replace('neko@libsisimai.org', '') }, { type: 'link', url: 'mailto:neko@libsisimai.org', text: 'neko@libsisimai.org' }] },
    ] }];
    const { calls } = await since(() => sendMessage(h, 'our queue says: ```garbled```', { blocks }));
    expect(calls.find((c) => c.method === 'chat.postMessage')?.args.metadata).toMatchObject({ event_type: 'ehlo_diagnosis', event_payload: { verdict: 'match' } });
  });

  it('stays silent for chatter, edits, bot messages, its own messages and joins', async () => {
    const { calls } = await since(async () => {
      await sendMessage(h, 'lol thanks, see you at lunch');
      await sendMessage(h, 'anyone up for coffee?');
      await sendMessage(h, '', { subtype: 'message_changed', user: '', extra: { message: { text: DNS_NDR, user: 'U0ALICE', ts: nextTs() }, previous_message: { text: 'x' } } });
      await sendMessage(h, slackify(DNS_NDR), { subtype: 'bot_message', bot_id: 'B0OTHER', user: '' });
      await sendMessage(h, slackify(DNS_NDR), { user: BOT_USER, bot_id: 'B0EHLOBOT' });
      await sendMessage(h, '<@U0ALICE> has joined the channel', { subtype: 'channel_join' });
      await sendMessage(h, slackify(DNS_NDR), { subtype: 'message_deleted', user: '' });
    });
    expect(calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  });

  it('always answers an @mention, a none politely, and skips the duplicate message event of that mention', async () => {
    const ts = nextTs();
    const { calls } = await since(async () => {
      await sendMessage(h, `<@${BOT_USER}> lol thanks`, { type: 'app_mention', ts });
      await sendMessage(h, `<@${BOT_USER}> lol thanks`, { ts });
    });
    const replies = calls.filter((c) => c.method === 'chat.postMessage');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.args.metadata).toMatchObject({ event_payload: { verdict: 'none' } });
    expect(replies[0]?.args.thread_ts).toBe(ts);
    expect(textOf(replies[0]?.args ?? {})).toContain('/ehlo help');
  });

  it('handles the same event delivered three times (one concurrent with the first) once', async () => {
    const env = eventEnvelope(slackify(DNS_NDR));
    const { calls } = await since(async () => {
      const [a, b] = await Promise.all([postSigned(h.url, env.body, 'application/json'), postSigned(h.url, env.body, 'application/json', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })]);
      expect([a.status, b.status]).toEqual([200, 200]);
      await settle(h);
      const c = await postSigned(h.url, env.body, 'application/json', { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' });
      expect(c.status).toBe(200);
    });
    expect(calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
  });

  it('handles a retry that is the only copy that arrived', async () => {
    const env = eventEnvelope(slackify(DNS_NDR));
    const { calls } = await since(() => postSigned(h.url, env.body, 'application/json', { 'x-slack-retry-num': '3', 'x-slack-retry-reason': 'http_error' }));
    expect(calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === env.ts)).toHaveLength(1);
  });

  it('never pings: a paste full of <!channel> and mentions, and a hostile display name, are echoed neutralised, without link_names', async () => {
    h.fake.users.set('U0MAL', { name: 'mallory', display: '<!channel> <@U0BOSS> Mallory' });
    const paste = `<!channel> <!here> <!everyone> <@U0BOSS> <!subteam^S0OPS|@ops> look: @channel\n${slackify(DNS_NDR).replace('DNS query failed', 'DNS query failed <!channel>')}`;
    const { calls } = await since(async () => {
      const { ts } = await sendMessage(h, paste, { user: 'U0MAL' });
      await settle(h);
      const card = h.fake.ok('chat.postMessage').at(-1)?.args ?? {};
      const start = buttonsOf(card).find((b) => b.label === 'Start walkthrough') as ReturnType<typeof buttonsOf>[number];
      await postSigned(h.url, pressBody({ user: 'U0MAL', userName: '<!channel>', channel: CHANNEL, messageTs: '1700000990.000001', threadTs: ts, blockId: start.blockId, actionId: start.actionId, value: start.value, label: start.label }), FORM);
      await settle(h);
      const step = h.fake.ok('chat.postMessage').at(-1);
      const done = buttonsOf(step?.args ?? {}).find((b) => b.label === 'Done') as ReturnType<typeof buttonsOf>[number];
      await postSigned(h.url, pressBody({ user: 'U0MAL', userName: '<!channel>', channel: CHANNEL, messageTs: String(step?.response?.ts), threadTs: ts, blockId: done.blockId, actionId: done.actionId, value: done.value, label: done.label }), FORM);
      await settle(h);
      const next = h.fake.ok('chat.update').at(-1);
      expect(textOf(next?.args ?? {})).toContain('Mallory (U0MAL)');
      const escalate = buttonsOf(next?.args ?? {}).find((b) => b.label === 'Escalate') as ReturnType<typeof buttonsOf>[number];
      await postSigned(h.url, pressBody({ user: 'U0MAL', userName: '<!channel>', channel: CHANNEL, messageTs: String(step?.response?.ts), threadTs: ts, blockId: escalate.blockId, actionId: escalate.actionId, value: escalate.value, label: escalate.label }), FORM);
      await settle(h);
      await sendMessage(h, '<!here> status', { thread_ts: ts, user: 'U0MAL' });
      await sendMessage(h, `<@${BOT_USER}> <!everyone> <!channel> match <!here> 550 5.1.1 <!channel> RESOLVER.ADR.RecipNotFound`, { type: 'app_mention', user: 'U0MAL' });
    });
    const out = calls.filter((c) => c.method.startsWith('chat.'));
    // The diagnosis, the start notice and step card, the escalation (summary and handoff packet with the paste), status, the mention.
    expect(out.length).toBeGreaterThanOrEqual(6);
    const all = out.map((c) => textOf(c.args)).join(' ');
    expect(all).toContain('Mallory');
    expect(all).toContain('InfoNoRecords');
    for (const c of out) {
      expect(textOf(c.args)).not.toMatch(/<!(channel|here|everyone)|<@U|<!subteam|<#C/);
      expect(c.args.link_names).toBeUndefined();
      expect(c.args.parse).toBeUndefined();
    }
  });

  it('retries a 429 once after Retry-After', async () => {
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();
    const { calls } = await since(() => sendMessage(h, slackify(DNS_NDR)));
    const attempts = calls.filter((c) => c.method === 'chat.postMessage');
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('re-posts when Slack answers again after an outage', async () => {
    h.fake.failNext('chat.postMessage', { status: 503 }, { status: 503 }, { status: 502 }, { status: 503 });
    const { calls } = await since(() => sendMessage(h, slackify(DNS_NDR)));
    const attempts = calls.filter((c) => c.method === 'chat.postMessage');
    expect(attempts.at(-1)?.status).toBe(200);
    expect(attempts.filter((c) => c.status === 200)).toHaveLength(1);
    expect(attempts.length).toBe(5);
  });

  it('answers with plain text when Slack refuses the blocks, and logs Slack\'s error', async () => {
    h.fake.failNext('chat.postMessage', { error: 'invalid_blocks' });
    const { calls } = await since(() => sendMessage(h, slackify(DNS_NDR)));
    const attempts = calls.filter((c) => c.method === 'chat.postMessage');
    expect(attempts).toHaveLength(2);
    expect(attempts[1]?.args.blocks).toBeUndefined();
    expect(String(attempts[1]?.args.text)).toContain('Diagnosis');
  });
});

describe('walkthroughs in a thread', () => {
  async function diagnosed(): Promise<{ ts: string; card: Record<string, unknown> }> {
    const { value, calls } = await since(() => sendMessage(h, slackify(DNS_NDR)));
    const card = calls.find((c) => c.method === 'chat.postMessage')?.args ?? {};
    return { ts: value.ts, card };
  }

  async function press(o: { ts: string; messageTs: string; button: ReturnType<typeof buttonsOf>[number]; user?: string; name?: string }): Promise<Response> {
    return postSigned(h.url, pressBody({ user: o.user ?? 'U0ALICE', userName: o.name ?? 'alice', channel: CHANNEL, messageTs: o.messageTs, threadTs: o.ts, blockId: o.button.blockId, actionId: o.button.actionId, value: o.button.value, label: o.button.label }), FORM);
  }

  it('starts from the diagnosis, shows one step card with metadata, updates it in place on a press, attributes presses', async () => {
    const { ts, card } = await diagnosed();
    const start = buttonsOf(card).find((b) => b.label === 'Start walkthrough');
    expect(start).toBeDefined();
    const diagPost = h.fake.ok('chat.postMessage').at(-1);
    const diagTs = String((diagPost as { args: Record<string, unknown> }).args.thread_ts);
    expect(diagTs).toBe(ts);
    const started = await since(() => press({ ts, messageTs: '1700000999.000001', button: start as NonNullable<typeof start> }));
    const stepPost = started.calls.find((c) => c.method === 'chat.postMessage' && (c.args.metadata as { event_type?: string } | undefined)?.event_type === 'ehlo_step');
    expect(stepPost).toBeDefined();
    expect(stepPost?.args.thread_ts).toBe(ts);
    expect(stepPost?.args.metadata).toMatchObject({ event_type: 'ehlo_step', event_payload: { playbook: 'dns-lookup-failed-next-hop', step: expect.any(String), session: expect.any(String) } });
    const labels = buttonsOf(stepPost?.args ?? {}).map((b) => b.label);
    expect(labels).toEqual(expect.arrayContaining(['Done', 'Failed', 'Skip', 'Escalate', 'Stop']));

    // The step card's ts: the fake answers posts in order; find it by the reply the fake gave.
    const stepTs = await tsOfLastStepCard();
    const done = buttonsOf(stepPost?.args ?? {}).find((b) => b.label === 'Done');
    const pressed = await since(() => press({ ts, messageTs: stepTs, button: done as NonNullable<typeof done> }));
    const updates = pressed.calls.filter((c) => c.method === 'chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.args.ts).toBe(stepTs);
    expect(updates[0]?.args.metadata).toMatchObject({ event_type: 'ehlo_step' });
    expect(textOf(updates[0]?.args ?? {})).toContain('Alice (U0ALICE)');
    expect(pressed.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);
    const lookup = await h.rt.walkthroughs.get({ threadKey: `slack:T0EHLOTEAM:${CHANNEL}:${ts}` });
    expect(lookup.kind).toBe('found');
    if (lookup.kind === 'found') expect(lookup.session.timeline.filter((e) => e.action === 'done').map((e) => e.by)).toEqual([{ id: 'U0ALICE', name: 'Alice' }]);
  });

  /** The ts the fake gave the last step card ehlo posted. */
  function tsOfLastStepCard(): Promise<string> {
    const post = h.fake.ok('chat.postMessage').filter((c) => (c.args.metadata as { event_type?: string } | undefined)?.event_type === 'ehlo_step').at(-1);
    const ts = post?.response?.ts;
    expect(typeof ts).toBe('string');
    return Promise.resolve(String(ts));
  }

  it('two people pressing the same button at once: one transition, the second is told', async () => {
    const { ts, card } = await diagnosed();
    const start = buttonsOf(card).find((b) => b.label === 'Start walkthrough') as ReturnType<typeof buttonsOf>[number];
    await since(() => press({ ts, messageTs: '1700000998.000001', button: start }));
    const stepTs = await tsOfLastStepCard();
    const stepCard = h.fake.ok('chat.postMessage').filter((c) => (c.args.metadata as { event_type?: string } | undefined)?.event_type === 'ehlo_step').at(-1);
    const done = buttonsOf(stepCard?.args ?? {}).find((b) => b.label === 'Done') as ReturnType<typeof buttonsOf>[number];
    const { calls } = await since(async () => {
      const [a, b] = await Promise.all([press({ ts, messageTs: stepTs, button: done }), press({ ts, messageTs: stepTs, button: done, user: 'U0BOB', name: 'bob' })]);
      expect([a.status, b.status]).toEqual([200, 200]);
    });
    const lookup = await h.rt.walkthroughs.get({ threadKey: `slack:T0EHLOTEAM:${CHANNEL}:${ts}` });
    expect(lookup.kind).toBe('found');
    if (lookup.kind !== 'found') return;
    expect(lookup.session.timeline.filter((e) => e.action === 'done')).toHaveLength(1);
    const winner = lookup.session.timeline.find((e) => e.action === 'done')?.by.id;
    const loser = winner === 'U0ALICE' ? 'U0BOB' : 'U0ALICE';
    const told = calls.filter((c) => c.method === 'chat.postEphemeral');
    expect(told.map((c) => c.args.user)).toEqual([loser]);
    expect(textOf(told[0]?.args ?? {})).toMatch(/Already done/);
  });

  it('asks for confirmation (a Block Kit confirm dialog) on steps that change something', async () => {
    const { ts, card } = await diagnosed();
    const start = buttonsOf(card).find((b) => b.label === 'Start walkthrough') as ReturnType<typeof buttonsOf>[number];
    await since(() => press({ ts, messageTs: '1700000997.000001', button: start }));
    // Walk with Skip until a step that changes something shows its confirm button.
    for (let i = 0; i < 8; i++) {
      const stepCard = [...h.fake.messages()].reverse().find((c) => (c.args.metadata as { event_type?: string } | undefined)?.event_type === 'ehlo_step');
      const buttons = buttonsOf(stepCard?.args ?? {});
      const confirm = buttons.find((b) => b.label === 'I am making this change');
      if (confirm) {
        expect(confirm.confirm).toMatchObject({ title: { type: 'plain_text' }, text: { type: 'plain_text' }, confirm: { type: 'plain_text' }, deny: { type: 'plain_text' } });
        return;
      }
      const skip = buttons.find((b) => b.label === 'Skip') as ReturnType<typeof buttonsOf>[number];
      const stepTs = stepCard?.method === 'chat.update' ? String(stepCard.args.ts) : await tsOfLastStepCard();
      await since(() => press({ ts, messageTs: stepTs, button: skip }));
    }
    throw new Error('no step that changes something in the DNS playbook');
  });

  it('replaces the pressed step card with the summary when a press ends the walkthrough', async () => {
    const { ts, card } = await diagnosed();
    const start = buttonsOf(card).find((b) => b.label === 'Start walkthrough') as ReturnType<typeof buttonsOf>[number];
    await since(() => press({ ts, messageTs: '1700000996.000001', button: start }));
    const stepTs = await tsOfLastStepCard();
    const stepCard = h.fake.ok('chat.postMessage').filter((c) => (c.args.metadata as { event_type?: string } | undefined)?.event_type === 'ehlo_step').at(-1);
    const stop = buttonsOf(stepCard?.args ?? {}).find((b) => b.label === 'Stop') as ReturnType<typeof buttonsOf>[number];
    const { calls } = await since(() => press({ ts, messageTs: stepTs, button: stop }));
    const updates = calls.filter((c) => c.method === 'chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.args.ts).toBe(stepTs);
    expect(textOf(updates[0]?.args ?? {})).toMatch(/stopped/i);
    expect(buttonsOf(updates[0]?.args ?? {})).toEqual([]);
  });

  it('reads a reply under ehlo\'s own message in context, even in a thread it does not remember', async () => {
    const parent = nextTs();
    const { calls } = await since(() => sendMessage(h, 'status', { thread_ts: parent, extra: { parent_user_id: BOT_USER } }));
    expect(calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.args.thread_ts)).toEqual([parent]);
  });

  it('reads a thread reply in the thread\'s context: a typed command is answered there', async () => {
    const { ts } = await diagnosed();
    const { calls } = await since(() => sendMessage(h, 'status', { thread_ts: ts }));
    const replies = calls.filter((c) => c.method === 'chat.postMessage');
    expect(replies.length).toBeGreaterThanOrEqual(1);
    expect(replies[0]?.args.thread_ts).toBe(ts);
    expect(textOf(replies[0]?.args ?? {})).toMatch(/No walkthrough in this thread/);
    // The same word in a thread ehlo is not in stays unread.
    const elsewhere = await since(() => sendMessage(h, 'status', { thread_ts: nextTs() }));
    expect(elsewhere.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  });
});

describe('/ehlo', () => {
  async function command(text: string, name: string): Promise<{ res: Response; ms: number }> {
    const started = Date.now();
    const res = await postSigned(h.url, commandBody(text, { responseUrl: h.fake.responseUrl(name) }), FORM);
    return { res, ms: Date.now() - started };
  }

  it('with nothing, or an unknown verb, answers help to the person only', async () => {
    const a = await command('', 'empty');
    const b = await command('frobnicate now', 'unknown');
    expect([a.res.status, b.res.status]).toEqual([200, 200]);
    await settle(h);
    const empty = h.fake.responses.find((r) => r.path === '/respond/empty');
    const unknown = h.fake.responses.find((r) => r.path === '/respond/unknown');
    expect(empty?.body.response_type).toBe('ephemeral');
    expect(textOf(empty?.body ?? {})).toContain('ehlo commands');
    expect(unknown?.body.response_type).toBe('ephemeral');
    expect(textOf(unknown?.body ?? {})).toContain('I do not know “frobnicate”');
  });

  it('match: acknowledged at once, the diagnosis in the thread of a message in the channel', async () => {
    const { calls, value } = await since(() => command(`match ${slackify(DNS_NDR)}`, 'match'));
    expect(value.res.status).toBe(200);
    expect(value.ms).toBeLessThan(3000);
    const posts = calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(2);
    expect(posts[0]?.args.thread_ts).toBeUndefined();
    expect(posts[1]?.args.thread_ts).toBeDefined();
    expect(posts[1]?.args.metadata).toMatchObject({ event_type: 'ehlo_diagnosis', event_payload: { playbook: 'dns-lookup-failed-next-hop' } });
  });

  it('probe: posts "running…" and updates that message with the result', async () => {
    const { calls, value } = await since(() => command('probe smtp mail.contoso.com', 'probe'));
    expect(value.ms).toBeLessThan(3000);
    const posts = calls.filter((c) => c.method === 'chat.postMessage');
    const updates = calls.filter((c) => c.method === 'chat.update');
    expect(textOf(posts[1]?.args ?? {})).toContain('Running smtp check');
    expect(updates).toHaveLength(1);
    expect(textOf(updates[0]?.args ?? {})).toMatch(/REFUSED/);
  });

  it('playbooks and start answer in a thread; status without a walkthrough here says so, to the person', async () => {
    const pb = await since(() => command('playbooks starttls', 'playbooks'));
    expect(pb.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(2);
    const st = await since(async () => {
      const res = await postSigned(h.url, commandBody('status', { responseUrl: h.fake.responseUrl('status'), channel: 'C0EMPTY' }), FORM);
      expect(res.status).toBe(200);
    });
    expect(st.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    expect(textOf(h.fake.responses.find((r) => r.path === '/respond/status')?.body ?? {})).toContain('no walkthrough');
  });
});

describe('the HTTP server', () => {
  it('serves /livez, /readyz and /metrics with Slack figures beside the events endpoint', async () => {
    const base = h.url.replace('/slack/events', '');
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/ehlo_replies_total\{channel="slack",op="post",result="ok"\} \d+/);
    expect(metrics).toMatch(/ehlo_events_total\{channel="slack",type="message",outcome="duplicate"\} \d+/);
  });
});
