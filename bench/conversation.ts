// Conversation figures: events per second through the whole core (per-thread order, route, match,
// engine, compare-and-set save, thread state, cards) on SQLite, and on PostgreSQL when DATABASE_URL is
// set, with p50/p99 per event, with 1, 10 and 100 threads active at once; beside each, the same run
// with the store's cross-process thread lock left out (the cost of ordering across replicas, as a
// ratio measured in this process), and the figures of the core before per-thread ordering existed.
// Then the memory of 10,000 open sessions started through the core (each thread pasted a real NDR
// and started its walkthrough). Figures only; nothing passes or fails.
// Standalone: `node bench/conversation.ts`; `npm run bench` calls run().
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createConversation, type Conversation } from '../src/conversation/core.ts';
import type { EventBody } from '../src/conversation/events.ts';
import { buttonsOf, type Button, type Reply, type Sink } from '../src/conversation/reply.ts';
import { defaultMatcher } from '../src/match/index.ts';
import type { Matcher } from '../src/match/matcher.ts';
import { defaultProbeConfig } from '../src/probes/config.ts';
import { createStore, type StoreConfig } from '../src/store/create.ts';
import type { Store } from '../src/store/store.ts';
import type { Actor } from '../src/walkthrough/session.ts';
import { Walkthroughs } from '../src/walkthrough/walkthroughs.ts';
import { forEachStore } from './stores.ts';

const ACTOR: Actor = { id: 'U0BENCH', name: 'Bench' };
const WALKS = 100;
const OPEN_SESSIONS = 10_000;
/** EXO 550 5.4.312 DNS query failed NDR (sisimai set-of-emails, in test/fixtures/corpus-cases.jsonl). */
const CASE = 'soe-o365-54312-dns-inforecords';

function paste(): string {
  const line = readFileSync(new URL('../test/fixtures/corpus-cases.jsonl', import.meta.url), 'utf8').split('\n').find((l) => l.includes(`"id": "${CASE}"`));
  if (!line) throw new Error(`corpus case ${CASE} is missing`);
  return (JSON.parse(line) as { text: string }).text;
}

/** Keeps the buttons of the latest reply (none after the summary): what the next press uses. */
class PressSink implements Sink {
  buttons: Button[] = [];
  replies = 0;
  post(r: Reply): void {
    this.replies++;
    this.buttons = buttonsOf(r);
  }
  update(): void {
    this.replies++;
  }
  pick(labels: string[]): Button {
    const b = this.buttons.find((x) => labels.includes(x.label));
    if (!b) throw new Error(`no ${labels.join('/')} button among ${this.buttons.map((x) => x.label).join(', ')}`);
    return b;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function core(matcher: Matcher, store: Store): Conversation {
  const walkthroughs = new Walkthroughs({ store, playbooks: (id) => matcher.catalog.playbookById.get(id) });
  return createConversation({ matcher, walkthroughs, probeConfig: defaultProbeConfig(), store });
}

/** The same store without its cross-process thread lock (this process's queues still order each thread). */
function withoutLock(store: Store): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'withThreadLock') return <T>(_thread: string, work: () => Promise<T>): Promise<T> => work();
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The core's figures before per-thread ordering and durable thread state (README, development VM). */
const BEFORE: Record<string, Record<number, string>> = {
  SQLite: { 1: '3,000 events/s, p99 4 ms', 16: '5,600 events/s' },
  PostgreSQL: { 1: '640 events/s', 16: '1,330 events/s, p99 37 ms' },
};

/** One thread: paste, start, then "I am making this change" / "Done" until the summary. Every event is timed. */
async function walk(c: Conversation, text: string, thread: string, times: number[]): Promise<void> {
  const sink = new PressSink();
  const send = async (e: EventBody): Promise<void> => {
    const t = performance.now();
    await c.handle({ ...e, thread, actor: ACTOR }, sink);
    times.push(performance.now() - t);
  };
  await send({ type: 'message', text });
  await send({ type: 'press', value: sink.pick(['Start walkthrough']).value });
  await send({ type: 'message', text: 'status' });
  for (let i = 0; i < 20 && sink.buttons.some((b) => b.label === 'Done' || b.label === 'I am making this change'); i++) {
    await send({ type: 'press', value: sink.pick(['I am making this change', 'Done']).value });
  }
}

async function drive(c: Conversation, text: string, label: string, inFlight: number, walks: number): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < walks) await walk(c, text, `bench:${label}:${next++}`, times);
  }));
  return times;
}

async function measure(c: Conversation, text: string, label: string, inFlight: number): Promise<{ rate: number; p50: number; p99: number; n: number }> {
  const t0 = performance.now();
  const times = await drive(c, text, label, inFlight, Math.max(WALKS, inFlight));
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  return { rate: times.length / seconds, p50: percentile(times, 50), p99: percentile(times, 99), n: times.length };
}

async function benchStore(name: string, config: StoreConfig, matcher: Matcher, text: string): Promise<void> {
  const store = createStore(config);
  try {
    const ordered = core(matcher, store);
    const unlocked = core(matcher, withoutLock(store));
    await drive(ordered, text, `${name}-warm`, 1, 10);
    await drive(unlocked, text, `${name}-warm-u`, 1, 10);
    for (const inFlight of [1, 10, 100]) {
      const base = await measure(unlocked, text, `${name}-u${inFlight}`, inFlight);
      const r = await measure(ordered, text, `${name}-${inFlight}`, inFlight);
      const before = BEFORE[name]?.[inFlight === 1 ? 1 : 16];
      console.log(
        `  ${name}, ${String(inFlight).padStart(3)} threads at once: ${Math.round(r.rate)} events/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (${r.n} events); ` +
          `without the thread lock ${Math.round(base.rate)} events/s, p99 ${base.p99.toFixed(2)} ms: ratio ${(r.rate / base.rate).toFixed(2)}` +
          (before ? `; before ordering (${inFlight === 1 ? 1 : 16} at once): ${before}` : ''),
      );
    }
  } finally {
    await store.close();
  }
}

function heapUsed(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function benchMemory(matcher: Matcher, text: string): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const dir = mkdtempSync(join(tmpdir(), 'ehlo-bench-'));
  const store = createStore({ sqlitePath: join(dir, 'ehlo.sqlite') });
  try {
    const c = core(matcher, store);
    await drive(c, text, 'mem-warm', 1, 1);
    const before = heapUsed(gc);
    const t0 = performance.now();
    const sink = new PressSink();
    for (let n = 0; n < OPEN_SESSIONS; n++) {
      const thread = `slack:C${n % 97}:${1_700_000_000 + n}.000100`;
      await c.handle({ type: 'message', thread, actor: ACTOR, text }, sink);
      await c.handle({ type: 'press', thread, actor: ACTOR, value: sink.pick(['Start walkthrough']).value }, sink);
    }
    const seconds = (performance.now() - t0) / 1000;
    const held = heapUsed(gc) - before;
    const open = await store.listOpenSessions(OPEN_SESSIONS);
    const count = Array.isArray(open) ? open.length : 0;
    console.log(`  ${OPEN_SESSIONS.toLocaleString('en')} threads each pasted an NDR and started a walkthrough through the core in ${seconds.toFixed(1)} s (SQLite); ${count.toLocaleString('en')} sessions open`);
    console.log(`  core memory for them: ${(held / 1024 / 1024).toFixed(1)} MiB heap (${(held / OPEN_SESSIONS / 1024).toFixed(1)} KiB per thread; sessions and thread state live in the store), ${c.activeThreads} threads active after the run; RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const matcher = defaultMatcher();
  const text = paste();
  console.log(`conversation core (paste ${CASE}, ${WALKS} threads from paste to summary: paste, start, status, then each step's presses)`);
  await forEachStore('ehlo_bench_conv', (label, config) => benchStore(label, config, matcher, text));
  await benchMemory(matcher, text);
}

if (import.meta.main) await run();
