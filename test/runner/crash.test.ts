// A runner killed with SIGKILL mid-job: it stops heart-beating, pg-boss's supervision fails the
// attempt and retries the job, another runner takes it and completes it, and the card shows one
// result. The dead runner's late completion of its attempt is rejected (pg-boss fences completions
// to the attempt that holds the claim), so the job completed exactly once. A runner stopped with
// SIGTERM mid-job hands the job back after its grace period, and another runner completes it.
import net from 'node:net';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres.ts';
import type { QueueExecutor } from '../../src/runner/queue-executor.ts';
import { queueName } from '../../src/runner/zones.ts';
import { harness, replyText } from '../conversation/helpers.ts';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/pg.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { startRawServer, startSmtp, type Listening } from '../helpers/smtp.ts';
import { dropQueueSchema, replicaExecutor, startRunner, testRunners, uniqueQueueSchema, until, type RunnerChild } from './helpers.ts';

describe.runIf(PG_URL)('a runner killed mid-job', () => {
  const schema = uniqueSchema();
  const queueSchema = uniqueQueueSchema();
  // Heartbeat 10 s (pg-boss's least), supervision every second: the job moves on ~11 s after the kill.
  const runners = testRunners(queueSchema, { zones: ['*=edge'], deadlineMs: 60_000, heartbeatSeconds: 10, retryLimit: 1 });
  let store: PostgresStore;
  let executor: QueueExecutor;
  let smtp: Listening;
  let front: Listening;
  const runnersUp: RunnerChild[] = [];
  let connections = 0;
  const probes = { allow: ['127.0.0.0/8'], timeouts: { connectMs: 2_000, readMs: 40_000, totalMs: 50_000 } };

  beforeAll(async () => {
    store = new PostgresStore({ url: PG_URL, schema });
    executor = replicaExecutor(runners, testConfig());
    await executor.ready();
    smtp = await startSmtp();
    // The first connection stalls (the runner that takes it is killed); later ones reach the SMTP server.
    front = await startRawServer((s) => {
      connections++;
      if (connections === 1) return;
      const back = net.connect(smtp.port, '127.0.0.1');
      back.on('error', () => s.destroy());
      s.pipe(back).pipe(s);
    });
    for (const name of ['edge-1', 'edge-2']) runnersUp.push(await startRunner({ zone: 'edge', name, url: PG_URL, runners, probes }));
  }, 60_000);

  afterAll(async () => {
    for (const r of runnersUp) await r.stop();
    await executor?.close();
    await front?.close();
    await smtp?.close();
    await store?.close();
    await dropQueueSchema(queueSchema);
    await dropSchema(schema);
  }, 60_000);

  /** Probe through the front server, stop the runner holding the job with `signal`, check the survivor finished it once. */
  async function stopMidJob(signal: NodeJS.Signals, thread: string): Promise<void> {
    connections = 0;
    // The runner holding the job logs it (its log is a pipe: nothing is lost, unlike progress NOTIFYs).
    const taken = (r: RunnerChild): number => r.stderr().split('probe job taken').length - 1;
    const before = new Map(runnersUp.map((r) => [r, taken(r)]));
    const h = harness(store, testConfig(), thread, undefined, { executor });
    const running = h.say(`probe smtp 127.0.0.1:${front.port}`);
    await until(() => connections === 1, 'the first runner to connect');
    const card = h.sink.posted.find((r) => r.kind === 'probe')!;
    await until(() => runnersUp.some((r) => taken(r) > before.get(r)!), 'a runner to log that it took the job');
    const victim = runnersUp.find((r) => taken(r) > before.get(r)!)!;
    const survivor = runnersUp.find((r) => r !== victim)!;
    await victim.stop(signal);
    runnersUp.splice(runnersUp.indexOf(victim), 1);
    await running;
    const updates = h.sink.updated.filter((r) => r.id === card.id).map(replyText);
    const finals = updates.filter((t) => !/^Running /m.test(t));
    expect(finals).toHaveLength(1);
    expect(finals[0]).toMatch(/^smtp 127\.0\.0\.1:\d+: (PASS|WARN|FAIL) \(\d+ ms\)/);
    expect(finals[0]).toContain(`probed by runner ${survivor.name} in zone edge`);
    expect(connections).toBe(2);

    // In pg-boss: one job, completed by the survivor on its second attempt.
    const boss = new PgBoss({ connectionString: PG_URL, schema: queueSchema, supervise: false, schedule: false, migrate: false, createSchema: false, registerInstance: false });
    await boss.start();
    try {
      const jobs = await boss.findJobs<unknown>(queueName('edge'), {});
      const job = jobs.at(-1);
      expect(job?.state).toBe('completed');
      expect(job?.retryCount).toBe(1);
      expect((job?.output as { runner?: string }).runner).toBe(survivor.name);
      // The dead runner's attempt (retryCount 0) completing late is rejected and changes nothing.
      const late = (await boss.complete(queueName('edge'), { id: job!.id, retryCount: 0 }, { kind: 'result', runner: victim.name })) as { affected?: number };
      expect(late.affected).toBe(0);
      const [again] = await boss.findJobs<unknown>(queueName('edge'), { id: job!.id });
      expect((again?.output as { runner?: string }).runner).toBe(survivor.name);
    } finally {
      await boss.stop({ graceful: false, close: true });
    }
  }

  it('retries the job of a SIGKILLed runner on another runner and completes it once', () => stopMidJob('SIGKILL', 'slack:T1:C3:3.3'), 60_000);

  it('hands the job of a runner stopped with SIGTERM back after its grace, and another runner completes it', async () => {
    runnersUp.push(await startRunner({ zone: 'edge', name: 'edge-3', url: PG_URL, runners, probes }));
    await stopMidJob('SIGTERM', 'slack:T1:C3:3.4');
  }, 60_000);
});
