// Cancel across processes: a check posted by one core (replica A) runs on a runner in its own process;
// a Cancel pressed on another core (replica B, same PostgreSQL) reaches A through the thread state, A
// cancels the job in pg-boss, and the runner's heartbeat finds its claim gone and aborts the probe:
// the loopback server sees the connection closed, and the card says cancelled.
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres.ts';
import type { QueueExecutor } from '../../src/runner/queue-executor.ts';
import { bob, harness, replyText } from '../conversation/helpers.ts';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/pg.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { startRawServer, type Listening } from '../helpers/smtp.ts';
import { dropQueueSchema, replicaExecutor, startRunner, testRunners, uniqueQueueSchema, until, type RunnerChild } from './helpers.ts';

describe.runIf(PG_URL)('cancelling a check that runs on a runner', () => {
  const schema = uniqueSchema();
  const queueSchema = uniqueQueueSchema();
  const runners = testRunners(queueSchema, { zones: ['*=edge'] });
  const stores: PostgresStore[] = [];
  const executors: QueueExecutor[] = [];
  let runner: RunnerChild;
  let staller: Listening;
  const counts = { connections: 0, closed: 0 };

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      stores.push(new PostgresStore({ url: PG_URL, schema }));
      executors.push(replicaExecutor(runners, testConfig()));
    }
    await executors[0]!.ready();
    // Accepts and never greets: the probe waits for a banner until it is stopped.
    staller = await startRawServer((s: net.Socket) => {
      counts.connections++;
      s.on('close', () => counts.closed++);
    });
    runner = await startRunner({ zone: 'edge', name: 'edge-1', url: PG_URL, runners, probes: { allow: ['127.0.0.0/8'], timeouts: { connectMs: 2_000, readMs: 25_000, totalMs: 30_000 } } });
  }, 60_000);

  afterAll(async () => {
    await runner?.stop();
    for (const e of executors) await e.close();
    await staller?.close();
    for (const s of stores) await s.close();
    await dropQueueSchema(queueSchema);
    await dropSchema(schema);
  }, 60_000);

  it('stops the probe on the runner when Cancel is pressed on another replica', async () => {
    const thread = 'slack:T1:C9:9.9';
    const a = harness(stores[0]!, testConfig(), thread, undefined, { executor: executors[0]! });
    const b = harness(stores[1]!, testConfig(), thread, undefined, { executor: executors[1]! });
    const running = a.say(`probe smtp 127.0.0.1:${staller.port}`);
    await until(() => counts.connections === 1, 'the runner to connect');
    const card = a.sink.posted.find((r) => r.kind === 'probe')!;
    const cancel = card.blocks.flatMap((x) => (x.type === 'buttons' ? x.buttons : [])).find((x) => x.label === 'Cancel')!;
    expect(counts.closed).toBe(0);
    await b.press(cancel, bob);
    await running;
    await until(() => counts.closed === 1, 'the loopback server to see the connection closed', 15_000);
    const last = replyText(a.sink.updated.filter((r) => r.id === card.id).at(-1)!);
    expect(last).toMatch(/CANCELLED by Bob/);
    // The runner itself saw the job cancelled (its probe aborted), not a result.
    await until(() => /"status":"cancelled"/.test(runner.stderr()), 'the runner to log the cancelled job', 10_000);
  }, 45_000);
});
