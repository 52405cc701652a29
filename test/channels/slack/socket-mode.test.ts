// Socket Mode (SLACK_APP_TOKEN, no signing secret): apps.connections.open with the app token, a
// WebSocket to the URL it gave, envelopes acknowledged by envelope_id, replies through the Web API.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { APP_TOKEN, BOT_USER, TEAM } from './fake-slack.ts';
import { settle, startHarness, type Harness } from './harness.ts';

const NDR = "Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=&lt;<http://libsisimai.org|libsisimai.org>&gt;]'";
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ socketMode: true });
  await h.fake.socketConnected();
}, 30_000);
afterAll(async () => {
  await h?.close();
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('connects with the app token and answers an events_api envelope, acknowledging it first', async () => {
  expect(h.slack.socketMode).toBe(true);
  const open = h.fake.of('apps.connections.open');
  expect(open.map((c) => c.auth)).toEqual([`Bearer ${APP_TOKEN}`]);
  h.fake.socketSend({
    envelope_id: 'env-1', type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '',
    payload: { token: 't', team_id: TEAM, api_app_id: 'A0EHLO', type: 'event_callback', event_id: 'EvSOCK1', event_time: 1, authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: BOT_USER, is_bot: true }],
      event: { type: 'message', user: 'U0ALICE', text: NDR, ts: '1800009999.000100', channel: 'C0SOCK', channel_type: 'channel', event_ts: '1800009999.000100', team: TEAM } },
  });
  await until(() => h.fake.socketAcks.some((a) => a.envelope_id === 'env-1'));
  await until(() => h.fake.ok('chat.postMessage').length > 0);
  await settle(h);
  const post = h.fake.ok('chat.postMessage')[0];
  expect(post?.args.thread_ts).toBe('1800009999.000100');
  expect(post?.args.metadata).toMatchObject({ event_type: 'ehlo_diagnosis', event_payload: { playbook: 'dns-lookup-failed-next-hop' } });
});

it('acknowledges a slash command envelope and answers /ehlo help to the person', async () => {
  h.fake.socketSend({
    envelope_id: 'env-2', type: 'slash_commands', accepts_response_payload: true,
    payload: { token: 't', team_id: TEAM, channel_id: 'C0SOCK', user_id: 'U0ALICE', user_name: 'alice', command: '/ehlo', text: 'help', api_app_id: 'A0EHLO', response_url: h.fake.responseUrl('sock-help'), trigger_id: '1.2.sock' },
  });
  await until(() => h.fake.socketAcks.some((a) => a.envelope_id === 'env-2'));
  await until(() => h.fake.responses.some((r) => r.path === '/respond/sock-help'));
  expect(h.fake.responses.find((r) => r.path === '/respond/sock-help')?.body.response_type).toBe('ephemeral');
});
