// Socket Mode (SLACK_APP_TOKEN, no signing secret): apps.connections.open with the app token, a
// WebSocket to the URL it gave, envelopes acknowledged by envelope_id, replies through the Web API.
// An events_api envelope is acknowledged only once its event is durable (SlackSocketReceiver), so a
// replica that dies first never acknowledged it and Slack delivers it again.
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { APP_TOKEN, BOT_USER, TEAM } from './fake-slack.ts';
import { settle, startHarness, type Harness } from './harness.ts';

const NDR = "Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=&lt;<http://libsisimai.org|libsisimai.org>&gt;]'";
/** The same bounce as a snippet holds it: the text as pasted, without Slack's escaping and links. */
const PASTE = "Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=<libsisimai.org>]'";
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ socketMode: true });
  await h.fake.socketConnected();
}, 30_000);
afterAll(async () => {
  await h?.close();
});

/** Whether the store holds the event's delivery claim: committed with its writes and replies. */
function committed(eventId: string): boolean {
  const db = new DatabaseSync(h.rt.config.store.sqlitePath as string, { readOnly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM deliveries WHERE key LIKE ?').get(`%|${eventId}`) as { n: number }).n > 0;
  } finally {
    db.close();
  }
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('connects with the app token and answers an events_api envelope', async () => {
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

it('acknowledges an app_mention envelope only once the event is committed; a retry of it is acknowledged and not answered again', async () => {
  const ts = '1800009999.000200';
  // The paste comes as a snippet, so handling the event waits for files.info, which the fake holds.
  h.fake.files.set('F0SOCK', { id: 'F0SOCK', name: 'Untitled', mode: 'snippet', filetype: 'text', mimetype: 'text/plain', content: PASTE });
  const envelope = (id: string, attempt: number, reason: string) => ({
    envelope_id: id, type: 'events_api', accepts_response_payload: false, retry_attempt: attempt, retry_reason: reason,
    payload: { token: 't', team_id: TEAM, api_app_id: 'A0EHLO', type: 'event_callback', event_id: 'EvSOCK2', event_time: 1, authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: BOT_USER, is_bot: true }],
      event: { type: 'app_mention', user: 'U0ALICE', text: `<@${BOT_USER}> what is this?`, files: [{ id: 'F0SOCK', mode: 'snippet', file_access: 'check_file_info' }], ts, channel: 'C0SOCK', event_ts: ts, team: TEAM } },
  });
  const acked = (id: string) => h.fake.socketAcks.some((a) => a.envelope_id === id);
  const replies = () => h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200 && c.args.thread_ts === ts);
  // What the store held when each ack reached Slack (looked at as it arrives, before anything else runs).
  const atAck = new Map<string, boolean>();
  h.fake.onSocketAck = (a) => atAck.set(a.envelope_id, committed('EvSOCK2'));
  const gate = h.fake.hold('files.info');
  h.fake.socketSend(envelope('env-3', 0, ''));
  await gate.arrived;
  // Everything the client wrote before answering this ping has arrived: no ack while the event is in hand.
  await h.fake.socketRoundTrip();
  expect(acked('env-3')).toBe(false);
  gate.release();
  await until(() => acked('env-3'));
  expect(atAck.get('env-3')).toBe(true);
  await settle(h);
  const [post] = replies();
  expect(post?.args.metadata).toMatchObject({ event_type: 'ehlo_diagnosis', event_payload: { playbook: 'dns-lookup-failed-next-hop' } });

  h.fake.socketSend(envelope('env-4', 1, 'timeout'));
  await until(() => acked('env-4'));
  await settle(h);
  expect(replies()).toHaveLength(1);
  h.fake.onSocketAck = undefined;
});

it('acknowledges an event still in hand at the deadline anyway, and answers it when it is done', async () => {
  const ts = '1800009999.000300';
  h.fake.files.set('F0SLOW', { id: 'F0SLOW', name: 'Untitled', mode: 'snippet', filetype: 'text', mimetype: 'text/plain', content: PASTE });
  const gate = h.fake.hold('files.info');
  h.fake.socketSend({
    envelope_id: 'env-5', type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '',
    payload: { token: 't', team_id: TEAM, api_app_id: 'A0EHLO', type: 'event_callback', event_id: 'EvSOCK3', event_time: 1, authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: BOT_USER, is_bot: true }],
      event: { type: 'app_mention', user: 'U0ALICE', text: `<@${BOT_USER}> and this one?`, files: [{ id: 'F0SLOW', mode: 'snippet', file_access: 'check_file_info' }], ts, channel: 'C0SOCK', event_ts: ts, team: TEAM } },
  });
  await gate.arrived;
  // files.info is never answered meanwhile: only the receiver's deadline can ack the envelope.
  await until(() => h.fake.socketAcks.some((a) => a.envelope_id === 'env-5'), 10_000);
  expect(committed('EvSOCK3')).toBe(false);
  gate.release();
  await settle(h);
  expect(h.fake.ok('chat.postMessage').filter((c) => c.args.thread_ts === ts)).toHaveLength(1);
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
