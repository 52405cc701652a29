// Every part in its own process: two `ehlo start` replicas (Slack, through the fake Slack API) on one
// PostgreSQL with EHLO_PROBE_ZONES set, and an `ehlo runner` for the zone. A probe asked on replica A
// runs on the runner and its result replaces A's card; a Cancel pressed on replica B stops the probe
// the runner holds (the loopback server sees the close) and the card says cancelled; SIGTERM stops
// both replicas cleanly. A replica killed while waiting for its runner leaves the check to another
// replica, which shows the result on the card after the deadline.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN, BOT_USER, FakeSlack } from '../channels/slack/fake-slack.ts';
import { buttonsOf, eventEnvelope, FORM, postSigned, pressBody, SIGNING_SECRET, textOf } from '../channels/slack/harness.ts';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/pg.ts';
import { startRawServer, startSmtp, type Listening } from '../helpers/smtp.ts';
import { dropQueueSchema, replicaExecutor, startRunner, testRunners, uniqueQueueSchema, until, type RunnerChild } from './helpers.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { replicaEnv, spawnSlackReplica, type StartedEhlo } from '../helpers/ehlo-start.ts';

const CHANNEL = 'C0MAILFLOW';

type Replica = StartedEhlo;

describe.runIf(PG_URL)('replicas and a runner in separate processes', () => {
  const schema = uniqueSchema();
  const queueSchema = uniqueQueueSchema();
  const runners = testRunners(queueSchema, { zones: ['*=edge'] });
  let fake: FakeSlack;
  let smtp: Listening;
  let staller: Listening;
  let slow: Listening;
  let slowConnections = 0;
  const counts = { connections: 0, closed: 0 };
  // The replicas' own runners settings (zones come from EHLO_PROBE_ZONES): a short deadline, so an
  // orphaned check is adopted within seconds.
  const dir = mkdtempSync(join(tmpdir(), 'ehlo-replicas-'));
  const replicaConfig = join(dir, 'ehlo.config.yaml');
  writeFileSync(replicaConfig, 'runners:\n  deadlineMs: 6000\n  pollMs: 100\n  superviseSeconds: 1\n');
  const replicas: Replica[] = [];
  let runner: RunnerChild;

  async function startReplica(): Promise<Replica> {
    const env = replicaEnv(schema, {
      EHLO_CONFIG: replicaConfig,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      EHLO_PROBE_ZONES: '*=edge',
      EHLO_QUEUE_SCHEMA: queueSchema,
      // The replica's own allowlist lets loopback through; the runner's decides.
      EHLO_PROBE_ALLOW: '127.0.0.0/8',
    });
    return spawnSlackReplica(env);
  }

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    smtp = await startSmtp();
    // Greets 2.5 s after the connection (then it is the real SMTP server).
    slow = await startRawServer((s) => {
      slowConnections++;
      setTimeout(() => {
        const back = net.connect(smtp.port, '127.0.0.1');
        back.on('error', () => s.destroy());
        s.pipe(back).pipe(s);
      }, 2_500);
    });
    staller = await startRawServer((s: net.Socket) => {
      counts.connections++;
      s.on('close', () => counts.closed++);
    });
    // Install the queue schema the way a replica does, so the runner can start first.
    const installer = replicaExecutor(runners, testConfig());
    await installer.ready();
    await installer.close();
    runner = await startRunner({ zone: 'edge', name: 'edge-1', url: PG_URL, runners, probes: { allow: ['127.0.0.0/8'], timeouts: { connectMs: 2_000, readMs: 25_000, totalMs: 30_000 } } });
    replicas.push(await startReplica(), await startReplica());
  }, 90_000);

  afterAll(async () => {
    for (const r of replicas) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await runner?.stop();
    await fake?.close();
    await smtp?.close();
    await staller?.close();
    await slow?.close();
    rmSync(dir, { recursive: true, force: true });
    await dropQueueSchema(queueSchema);
    await dropSchema(schema);
  }, 60_000);

  const updatesWith = (pattern: RegExp) => fake.ok('chat.update').filter((c) => pattern.test(textOf(c.args)));

  it('runs a probe asked on one replica on the runner, and the result replaces the card', async () => {
    const asked = eventEnvelope(`<@${BOT_USER}> probe smtp 127.0.0.1:${smtp.port}`, { type: 'app_mention' });
    expect((await postSigned(replicas[0]!.url, asked.body, 'application/json')).status).toBe(200);
    await until(() => updatesWith(/probed by runner edge-1 in zone edge/).length > 0, 'the result card', 30_000);
    expect(textOf(updatesWith(/probed by runner edge-1/)[0]!.args)).toMatch(/smtp 127\.0\.0\.1:\d+: (PASS|WARN|FAIL)/);
  }, 40_000);

  it('stops the runner\'s probe when Cancel is pressed on the other replica', async () => {
    const asked = eventEnvelope(`<@${BOT_USER}> probe smtp 127.0.0.1:${staller.port}`, { type: 'app_mention' });
    await postSigned(replicas[0]!.url, asked.body, 'application/json');
    await until(() => counts.connections === 1, 'the runner to connect', 30_000);
    const card = fake.ok('chat.postMessage').find((c) => textOf(c.args).includes(`${staller.port}`) && buttonsOf(c.args).some((b) => b.label === 'Cancel'))!;
    const cancel = buttonsOf(card.args).find((b) => b.label === 'Cancel')!;
    const pressed = pressBody({ user: 'U0BOB', userName: 'bob', channel: CHANNEL, messageTs: String(card.response?.ts), threadTs: asked.ts, blockId: cancel.blockId, actionId: cancel.actionId, value: cancel.value, label: cancel.label });
    expect((await postSigned(replicas[1]!.url, pressed, FORM)).status).toBe(200);
    await until(() => counts.closed === 1, 'the loopback server to see the connection closed', 20_000);
    await until(() => updatesWith(/CANCELLED by/).length > 0, 'the card to say cancelled', 20_000);
  }, 60_000);

  it('shows the result in the thread from another replica when the one waiting for the runner is killed', async () => {
    const doomed = await startReplica();
    const asked = eventEnvelope(`<@${BOT_USER}> probe smtp 127.0.0.1:${slow.port}`, { type: 'app_mention' });
    await postSigned(doomed.url, asked.body, 'application/json');
    await until(() => slowConnections === 1, 'the runner to connect', 30_000);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const card = fake.ok('chat.postMessage').find((c) => textOf(c.args).includes(`${slow.port}`) && buttonsOf(c.args).some((b) => b.label === 'Cancel'))!;
    // After the 6 s deadline and the adopt delay, a surviving replica shows the runner's result on the
    // card that said "running…" (which message that is, the store knows): chat.update, no new reply.
    const about = (c: { args: Record<string, unknown> }) => /probed by runner edge-1 in zone edge/.test(textOf(c.args)) && textOf(c.args).includes(`${slow.port}`);
    const results = () => fake.messages().filter((c) => about(c) && (c.args.thread_ts === asked.ts || c.args.ts === card.response?.ts));
    await until(() => results().length > 0, 'a surviving replica to show the result', 30_000);
    expect(card).toBeDefined();
    expect(textOf(results()[0]!.args)).toMatch(/smtp 127\.0\.0\.1:\d+: (PASS|WARN|FAIL)/);
    expect(results().map((c) => [c.method, c.args.ts])).toEqual([['chat.update', card.response?.ts]]);
    expect(slowConnections).toBe(1);
  }, 60_000);

  it('stops both replicas cleanly on SIGTERM', async () => {
    for (const r of replicas) r.child.kill('SIGTERM');
    for (const r of replicas) expect(await r.exited).toBe(0);
  }, 60_000);
});
