// Walkthrough figures: events per second through the durable walkthrough core (load, apply, compare-
// and-set save with an idempotency key) on SQLite, and on PostgreSQL when DATABASE_URL is set, with
// p50/p99 per event, one at a time and 16 in flight; and the memory of 10,000 open sessions.
// Figures only; nothing here passes or fails. Standalone: `node bench/walkthrough.ts`; `npm run bench` calls run().
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'yaml';
import { Playbook } from '../src/catalog/schema.ts';
import { createStore, type StoreConfig } from '../src/store/create.ts';
import type { Store } from '../src/store/store.ts';
import type { Action } from '../src/walkthrough/action.ts';
import { apply } from '../src/walkthrough/apply.ts';
import type { Actor, Session } from '../src/walkthrough/session.ts';
import { startSession } from '../src/walkthrough/start.ts';
import { Walkthroughs } from '../src/walkthrough/walkthroughs.ts';
import { forEachStore } from './stores.ts';

const MODEL = 'oof-mailbox-rules-agent-legacyinterop';
const ACTOR: Actor = { id: 'U0BENCH', name: 'Bench' };
const SESSIONS = 150;
const OPEN_SESSIONS = 10_000;

function loadModel(): Playbook {
  return Playbook.parse(parse(readFileSync(new URL(`../playbooks/${MODEL}.yaml`, import.meta.url), 'utf8')));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The presses of one walkthrough after start: two notes, a confirmation on the change step, and done, per step. */
function script(playbook: Playbook): Array<{ action: Action; step?: string }> {
  return playbook.steps.flatMap((step) => [
    { action: { type: 'note', text: `looked at ${step.id}` } as Action },
    { action: { type: 'note', text: `output pasted for ${step.id}` } as Action },
    ...(step.changes !== false ? [{ action: { type: 'confirm' } as Action, step: step.id }] : []),
    { action: { type: 'done' } as Action, step: step.id },
  ]);
}

/** Walk `sessions` walkthroughs from start to finish, `inFlight` threads at a time; every press is one timed event. */
async function drive(wt: Walkthroughs, playbook: Playbook, label: string, inFlight: number, sessions = SESSIONS): Promise<number[]> {
  const presses = script(playbook);
  const times: number[] = [];
  const walk = async (n: number): Promise<void> => {
    const threadKey = `bench:${label}:${n}`;
    let t = performance.now();
    const started = await wt.start({ threadKey, playbookId: playbook.id, actor: ACTOR, idempotencyKey: `${threadKey}:start` });
    times.push(performance.now() - t);
    if (started.kind !== 'applied') throw new Error(`start failed: ${JSON.stringify(started)}`);
    for (const [i, p] of presses.entries()) {
      t = performance.now();
      const o = await wt.act({ target: { sessionId: started.session.id }, action: p.action, actor: ACTOR, expectedStep: p.step, idempotencyKey: `${threadKey}:${i}` });
      times.push(performance.now() - t);
      if (o.kind !== 'applied') throw new Error(`press failed: ${JSON.stringify(o)}`);
    }
  };
  let next = 0;
  const lanes = Array.from({ length: inFlight }, async () => {
    while (next < sessions) await walk(next++);
  });
  await Promise.all(lanes);
  return times;
}

async function benchStore(name: string, config: StoreConfig, playbook: Playbook): Promise<void> {
  const store = createStore(config);
  const wt = new Walkthroughs({ store, playbooks: (id) => (id === playbook.id ? playbook : undefined) });
  try {
    await wt.ready();
    await drive(wt, playbook, `${name}-warm`, 1, 20);
    for (const inFlight of [1, 16]) {
      const t0 = performance.now();
      const times = await drive(wt, playbook, `${name}-${inFlight}`, inFlight);
      const seconds = (performance.now() - t0) / 1000;
      times.sort((a, b) => a - b);
      console.log(`  ${name}, ${String(inFlight).padStart(2)} in flight: ${Math.round(times.length / seconds)} events/s, p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms per event (${times.length} events)`);
    }
    const replay = await timeReplays(wt, playbook, name);
    console.log(`  ${name}, replayed press (same idempotency key): p50 ${replay.toFixed(2)} ms`);
  } finally {
    await store.close();
  }
}

async function timeReplays(wt: Walkthroughs, playbook: Playbook, name: string): Promise<number> {
  const threadKey = `bench:${name}:replay`;
  const started = await wt.start({ threadKey, playbookId: playbook.id, actor: ACTOR });
  if (started.kind !== 'applied') return NaN;
  const press = { target: { sessionId: started.session.id }, action: { type: 'note', text: 'once' } as Action, actor: ACTOR, idempotencyKey: `${threadKey}:k` };
  await wt.act(press);
  const times: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    await wt.act(press);
    times.push(performance.now() - t);
  }
  return percentile(times.sort((a, b) => a - b), 50);
}

/** A typical open session: three steps done, two notes, the fourth step shown. */
function openSession(playbook: Playbook, n: number): Session {
  const r = startSession(playbook, { id: `open-${n}`, threadKey: `slack:C${n % 97}:${1_700_000_000 + n}.000100`, actor: ACTOR, at: new Date(1_700_000_000_000 + n) });
  if (!r.ok) throw new Error(r.rejection.message);
  const actions: Action[] = [{ type: 'done' }, { type: 'note', text: 'queue shows the Mailbox Rules Agent error' }, { type: 'done' }, { type: 'note', text: 'no third-party agent' }, { type: 'done' }];
  return actions.reduce((s, action) => {
    const next = apply(s, playbook, action, { actor: ACTOR, at: new Date(Date.parse(s.updatedAt) + 60_000) });
    if (!next.ok) throw new Error(next.rejection.message);
    return next.session;
  }, r.session);
}

function heapUsed(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function benchMemory(playbook: Playbook): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const before = heapUsed(gc);
  const sessions = Array.from({ length: OPEN_SESSIONS }, (_, n) => openSession(playbook, n));
  const held = heapUsed(gc) - before;
  const docBytes = sessions.reduce((sum, s) => sum + JSON.stringify(s).length, 0);
  console.log(`  ${OPEN_SESSIONS.toLocaleString('en')} open sessions in memory: ${(held / 1024 / 1024).toFixed(1)} MiB heap (${(held / OPEN_SESSIONS / 1024).toFixed(1)} KiB each; ${(docBytes / OPEN_SESSIONS / 1024).toFixed(1)} KiB each as stored JSON)`);

  const dir = mkdtempSync(join(tmpdir(), 'ehlo-bench-'));
  const path = join(dir, 'ehlo.sqlite');
  const store: Store = createStore({ sqlitePath: path });
  try {
    await store.migrate();
    const t0 = performance.now();
    for (const s of sessions) await store.save(s, 0);
    const insertMs = performance.now() - t0;
    sessions.length = 0;
    const base = heapUsed(gc);
    const t1 = performance.now();
    const listed = await store.listOpenSessions(OPEN_SESSIONS);
    const listMs = performance.now() - t1;
    const listedHeap = heapUsed(gc) - base;
    await store.close();
    const fileBytes = statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    console.log(`  SQLite with ${listed.length.toLocaleString('en')} open sessions: inserted in ${(insertMs / 1000).toFixed(1)} s, file ${(fileBytes / 1024 / 1024).toFixed(1)} MiB, all listed in ${listMs.toFixed(0)} ms holding ${(listedHeap / 1024 / 1024).toFixed(1)} MiB`);
    console.log(`  process RSS now ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB (the service itself keeps no session in memory between events)`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const playbook = loadModel();
  console.log(`walkthrough (playbook ${playbook.id}, ${SESSIONS} walkthroughs of ${script(playbook).length + 1} events per run)`);
  await forEachStore('ehlo_bench', (label, config) => benchStore(label, config, playbook));
  await benchMemory(playbook);
}

if (import.meta.main) await run();
