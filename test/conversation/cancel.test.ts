// A running check is an event like any other: a Cancel press stops its probe (the loopback server
// sees the connection close) and the reply says cancelled, not a result, also when the press reaches
// another replica; and a slow progress update never replaces the final result.
import type net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/conversation/reply.ts';
import { createStore } from '../../src/store/create.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import type { Store } from '../../src/store/store.ts';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/pg.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { startRawServer, startSmtp, type Listening } from '../helpers/smtp.ts';
import { bob, harness, Recorder, replyText, type Harness } from './helpers.ts';

/** An SMTP port that accepts and never greets: the probe waits for a banner until cancelled. */
async function staller(): Promise<Listening & { connections: number; closed: number }> {
  const counts = { connections: 0, closed: 0 };
  const server = await startRawServer((s: net.Socket) => {
    counts.connections++;
    s.on('close', () => counts.closed++);
  });
  return {
    port: server.port,
    close: () => server.close(),
    get connections() {
      return counts.connections;
    },
    get closed() {
      return counts.closed;
    },
  };
}

async function until(test: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (test()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const slowConfig = () => testConfig({ timeouts: { connectMs: 2_000, readMs: 20_000, totalMs: 30_000 } });

/** Probe the staller, wait until it is connected, press Cancel on `canceller`; returns the prober's updates. */
async function cancelRun(prober: Harness, canceller: Harness, server: Awaited<ReturnType<typeof staller>>): Promise<Reply[]> {
  const running = prober.say(`probe smtp 127.0.0.1:${server.port}`);
  await until(() => server.connections === 1, 'the probe to connect');
  const card = prober.sink.posted.find((r) => r.kind === 'probe');
  const cancel = card?.blocks.flatMap((b) => (b.type === 'buttons' ? b.buttons : [])).find((b) => b.label === 'Cancel');
  expect(cancel).toBeDefined();
  await canceller.press(cancel!, bob);
  await running;
  await until(() => server.closed === 1, 'the server to see the connection close');
  return prober.sink.updated.filter((r) => r.id === card!.id);
}

describe('cancelling a check', () => {
  let dir: string;
  let store: Store;
  let server: Awaited<ReturnType<typeof staller>>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ehlo-cancel-'));
    store = createStore({ sqlitePath: join(dir, 'ehlo.sqlite') });
    server = await staller();
  });
  afterEach(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops the probe at a Cancel press and shows cancelled, not a result', async () => {
    const h = harness(store, slowConfig());
    const updates = await cancelRun(h, h, server);
    const last = updates.at(-1);
    expect(last && replyText(last)).toMatch(/smtp 127\.0\.0\.1:\d+: CANCELLED by Bob/);
    expect(updates.map(replyText).join('\n')).not.toMatch(/PASS|FAIL|ERROR/);
    expect(h.sink.freshText()).toMatch(/Cancelling the running check \(asked by Bob\)/);
    // Nothing left running: the thread can cancel nothing more.
    await h.say('cancel');
    expect(h.sink.freshText()).toMatch(/no open question or running check to cancel/);
  });

  it('never lets a slow progress update replace the final result', async () => {
    const smtp = await startSmtp();
    try {
      // The platform is slow to apply "running…" updates, quick for the rest.
      class SlowProgress extends Recorder {
        readonly delivered: Reply[] = [];
        override async update(r: Reply): Promise<void> {
          if (r.blocks.some((b) => b.type === 'status' && b.state === 'running')) await sleep(150);
          this.delivered.push(r);
        }
      }
      const sink = new SlowProgress();
      const h = harness(store, testConfig(), 'test:C1:slow', sink);
      await h.say(`probe smtp 127.0.0.1:${smtp.port}`);
      expect(sink.delivered.length).toBeGreaterThan(1);
      const last = sink.delivered.at(-1)!;
      expect(last.blocks.some((b) => b.type === 'status' && b.state === 'running')).toBe(false);
      expect(replyText(last)).toMatch(/smtp 127\.0\.0\.1:\d+: (PASS|WARN|FAIL) \(\d+ ms\)/);
    } finally {
      await smtp.close();
    }
  });
});

describe.runIf(PG_URL)('cancelling a check from another replica', () => {
  it('reaches the process running the probe through the thread state', async () => {
    const schema = uniqueSchema();
    const stores = [new PostgresStore({ url: PG_URL, schema }), new PostgresStore({ url: PG_URL, schema })];
    const server = await staller();
    try {
      const a = harness(stores[0]!, slowConfig(), 'slack:T1:C7:1.7');
      const b = harness(stores[1]!, slowConfig(), 'slack:T1:C7:1.7');
      const updates = await cancelRun(a, b, server);
      expect(replyText(updates.at(-1)!)).toMatch(/CANCELLED by Bob/);
    } finally {
      await server.close();
      for (const s of stores) await s.close();
      await dropSchema(schema);
    }
  });
});
