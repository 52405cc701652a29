// Many threads, many people, many processes: two conversation cores on one PostgreSQL database (two
// connection pools, as two replicas have) take a storm of typed lines, duplicate deliveries and
// simultaneous presses on one thread while fifty other threads work. Each event applies once, each
// replica's events of the thread apply in the order it took them, and the other threads never wait
// for the busy one. Also: a restart, or another replica, between a paste and "Other matches" still
// answers with the stored matches (SQLite and PostgreSQL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/create.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import type { Store } from '../../src/store/store.ts';
import type { Session } from '../../src/walkthrough/session.ts';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/pg.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { alice, bob, corpusPaste, DNS_NDR_ID, harness, replyText, type Harness } from './helpers.ts';

async function sessionOf(h: Harness): Promise<Session> {
  const found = await h.walkthroughs.get({ threadKey: h.thread });
  if (found.kind !== 'found') throw new Error(found.message);
  return found.session;
}

describe.runIf(PG_URL)('two cores on one PostgreSQL database', () => {
  let schema: string;
  let stores: Store[];

  beforeEach(() => {
    schema = uniqueSchema();
    stores = [0, 1, 2].map(() => new PostgresStore({ url: PG_URL, schema }));
  });
  afterEach(async () => {
    for (const s of stores) await s.close();
    await dropSchema(schema);
  });

  it('apply one thread\'s 50 typed lines and presses once each, in each replica\'s order, while 50 other threads go on', async () => {
    const [storeA, storeB, storeC] = stores as [Store, Store, Store];
    const thread = 'slack:T1:C1:1700000000.000100';
    const a = harness(storeA, testConfig(), thread);
    const b = harness(storeB, testConfig(), thread);
    await a.say(corpusPaste(DNS_NDR_ID));
    await b.press(a.sink.button('Start walkthrough'));
    const done = b.sink.button('Done');

    // Hold the busy thread from a third connection: its events must wait, other threads must not.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (entered = resolve));
    const holder = storeC.withThreadLock(thread, async () => {
      entered();
      await gate;
    });
    await held;

    const busy: Array<Promise<void>> = [];
    for (let i = 0; i < 25; i++) {
      for (const [core, tag] of [[a, 'a'], [b, 'b']] as const) {
        const e = { type: 'message' as const, text: `note ${tag}${i}`, id: `Ev-${tag}${i}` };
        busy.push(core.send(e), core.send(e)); // every line delivered twice: a platform retry
      }
    }
    // Alice and Bob press the same Done at the same moment, on different replicas, twice each.
    busy.push(a.press(done, alice), b.press(done, bob), a.press(done, alice), b.press(done, bob));
    let busyFinished = false;
    const allBusy = Promise.all(busy).then(() => (busyFinished = true));

    const others = Array.from({ length: 50 }, (_, n) => harness(n % 2 ? storeA : storeB, testConfig(), `slack:T1:C2:${1_700_000_100 + n}.000100`));
    await Promise.all(others.map(async (o) => {
      await o.say(corpusPaste(DNS_NDR_ID));
      await o.press(o.sink.button('Start walkthrough'));
    }));
    expect(busyFinished).toBe(false);
    // While another process holds the thread, none of its events was applied, and every other thread went on.
    expect((await sessionOf(a)).notes).toHaveLength(0);
    for (const o of others) expect((await sessionOf(o)).status).toBe('active');

    release();
    await holder;
    await allBusy;

    const s = await sessionOf(a);
    const notes = s.notes.map((n) => n.text);
    expect(notes).toHaveLength(50);
    expect(new Set(notes).size).toBe(50);
    for (const tag of ['a', 'b']) {
      const mine = notes.filter((t) => t.startsWith(tag));
      expect(mine).toEqual(Array.from({ length: 25 }, (_, i) => `${tag}${i}`));
    }
    expect(s.timeline.filter((e) => e.action === 'done')).toHaveLength(1);
    // Each delivery was answered once: 25 "Note added" lines on each replica, none twice.
    for (const core of [a, b]) expect(core.sink.posted.filter((r) => replyText(r).startsWith('Note added')).length).toBe(25);
  });

  it('answer "Other matches" on another replica with the matches stored at the paste', async () => {
    const [storeA, storeB] = stores as [Store, Store];
    const a = harness(storeA, testConfig());
    const b = harness(storeB, testConfig(), a.thread);
    await a.say(corpusPaste(DNS_NDR_ID));
    const others = a.sink.button('Other matches');
    await b.press(others);
    const text = b.sink.freshText();
    expect(text).toMatch(/^Other matches/);
    expect(text).toMatch(/Message expired in the queue/);
  });
});

describe('a restart between a paste and "Other matches" (SQLite)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ehlo-restart-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers with the stored matches, and "Not this" still knows the paste', async () => {
    const path = join(dir, 'ehlo.sqlite');
    const first = createStore({ sqlitePath: path });
    const before = harness(first, testConfig());
    await before.say(corpusPaste(DNS_NDR_ID));
    const others = before.sink.button('Other matches');
    const notThis = before.sink.button('Not this');
    await first.close();

    const second = createStore({ sqlitePath: path });
    try {
      const after = harness(second, testConfig(), before.thread);
      await after.press(others);
      expect(after.sink.freshText()).toMatch(/^Other matches[\s\S]*Message expired in the queue/);
      await after.press(notThis);
      const text = after.sink.freshText();
      expect(text).toMatch(/Noted: not “DNS lookup for the destination failed/);
      expect(text).not.toMatch(/no paste in this thread/);
    } finally {
      await second.close();
    }
  });
});
