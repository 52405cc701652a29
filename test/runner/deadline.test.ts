// Job deadlines: a result that would arrive after the deadline is dropped and the card says the check
// timed out (the job is cancelled, so the late completion is rejected); a runner that takes a job
// after its deadline does not run it; a malformed job is refused by the runner.
import { PgBoss } from 'pg-boss';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres.ts';
import type { QueueExecutor } from '../../src/runner/queue-executor.ts';
import { Runner } from '../../src/runner/runner.ts';
import { QueueExecutor as Executor } from '../../src/runner/queue-executor.ts';
import { InProcessExecutor } from '../../src/probes/executor.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import { zoneMapOf } from '../../src/runner/config.ts';
import { ensureQueue } from '../../src/runner/boss.ts';
import { queueName } from '../../src/runner/zones.ts';
import { harness, replyText } from '../conversation/helpers.ts';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/pg.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { dropQueueSchema, replicaExecutor, testRunners, uniqueQueueSchema, until } from './helpers.ts';

describe.runIf(PG_URL)('probe job deadlines', () => {
  const schema = uniqueSchema();
  const queueSchema = uniqueQueueSchema();
  const runners = testRunners(queueSchema, { zones: ['*=slow'], deadlineMs: 1_500 });
  let store: PostgresStore;
  let executor: QueueExecutor;
  let boss: PgBoss;

  beforeAll(async () => {
    store = new PostgresStore({ url: PG_URL, schema });
    executor = replicaExecutor(runners, testConfig());
    await executor.ready();
    boss = new PgBoss({ connectionString: PG_URL, schema: queueSchema, supervise: false, schedule: false, migrate: false, createSchema: false, registerInstance: false });
    await boss.start();
  }, 60_000);

  afterAll(async () => {
    await boss?.stop({ graceful: false, close: true });
    await executor?.close();
    await store?.close();
    await dropQueueSchema(queueSchema);
    await dropSchema(schema);
  }, 60_000);

  it('drops a result that comes after the deadline and says the check timed out', async () => {
    // A worker that answers a passing result, but only after the deadline.
    const settled: string[] = [];
    await boss.work<unknown>(queueName('slow'), { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      await new Promise((r) => setTimeout(r, 2_500));
      settled.push(job!.id);
      return { kind: 'result', runner: 'late-1', zone: 'slow', result: { probe: 'smtp', target: '127.0.0.1:25', startedAt: new Date().toISOString(), ms: 1, status: 'pass', findings: [], transcript: [] } };
    });
    const h = harness(store, testConfig(), 'slack:T1:C4:4.4', undefined, { executor });
    await h.say('probe smtp 127.0.0.1:25');
    const card = h.sink.posted.find((r) => r.kind === 'probe')!;
    const last = replyText(h.sink.updated.filter((r) => r.id === card.id).at(-1)!);
    expect(last).toMatch(/^smtp 127\.0\.0\.1:25: ERROR/);
    expect(last).toMatch(/the check timed out: no runner in zone slow returned a result within 2 s; a later result is dropped/);
    expect(last).not.toMatch(/PASS/);
    await until(() => settled.length === 1, 'the late worker to answer', 10_000);
    await boss.offWork(queueName('slow'));
    const [job] = await boss.findJobs<unknown>(queueName('slow'), {});
    // Cancelled at the deadline: the late completion did not land.
    expect(job?.state).toBe('cancelled');
    expect((job?.output as { runner?: string } | null)?.runner).toBeUndefined();
  }, 30_000);

  it('a runner answers "expired" for a job taken after its deadline, and refuses malformed jobs', async () => {
    const runner = new Runner({ zone: 'late', url: PG_URL, runners: { ...runners, retryLimit: 0 }, probes: testConfig(), logger: pino({ level: 'silent' }), name: 'late-runner' });
    await ensureQueue(boss, 'late', { ...runners, retryLimit: 0 });
    const expired = await boss.send(queueName('late'), { request: { kind: 'smtp', target: '127.0.0.1:25' }, deadline: Date.now() - 1_000, zone: 'late' }, { retryLimit: 0 });
    const malformed = await boss.send(queueName('late'), { request: { kind: 'rm -rf', target: '' }, deadline: 'soon' }, { retryLimit: 0 });
    await runner.start();
    try {
      const state = async (id: string) => (await boss.findJobs<unknown>(queueName('late'), { id }))[0];
      await until(async () => (await state(expired!))?.state === 'completed' && (await state(malformed!))?.state === 'failed', 'the runner to settle both jobs', 15_000);
      expect((await state(expired!))?.output).toMatchObject({ kind: 'expired', runner: 'late-runner', zone: 'late' });
      expect(JSON.stringify((await state(malformed!))?.output)).toMatch(/malformed probe job/);
    } finally {
      await runner.stop(0);
    }
  }, 30_000);

  it('applies the replica\'s rate limits before posting a job', async () => {
    const limited = new Executor({
      url: PG_URL,
      runners: { ...runners, zones: ['*=nobody'] },
      zones: zoneMapOf({ ...runners, zones: ['*=nobody'] }),
      local: new InProcessExecutor(testConfig(), new ProbeLimiter()),
      logger: pino({ level: 'silent' }),
      limits: { limiter: new ProbeLimiter(), config: { ...testConfig().limits, perTargetPerMinute: 1 } },
    });
    try {
      const first = limited.run({ kind: 'smtp', target: '127.0.0.1:25', user: 'U1' });
      const second = await limited.run({ kind: 'smtp', target: '127.0.0.1:25', user: 'U1' });
      expect(second.status).toBe('refused');
      expect(second.findings[0]?.message).toMatch(/refused by rule limits\.perTargetPerMinute/);
      // No runner serves zone "nobody": the first one times out at its deadline.
      const r = await first;
      expect(r.findings[0]?.message).toMatch(/the check timed out: no runner in zone nobody/);
    } finally {
      await limited.close();
    }
  }, 30_000);
});
