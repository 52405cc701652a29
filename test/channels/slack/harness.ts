// The whole of ehlo with Slack, as `ehlo start` builds it (createRuntime + serve), on 127.0.0.1 with
// a temporary SQLite store and the Web API pointed at a loopback fake. Requests are signed with
// Slack's real v0 scheme and sent over HTTP to POST /slack/events.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { SlackChannel } from '../../../src/channels/slack/channel.ts';
import { EhloConfig } from '../../../src/config.ts';
import { createRuntime, serve, type Runtime, type Served } from '../../../src/server/runtime.ts';
import { APP_TOKEN, BOT_TOKEN, BOT_USER, FakeSlack, TEAM } from './fake-slack.ts';

export const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';

export interface Harness {
  fake: FakeSlack;
  rt: Runtime;
  served: Served;
  slack: SlackChannel;
  url: string;
  close(): Promise<void>;
}

export async function startHarness(overrides: { databaseUrl?: string; schema?: string; socketMode?: boolean; fake?: FakeSlack; config?: Record<string, unknown> } = {}): Promise<Harness> {
  const fake = overrides.fake ?? (await new FakeSlack().start());
  const dir = mkdtempSync(join(tmpdir(), 'ehlo-slack-'));
  const config = EhloConfig.parse({
    store: overrides.databaseUrl ? { databaseUrl: overrides.databaseUrl, ...(overrides.schema && { schema: overrides.schema }) } : { sqlitePath: join(dir, 'ehlo.sqlite') },
    server: { port: 0, host: '127.0.0.1' },
    slack: overrides.socketMode ? { botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: fake.apiUrl } : { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl },
    logging: { level: 'silent' },
    ...overrides.config,
  });
  const rt = createRuntime(config, { logger: pino({ level: process.env.EHLO_TEST_LOG ?? 'silent' }) });
  const served = await serve(rt, ['slack']);
  const slack = served.channels[0] as SlackChannel;
  return {
    fake,
    rt,
    served,
    slack,
    url: `http://127.0.0.1:${served.port}/slack/events`,
    async close() {
      await served.stop();
      if (!overrides.fake) await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sign(body: string, timestamp = Math.floor(Date.now() / 1000), secret = SIGNING_SECRET): Record<string, string> {
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sig };
}

export async function postSigned(url: string, body: string, contentType: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...sign(body), ...headers }, body });
}

let eventSeq = 0;

export interface MessageOptions {
  channel?: string;
  user?: string;
  ts?: string;
  thread_ts?: string;
  subtype?: string;
  bot_id?: string;
  channel_type?: string;
  files?: unknown[];
  blocks?: unknown[];
  type?: 'message' | 'app_mention';
  eventId?: string;
  extra?: Record<string, unknown>;
}

let tsSeq = 0;
export function nextTs(): string {
  tsSeq++;
  return `1800000${String(tsSeq).padStart(3, '0')}.${String(tsSeq * 7).padStart(6, '0')}`;
}

/** An Events API envelope (event_callback) as Slack sends it. */
export function eventEnvelope(text: string, o: MessageOptions = {}): { body: string; eventId: string; ts: string } {
  const eventId = o.eventId ?? `Ev${String(++eventSeq).padStart(8, '0')}`;
  const ts = o.ts ?? nextTs();
  const event: Record<string, unknown> = {
    type: o.type ?? 'message',
    ...(o.subtype && { subtype: o.subtype }),
    ...(o.user !== undefined ? { user: o.user } : { user: 'U0ALICE' }),
    ...(o.bot_id && { bot_id: o.bot_id }),
    text,
    ts,
    ...(o.thread_ts && { thread_ts: o.thread_ts }),
    channel: o.channel ?? 'C0MAILFLOW',
    channel_type: o.channel_type ?? 'channel',
    event_ts: ts,
    team: TEAM,
    ...(o.files && { files: o.files }),
    ...(o.blocks && { blocks: o.blocks }),
    ...o.extra,
  };
  if (!o.subtype && event.type === 'message') event.client_msg_id = `c${eventSeq}-0000-4000-8000-000000000000`;
  const body = JSON.stringify({
    token: 'legacy-verification-token',
    team_id: TEAM,
    api_app_id: 'A0EHLO',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${eventId}`,
  });
  return { body, eventId, ts };
}

export async function sendMessage(h: Harness, text: string, o: MessageOptions = {}): Promise<{ res: Response; ts: string; eventId: string }> {
  const env = eventEnvelope(text, o);
  const res = await postSigned(h.url, env.body, 'application/json');
  return { res, ts: env.ts, eventId: env.eventId };
}

export function commandBody(text: string, o: { user?: string; userName?: string; channel?: string; responseUrl: string; trigger?: string }): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: TEAM,
    team_domain: 'ehlo-test',
    channel_id: o.channel ?? 'C0MAILFLOW',
    channel_name: 'mail-flow',
    user_id: o.user ?? 'U0ALICE',
    user_name: o.userName ?? 'alice',
    command: '/ehlo',
    text,
    api_app_id: 'A0EHLO',
    is_enterprise_install: 'false',
    response_url: o.responseUrl,
    trigger_id: o.trigger ?? `${Date.now()}.${Math.floor(Math.random() * 1e9)}.abcdef0123456789`,
  }).toString();
}

let trigger = 0;

/** A block_actions payload for pressing a button of a message the fake recorded. */
export function pressBody(o: { user: string; userName: string; channel: string; messageTs: string; threadTs?: string; blockId: string; actionId: string; value: string; label: string }): string {
  const payload = {
    type: 'block_actions',
    user: { id: o.user, username: o.userName, name: o.userName, team_id: TEAM },
    api_app_id: 'A0EHLO',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: o.messageTs, channel_id: o.channel, is_ephemeral: false, ...(o.threadTs && { thread_ts: o.threadTs }) },
    trigger_id: `${Date.now()}.${++trigger}.feedface`,
    team: { id: TEAM, domain: 'ehlo-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: o.channel, name: 'mail-flow' },
    message: { type: 'message', subtype: 'bot_message', text: 'card', ts: o.messageTs, bot_id: 'B0EHLOBOT', ...(o.threadTs && { thread_ts: o.threadTs }) },
    state: { values: {} },
    response_url: `http://127.0.0.1:1/unused/${trigger}`,
    actions: [{ action_id: o.actionId, block_id: o.blockId, text: { type: 'plain_text', text: o.label, emoji: false }, value: o.value, type: 'button', action_ts: `${Date.now() / 1000}` }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export const FORM = 'application/x-www-form-urlencoded';

/** Wait for everything the channel took to be handled and delivered. */
export async function settle(h: Harness): Promise<void> {
  await h.slack.idle();
  await h.rt.core.drain();
  await h.slack.idle();
}

interface BlockLike {
  type: string;
  block_id?: string;
  elements?: Array<{ action_id?: string; value?: string; text?: { text?: string }; confirm?: unknown }>;
}

/** The buttons of a recorded message: what a person could press. */
export function buttonsOf(args: Record<string, unknown>): Array<{ blockId: string; actionId: string; value: string; label: string; confirm?: unknown }> {
  const blocks = (args.blocks ?? []) as BlockLike[];
  return blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []).map((e) => ({ blockId: b.block_id ?? '', actionId: e.action_id ?? '', value: e.value ?? '', label: e.text?.text ?? '', confirm: e.confirm })) : []));
}

/** All the text in a recorded call, for searching. */
export function textOf(args: Record<string, unknown>): string {
  return JSON.stringify(args);
}
