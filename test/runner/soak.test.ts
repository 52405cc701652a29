// The soak of issue 15: three `ehlo start` replicas and two `ehlo runner`s, each its own process, on
// one PostgreSQL (a schema for the store and one for the queue, dropped after). Slack traffic goes to
// random replicas through the fake Slack API: walkthrough threads (a paste, Start, then Done presses
// and typed "done"s), some deliveries sent twice as Slack's retries, some presses made on two
// replicas at once; probe threads whose checks run on the runners. One replica is killed with
// SIGKILL while it delivers an event's card update (Slack then retries the event on another
// replica), and one runner while it holds a probe job (pg-boss gives the job to the other runner).
// At the end: each session is where its events put it (read from the store), each probe job ran to
// completion once or its thread says it failed, the last version of every card shows the final
// state, and `ehlo audit verify` passes.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.ts';
import { ENV_SETTINGS } from '../../src/config.ts';
import type { ProbeJobData } from '../../src/runner/job.ts';
import { queueName } from '../../src/runner/zones.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import { findStep, nextTarget } from '../../src/walkthrough/flow.ts';
import { BOT_USER, BOT_TOKEN, FakeSlack, TEAM, type Call } from '../channels/slack/fake-slack.ts';
import { buttonsOf, eventEnvelope, FORM, postSigned, pressBody, SIGNING_SECRET, textOf } from '../channels/slack/harness.ts';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/pg.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { runCli } from '../helpers/run-cli.ts';
import { startRawServer, startSmtp, type Listening } from '../helpers/smtp.ts';
import { spawnSlackReplica } from '../helpers/ehlo-start.ts';
import { dropQueueSchema, replicaExecutor, startRunner, testRunners, uniqueQueueSchema, until, type RunnerChild } from './helpers.ts';

const CHANNEL = 'C0MAILFLOW';
const NDR = "Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=<http://libsisimai.org|libsisimai.org>]'";
const PLAYBOOK = 'dns-lookup-failed-next-hop';
const WALKTHROUGHS = 6;
const PROBES = 4;
const JSON_TYPE = 'application/json';

interface Replica {
  name: string;
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  stderr(): string;
}

interface StepMeta {
  step: string;
  version: number;
}

/** A seeded generator, so a failing run can be replayed with the same choices (the seed is in the test name). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KILL = process.env.EHLO_SOAK_KILL === 'after-commit' ? 'after-commit' : 'before-commit';
const SEED = Number(process.env.EHLO_SOAK_SEED ?? 15);
const rand = random(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function stepMeta(call: Call): StepMeta | undefined {
  const m = call.args.metadata as { event_type?: string; event_payload?: { step?: string; version?: number } } | undefined;
  if (m?.event_type !== 'ehlo_step' || !m.event_payload?.step) return undefined;
  return { step: m.event_payload.step, version: Number(m.event_payload.version) };
}

/** The step sequence Done presses walk from the playbook's first step (flow.ts decides, as the engine does). */
function donePath(presses: number): string[] {
  const playbook = loadCatalog().playbookById.get(PLAYBOOK);
  if (!playbook) throw new Error(`playbook ${PLAYBOOK} is not in the catalog`);
  const path = [playbook.steps[0]!.id];
  for (let i = 0; i < presses; i++) {
    const step = findStep(playbook, path.at(-1)!)!;
    const to = nextTarget(playbook, step, 'done');
    if (to.kind !== 'step') throw new Error(`Done on ${step.id} leads to ${to.kind}: the soak presses Done on steps that lead to steps`);
    path.push(to.stepId);
  }
  return path;
}

describe.runIf(PG_URL)(`three replicas and two runners under Slack traffic, with SIGKILLs (seed ${SEED}, kill ${KILL})`, () => {
  const schema = uniqueSchema();
  const queueSchema = uniqueQueueSchema();
  // pg-boss's least heartbeat (10 s) with supervision every second: a killed runner's job moves on
  // about 11 s after the kill, well inside the 40 s deadline.
  const queue = { zones: ['*=edge'], heartbeatSeconds: 10, retryLimit: 1, deadlineMs: 40_000 };
  const runners = testRunners(queueSchema, queue);
  const dir = mkdtempSync(join(tmpdir(), 'ehlo-soak-'));
  const replicaConfig = join(dir, 'ehlo.config.yaml');
  writeFileSync(replicaConfig, `runners:\n  deadlineMs: ${queue.deadlineMs}\n  heartbeatSeconds: ${queue.heartbeatSeconds}\n  retryLimit: ${queue.retryLimit}\n  pollMs: 100\n  superviseSeconds: 1\n`);
  const probes = { allow: ['127.0.0.0/8'], timeouts: { connectMs: 2_000, readMs: 30_000, totalMs: 35_000 } };
  let fake: FakeSlack;
  let smtp: Listening;
  /** One front per probe thread (its port names the job); front 0 stalls its first connection. */
  const fronts: Listening[] = [];
  const frontConnections: number[] = [];
  const replicas: Replica[] = [];
  const runnersUp: RunnerChild[] = [];
  const alive = (): Replica[] => replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);

  const replicaEnv = (): NodeJS.ProcessEnv => ({
    ...process.env,
    ...Object.fromEntries(ENV_SETTINGS.map((e) => [e.name, ''])),
    EHLO_CONFIG: replicaConfig,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    EHLO_HTTP_HOST: '127.0.0.1',
    DATABASE_URL: PG_URL,
    EHLO_DB_SCHEMA: schema,
    EHLO_PROBE_ZONES: '*=edge',
    EHLO_QUEUE_SCHEMA: queueSchema,
    EHLO_PROBE_ALLOW: '127.0.0.0/8',
    EHLO_LOG_LEVEL: process.env.EHLO_SOAK_LOG ? 'debug' : 'warn',
    EHLO_LOG_FORMAT: 'json',
  });

  async function startReplica(name: string): Promise<Replica> {
    return { name, ...(await spawnSlackReplica(replicaEnv(), `replica ${name}`)) };
  }

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    smtp = await startSmtp();
    for (let i = 0; i < PROBES; i++) {
      frontConnections.push(0);
      fronts.push(
        await startRawServer((s) => {
          frontConnections[i]!++;
          if (i === 0 && frontConnections[i] === 1) return; // stalls: the runner holding it is killed
          const back = net.connect(smtp.port, '127.0.0.1');
          back.on('error', () => s.destroy());
          s.pipe(back).pipe(s);
        }),
      );
    }
    // Install the queue schema as a replica does, so the runners can start first.
    const installer = replicaExecutor(runners, testConfig());
    await installer.ready();
    await installer.close();
    for (const name of ['edge-1', 'edge-2']) runnersUp.push(await startRunner({ zone: 'edge', name, url: PG_URL, runners, probes }));
    for (const name of ['r1', 'r2', 'r3']) replicas.push(await startReplica(name));
  }, 120_000);

  afterAll(async () => {
    if (process.env.EHLO_SOAK_LOG) for (const r of replicas) writeFileSync(join(tmpdir(), `ehlo-soak-${r.name}.log`), r.stderr());
    for (const r of replicas) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    for (const r of runnersUp) await r.stop('SIGKILL');
    await fake?.close();
    await smtp?.close();
    for (const f of fronts) await f.close();
    rmSync(dir, { recursive: true, force: true });
    await dropQueueSchema(queueSchema);
    await dropSchema(schema);
  }, 60_000);

  /** Slack's delivery of an Events API body to a replica; `retry` adds the headers of Slack's retries. */
  const deliver = (to: Replica, body: string, retry?: number): Promise<number> =>
    postSigned(to.url, body, JSON_TYPE, retry ? { 'X-Slack-Retry-Num': String(retry), 'X-Slack-Retry-Reason': 'http_timeout' } : {}).then(
      (r) => r.status,
      () => 0, // the replica died before answering
    );

  const press = (to: Replica, user: string, messageTs: string, threadTs: string, button: { blockId: string; actionId: string; value: string; label: string }): Promise<number> =>
    postSigned(to.url, pressBody({ user, userName: user.toLowerCase(), channel: CHANNEL, messageTs, threadTs, ...button }), FORM).then(
      (r) => r.status,
      () => 0,
    );

  /** Two distinct live replicas, in random order. */
  const twoReplicas = (): [Replica, Replica] => {
    const live = alive();
    const a = pick(live);
    const b = pick(live.filter((r) => r !== a));
    return [a, b];
  };


  /** The thread's step cards (a press updates its card; a typed command posts a new one). */
  const stepPosts = (ts: string) => fake.ok('chat.postMessage').filter((c) => c.args.thread_ts === ts && stepMeta(c));

  /** The newest step card of a thread in its latest version: its ts and that last post or update. */
  function stepCard(threadTs: string): { ts: string; call: Call; meta: StepMeta } | undefined {
    const mine = new Set(stepPosts(threadTs).map((c) => String(c.response?.ts)));
    const last = fake.messages().filter((c) => stepMeta(c) && ((c.method === 'chat.postMessage' && mine.has(String(c.response?.ts))) || (c.method === 'chat.update' && mine.has(String(c.args.ts))))).at(-1);
    if (!last) return undefined;
    return { ts: String(last.method === 'chat.update' ? last.args.ts : last.response?.ts), call: last, meta: stepMeta(last)! };
  }
  const versionOf = (threadTs: string): number => stepCard(threadTs)?.meta.version ?? 0;

  const updatesOf = (messageTs: string): number => fake.ok('chat.update').filter((c) => c.args.ts === messageTs).length;
  /** Adds what the thread shows to a failure. */
  const withThread = (threadTs: string) => (err: Error): never => {
    throw new Error(`${err.message}; the thread:${threadLog(threadTs)}`);
  };

  /** What the fake recorded in a thread, for failure messages. */
  function threadLog(threadTs: string): string {
    const mine = new Set(fake.ok('chat.postMessage').filter((c) => c.args.thread_ts === threadTs).map((c) => String(c.response?.ts)));
    return fake.calls
      .filter((c) => c.args.thread_ts === threadTs || mine.has(String(c.args.ts)))
      .map((c) => `\n  ${c.method} ${String(c.response?.ts ?? c.args.ts ?? '')} ${JSON.stringify(stepMeta(c) ?? null)} ${String(c.args.text).slice(0, 90)}`)
      .join('');
  }

  const taken = (r: RunnerChild): number => r.stderr().split('probe job taken').length - 1;
  const t0 = Date.now();
  /** Progress on stderr with EHLO_SOAK_LOG=1 (to see where a run spends its time). */
  const phase = (what: string): void => {
    if (process.env.EHLO_SOAK_LOG) process.stderr.write(`[soak +${((Date.now() - t0) / 1000).toFixed(1)}s] ${what}\n`);
  };

  it('ends with every session where its events put it, each job finished once or reported failed, fresh cards and an intact audit chain', async () => {
    // --- Walkthrough threads: a paste each (half of them delivered twice at once, as Slack retries).
    const threads = Array.from({ length: WALKTHROUGHS }, (_, i) => ({ i, env: eventEnvelope(NDR, { channel: CHANNEL }), presses: 1 + (i % 3), typed: 0 }));
    await Promise.all(
      threads.map(async (t) => {
        const [a, b] = twoReplicas();
        const sent = [deliver(a, t.env.body)];
        if (t.i % 2 === 0) sent.push(deliver(b, t.env.body, 1));
        expect(await Promise.all(sent)).toEqual(sent.map(() => 200));
      }),
    );
    const diagnosis = (ts: string) => fake.ok('chat.postMessage').filter((c) => c.args.thread_ts === ts && (c.args.metadata as { event_type?: string } | undefined)?.event_type === 'ehlo_diagnosis');
    for (const t of threads) await until(() => diagnosis(t.env.ts).length > 0, `the diagnosis card in walkthrough thread ${t.i}`);

    phase('pastes answered');
    // --- Start walkthrough: odd threads pressed on two replicas at once by two people.
    await Promise.all(
      threads.map(async (t) => {
        const card = diagnosis(t.env.ts)[0]!;
        const start = buttonsOf(card.args).find((b) => b.label === 'Start walkthrough');
        if (!start) throw new Error(`thread ${t.i}: no Start walkthrough button on ${textOf(card.args).slice(0, 300)}`);
        const [a, b] = twoReplicas();
        const pressed = [press(a, 'U0ALICE', String(card.response?.ts), t.env.ts, start)];
        if (t.i % 2 === 1) pressed.push(press(b, 'U0BOB', String(card.response?.ts), t.env.ts, start));
        expect(await Promise.all(pressed)).toEqual(pressed.map(() => 200));
      }),
    );
    for (const t of threads) await until(() => stepPosts(t.env.ts).length > 0, `the first step card in walkthrough thread ${t.i}`);

    phase('walkthroughs started');
    // --- A replica killed with SIGKILL mid-event; Slack retries the event on another replica.
    // EHLO_SOAK_KILL=before-commit (the default): the replica has taken the typed "done" and waits
    // for the thread's lock (the test holds it), so nothing of the event is committed when it dies.
    // EHLO_SOAK_KILL=after-commit: it dies as it posts the event's first reply, after the commit
    // (the retry is dropped as a duplicate; the replies committed with the event, the new step card
    // among them, are delivered by another replica from the reply outbox after their lease).
    const doomed = replicas[2]!;
    const first = threads[0]!;
    const typed = eventEnvelope('done', { channel: CHANNEL, thread_ts: first.env.ts });
    const callsBefore = fake.calls.length;
    let answered: number;
    if (KILL === 'after-commit') {
      let killed = false;
      fake.onCall = (call) => {
        if (killed || call.method !== 'chat.postMessage' || call.args.thread_ts !== first.env.ts) return;
        killed = true;
        // It dies as the request leaves: Slack never takes that reply (the call does not count as ok).
        call.status = 0;
        doomed.child.kill('SIGKILL');
      };
      answered = await deliver(doomed, typed.body);
      await until(() => killed, `replica ${doomed.name} to answer in thread 0 (it answered ${answered}; calls since: ${JSON.stringify(fake.calls.slice(callsBefore).map((c) => [c.method, c.args.ts, String(c.args.text).slice(0, 80)]))})`, 20_000);
      await doomed.exited;
      fake.onCall = undefined;
    } else {
      const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
      const holder = await pool.connect();
      try {
        const lockKey = `ehlo-thread:${schema}:slack:${TEAM}:${CHANNEL}:${first.env.ts}`;
        await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
        answered = await deliver(doomed, typed.body);
        // A one-bigint advisory lock shows in pg_locks as classid (high half), objid (low half), objsubid 1.
        const waitingSql = "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)";
        const waiting = async () => Number((await holder.query<{ n: number }>(waitingSql, [lockKey])).rows[0]?.n ?? 0) > 0;
        await until(waiting, `replica ${doomed.name} to wait for thread 0's lock (it answered ${answered})`, 20_000);
        doomed.child.kill('SIGKILL');
        await doomed.exited;
        await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]);
      } finally {
        holder.release();
        await pool.end();
      }
      expect(fake.calls.slice(callsBefore).filter((c) => c.args.thread_ts === first.env.ts), 'the killed replica answered nothing in thread 0').toEqual([]);
    }
    expect(await deliver(pick(alive()), typed.body, 1)).toBe(200);
    first.presses--; // the typed done was one of thread 0's actions
    first.typed++;
    await until(() => versionOf(first.env.ts) === 2, `thread 0's step card to show version 2 after the retried "done" (last: ${JSON.stringify(stepCard(first.env.ts)?.meta)})`, 30_000);
    const firstActions = 1;

    phase('replica killed, retry handled');
    // --- A probe job held by a runner that is then killed with SIGKILL.
    const probeThreads = fronts.map((f, j) => ({ j, env: eventEnvelope(`<@${BOT_USER}> probe smtp 127.0.0.1:${f.port}`, { type: 'app_mention', channel: CHANNEL }) }));
    const before = new Map(runnersUp.map((r) => [r, taken(r)]));
    // Asked on r1, which stays up (a replica that dies waiting for its runner is processes.test.ts's case).
    expect(await deliver(replicas[0]!, probeThreads[0]!.env.body)).toBe(200);
    await until(() => frontConnections[0] === 1, 'a runner to connect to the stalling server');
    await until(() => runnersUp.some((r) => taken(r) > before.get(r)!), 'the runner holding the job to log it');
    const victim = runnersUp.find((r) => taken(r) > before.get(r)!)!;
    await victim.stop('SIGKILL');
    runnersUp.splice(runnersUp.indexOf(victim), 1);
    phase('runner killed');
    // The other probe threads now (some delivered twice), on the surviving runner.
    await Promise.all(
      probeThreads.slice(1).map(async (p) => {
        const [a, b] = twoReplicas();
        const sent = [deliver(a, p.env.body)];
        if (p.j % 2 === 1) sent.push(deliver(b, p.env.body, 1));
        expect(await Promise.all(sent)).toEqual(sent.map(() => 200));
      }),
    );

    phase('probes asked');
    // --- The remaining Done actions, all threads at once on the two live replicas: each a press
    // on both replicas together, or a typed "done" delivered twice.
    await Promise.all(
      threads.map(async (t) => {
        // Each thread its own generator: its choices do not depend on how the threads interleave.
        const own = random(SEED * 1000 + t.i);
        for (let n = 0; n < t.presses; n++) {
          const { ts: cardTs, call: card, meta } = stepCard(t.env.ts)!;
          const live = alive();
          const a = live[Math.floor(own() * live.length)]!;
          const b = live.find((r) => r !== a)!;
          if (own() < 0.3) {
            t.typed++;
            const env = eventEnvelope('done', { channel: CHANNEL, thread_ts: t.env.ts });
            expect(await Promise.all([deliver(a, env.body), deliver(b, env.body, 1)])).toEqual([200, 200]);
          } else {
            const done = buttonsOf(card.args).find((x) => x.label === 'Done');
            if (!done) throw new Error(`thread ${t.i}: no Done button on its step card: ${textOf(card.args).slice(0, 300)}`);
            const updatesBefore = updatesOf(cardTs);
            expect(await Promise.all([press(a, 'U0ALICE', cardTs, t.env.ts, done), press(b, own() < 0.5 ? 'U0ALICE' : 'U0BOB', cardTs, t.env.ts, done)])).toEqual([200, 200]);
            // Both copies answered (the applied one and the replayed one each re-render the card)
            // before the next action, unless EHLO_SOAK_RACE=1: replicas' updates of one message are
            // not ordered, so a replay's update read before the next action can land after it and
            // leave the card a version behind (a real gap; see the report).
            if (!process.env.EHLO_SOAK_RACE) await until(() => updatesOf(cardTs) >= updatesBefore + 2, `both copies of thread ${t.i}'s Done press (v${meta.version}) to update its card`).catch(withThread(t.env.ts));
          }
          await until(() => versionOf(t.env.ts) > meta.version, `thread ${t.i}'s step card to move past version ${meta.version} (at step ${meta.step})`).catch(withThread(t.env.ts));
        }
      }),
    );
    first.presses += firstActions;

    phase('done actions applied');
    // --- Every probe thread shows its result (or that it failed) on its card.
    /** The last version of the thread's probe card (updates name the card's ts, not the thread's). */
    const probeCard = (p: (typeof probeThreads)[number]) => {
      const about = (c: Call) => textOf(c.args).includes(`127.0.0.1:${fronts[p.j]!.port}`);
      const posts = new Set(fake.ok('chat.postMessage').filter((c) => c.args.thread_ts === p.env.ts && about(c)).map((c) => String(c.response?.ts)));
      return fake.messages().filter((c) => about(c) && (c.args.thread_ts === p.env.ts || (c.method === 'chat.update' && posts.has(String(c.args.ts))))).at(-1);
    };
    const settled = (c: Call | undefined) => c !== undefined && !/Running |running…/.test(String(c.args.text));
    for (const p of probeThreads) await until(() => settled(probeCard(p)), `probe thread ${p.j}'s card to show an outcome (last: ${String(probeCard(p)?.args.text).slice(0, 200)}; connections to its server: ${frontConnections[p.j]}; runner logs: ${runnersUp.map((r) => r.stderr().slice(-1500)).join('\n')})`, 60_000);

    phase('probe cards settled');
    // === The store: each session where its Done actions put it, each applied once.
    const store = new PostgresStore({ url: PG_URL, schema });
    try {
      for (const t of threads) {
        const session = await store.getSessionByThread(`slack:${TEAM}:${CHANNEL}:${t.env.ts}`);
        if (!session) throw new Error(`thread ${t.i}: no session in the store`);
        const path = donePath(t.presses);
        expect({ thread: t.i, status: session.status, cursor: session.cursor, path: session.path }).toEqual({ thread: t.i, status: 'active', cursor: path.at(-1), path });
        expect(session.timeline.filter((e) => e.action === 'start')).toHaveLength(1);
        expect(session.timeline.filter((e) => e.action === 'done')).toHaveLength(t.presses);
        // === The fakes: one diagnosis card and one step card per thread; the step card's last version shows the session now.
        expect(diagnosis(t.env.ts), `thread ${t.i}: diagnosis cards`).toHaveLength(1);
        // A typed "done" answers with a new step card, and so does a Start pressed when the walkthrough
        // already runs (with "already running" to the presser); a press updates the card pressed.
        const posted = stepPosts(t.env.ts).map((c) => `${stepMeta(c)?.step}@${stepMeta(c)?.version}: ${String(c.args.text).slice(0, 60)}`);
        expect(posted.length, `thread ${t.i}: step cards posted: ${JSON.stringify(posted)}; the thread:${threadLog(t.env.ts)}`).toBe(1 + t.typed + (t.i % 2 === 1 ? 1 : 0));
        const last = stepCard(t.env.ts)!;
        expect({ thread: t.i, ...last.meta }).toEqual({ thread: t.i, step: session.cursor, version: session.version });
        // Still the live card of an active walkthrough: its buttons act on the step shown.
        expect(buttonsOf(last.call.args).map((b) => b.label)).toEqual(expect.arrayContaining(['Skip', 'Escalate', 'Stop']));
      }
    } finally {
      await store.close();
    }

    // === The queue: one probe job per probe thread, completed once (the killed runner's attempt
    // retried on the survivor) or failed and said so in its thread.
    const boss = new PgBoss({ connectionString: PG_URL, schema: queueSchema, supervise: false, schedule: false, migrate: false, createSchema: false, registerInstance: false });
    await boss.start();
    try {
      const jobs = (await boss.findJobs<ProbeJobData>(queueName('edge'), {})).filter((j) => j.data?.request);
      const jobsFor = (port: number) => jobs.filter((j) => j.data.request.target.endsWith(`:${port}`));
      for (const p of probeThreads) {
        const mine = jobsFor(fronts[p.j]!.port);
        expect(mine.map((j) => j.state), `probe thread ${p.j}: its jobs`).toHaveLength(1);
        const job = mine[0]!;
        const card = textOf(probeCard(p)!.args);
        if (job.state === 'completed') {
          const runner = (job.output as { runner?: string }).runner;
          expect(card).toMatch(/smtp 127\.0\.0\.1:\d+: (PASS|WARN|FAIL)/);
          expect(card).toContain(`probed by runner ${runner} in zone edge`);
        } else {
          expect(job.state, `probe thread ${p.j}: job neither completed nor failed`).toBe('failed');
          expect(card).toMatch(/fail|timed out|could not/i);
        }
      }
      const [held] = jobsFor(fronts[0]!.port);
      if (!held) throw new Error('no job for the probe the killed runner held');
      expect(held.retryCount, 'the killed runner\'s job was retried once').toBe(1);
      expect((held.output as { runner?: string }).runner).toBe(runnersUp[0]!.name);
      expect(frontConnections[0]).toBe(2);
    } finally {
      await boss.stop({ graceful: false, close: true });
    }

    // === The audit chain, as an operator checks it.
    const verified = await runCli(['audit', 'verify'], '', { ...Object.fromEntries(ENV_SETTINGS.map((e) => [e.name, ''])), EHLO_CONFIG: '', DATABASE_URL: PG_URL, EHLO_DB_SCHEMA: schema });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const entries = Number(/audit log intact .*: (\d+) entries, hash chain verified/.exec(verified.stdout)?.[1] ?? 0);
    // At least one entry for each start and each Done applied.
    expect(entries).toBeGreaterThanOrEqual(threads.reduce((n, t) => n + 1 + t.presses, 0));

    // The live replicas and runner still stop cleanly.
    for (const r of alive()) r.child.kill('SIGTERM');
    for (const r of replicas.filter((x) => x !== doomed)) expect(await r.exited, `replica ${r.name} on SIGTERM:\n${r.stderr().slice(-2000)}`).toBe(0);
  }, 300_000);
});

