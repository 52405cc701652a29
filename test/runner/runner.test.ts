// A runner in its own process takes the probe job a conversation core in this process posted, runs it
// against a loopback SMTP server through its OWN allowlist, and the result reaches the thread's card;
// a target its allowlist refuses comes back refused, naming the runner; targets go to the zone their
// pattern names; the runner serves /livez /readyz /metrics with its queue figures. The runners use a
// role limited to the queue schema, with exactly the grants README "Probe runners" lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { EhloConfig } from '../../src/config.ts';
import { createRuntime } from '../../src/server/runtime.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import type { QueueExecutor } from '../../src/runner/queue-executor.ts';
import { harness, Recorder, replyText } from '../conversation/helpers.ts';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/pg.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { makeCa, makeCert } from '../helpers/certs.ts';
import { startSmtp, type Listening } from '../helpers/smtp.ts';
import { dropQueueSchema, replicaExecutor, runnerRole, startRunner, testRunners, uniqueQueueSchema, type RunnerChild } from './helpers.ts';

const runnerTimeouts = { connectMs: 2_000, readMs: 2_000, totalMs: 10_000, dnsMs: 1_000, dnsblZoneMs: 500, slowBannerMs: 1_000 };

describe.runIf(PG_URL)('probe runners', () => {
  const schema = uniqueSchema();
  const queueSchema = uniqueQueueSchema();
  // dmz probes "localhost"; everything else goes to edge, whose allowlist has no loopback range.
  const runners = testRunners(queueSchema, { zones: ['localhost=dmz', '*=edge'] });
  let store: PostgresStore;
  let executor: QueueExecutor;
  let role: Awaited<ReturnType<typeof runnerRole>>;
  let smtp: Listening;
  const children: RunnerChild[] = [];

  beforeAll(async () => {
    store = new PostgresStore({ url: PG_URL, schema });
    // The replica's own policy allows loopback: any refusal below is the runner's.
    executor = replicaExecutor(runners, testConfig());
    await executor.ready();
    role = await runnerRole(queueSchema);
    const ca = await makeCa('ehlo runner CA');
    smtp = await startSmtp({ tls: await makeCert({ names: ['localhost'], ca }), name: 'localhost' });
    children.push(await startRunner({ zone: 'dmz', name: 'dmz-1', url: role.url, runners, probes: { allow: ['localhost', '127.0.0.0/8'], timeouts: runnerTimeouts, extraCaPem: [ca.cert] } }));
    children.push(await startRunner({ zone: 'edge', name: 'edge-1', url: role.url, runners, probes: { allow: ['192.0.2.0/24'], timeouts: runnerTimeouts } }));
  }, 60_000);

  afterAll(async () => {
    for (const c of children) await c.stop();
    await executor?.close();
    await smtp?.close();
    await store?.close();
    await role?.drop();
    await dropQueueSchema(queueSchema);
    await dropSchema(schema);
  }, 60_000);

  it('runs a posted job on the runner of its zone and shows the result in the thread', async () => {
    const h = harness(store, testConfig(), 'slack:T1:C1:1.1', undefined, { executor });
    await h.say(`probe smtp localhost:${smtp.port}`);
    const card = h.sink.posted.find((r) => r.kind === 'probe')!;
    const updates = h.sink.updated.filter((r) => r.id === card.id).map(replyText);
    expect(updates.join('\n')).toMatch(/running on runner dmz-1 in zone dmz/);
    expect(updates.at(-1)).toMatch(/^smtp localhost:\d+: (PASS|WARN) \(\d+ ms\)/);
    expect(updates.at(-1)).toMatch(/STARTTLS/);
  }, 30_000);

  it('refuses on the runner whose allowlist refuses, and the refusal reaches the thread', async () => {
    const h = harness(store, testConfig(), 'slack:T1:C1:2.2', undefined, { executor });
    await h.say(`probe smtp 127.0.0.1:${smtp.port}`);
    const card = h.sink.posted.find((r) => r.kind === 'probe')!;
    const last = replyText(h.sink.updated.filter((r) => r.id === card.id).at(-1)!);
    expect(last).toMatch(/REFUSED/);
    expect(last).toMatch(/loopback address.*the policy of runner edge-1 in zone edge/);
    expect(last).toMatch(/refused by runner edge-1 in zone edge/);
  }, 30_000);

  it('routes each target to the zone its first matching pattern names', () => {
    expect(executor.zoneOf({ kind: 'smtp', target: 'localhost:25' })).toBe('dmz');
    expect(executor.zoneOf({ kind: 'smtp', target: '127.0.0.1:25' })).toBe('edge');
    expect(executor.zoneOf({ kind: 'dns', target: 'contoso.com' })).toBe('edge');
  });

  it('serves health and metrics: jobs per zone and status, queue depth, oldest job age', async () => {
    const dmz = children[0]!;
    const live = await fetch(`http://127.0.0.1:${dmz.port}/livez`);
    expect(live.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${dmz.port}/readyz`);
    expect(await ready.text()).toMatch(/^ready: zone dmz, queue probe\.dmz/);
    const text = await (await fetch(`http://127.0.0.1:${dmz.port}/metrics`)).text();
    expect(text).toMatch(/ehlo_runner_jobs_total\{zone="dmz",status="(pass|warn)"\} 1/);
    expect(text).toMatch(/ehlo_runner_queue_depth\{zone="dmz"\} 0/);
    expect(text).toMatch(/ehlo_runner_oldest_job_seconds\{zone="dmz"\} 0/);
    const edge = await (await fetch(`http://127.0.0.1:${children[1]!.port}/metrics`)).text();
    expect(edge).toMatch(/ehlo_runner_jobs_total\{zone="edge",status="refused"\} 1/);
  }, 30_000);

  it('is wired by the runtime when runners.zones is set: the replica core sends matching probes to the runners', async () => {
    const config = EhloConfig.parse({ store: { databaseUrl: PG_URL, schema }, probes: { allow: ['127.0.0.0/8', 'localhost'] }, runners });
    const rt = createRuntime(config, { logger: pino({ level: 'silent' }) });
    try {
      expect(rt.queue).toBeDefined();
      expect(await rt.queue!.health()).toMatchObject({ ok: true });
      const sink = new Recorder();
      await rt.core.handle({ type: 'message', thread: 'slack:T1:C1:5.5', actor: { id: 'U1', name: 'Ann' }, text: `probe smtp localhost:${smtp.port}` }, sink);
      const card = sink.posted.find((r) => r.kind === 'probe')!;
      const texts = sink.updated.filter((r) => r.id === card.id).map(replyText);
      expect(texts.join('\n')).toMatch(/running on runner dmz-1 in zone dmz/);
      expect(texts.at(-1)).toMatch(/^smtp localhost:\d+: (PASS|WARN)/);
      expect(texts.at(-1)).toMatch(/probed by runner dmz-1 in zone dmz/);
    } finally {
      await rt.close();
    }
    // Without zones the runtime runs probes in process, as before.
    const plain = createRuntime(EhloConfig.parse({ store: { databaseUrl: PG_URL, schema } }), { logger: pino({ level: 'silent' }) });
    expect(plain.queue).toBeUndefined();
    await plain.close();
  }, 30_000);
});
