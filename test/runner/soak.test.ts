// The soak of issue 15: three `ehlo start` replicas serving Slack and Teams, and two `ehlo runner`s,
// each its own process, on one PostgreSQL (a schema for the store and one for the queue, dropped
// after). Slack traffic goes to random replicas through the fake Slack API: walkthrough threads (a
// paste, Start, then Done presses and typed "done"s), some deliveries sent twice as Slack's retries,
// some presses made on two replicas at once, the next action sent as soon as the card moved (not
// waiting for the other copy; EHLO_SOAK_RACE=0 waits); probe threads whose checks run on the runners.
// Teams traffic goes to random replicas at the same time, replies and card updates through the fake
// Bot Connector (test/helpers/teams-fake.ts): channel threads opened by a paste that @mentions ehlo,
// Start and Done as Action.Execute invokes (some the same activity delivered to two replicas, some
// two people's invokes of one card on two replicas at once), typed "@ehlo done"s delivered twice.
// One replica is killed with SIGKILL mid-event (Slack then retries the event on another replica; an
// invoke it held unanswered is sent again by Teams, the same activity, to another replica), and one
// runner while it holds a probe job (pg-boss gives the job to the other runner). At the end: each session, Slack's and Teams', is where its events put it (read from
// the store), each probe job ran to completion once or its thread says it failed, each thread has one
// diagnosis card and its newest step card shows the session's step and version, every invoke was
// answered with a card, and `ehlo audit verify` passes.
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
import { actionsOf, ALICE, BOB, cardOf, invoke, invokeCard, message, nextId, send, startConnector, TENANT, type ConnectorCall, type FakeConnector } from '../helpers/teams-fake.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { runCli } from '../helpers/run-cli.ts';
import { startRawServer, startSmtp, type Listening } from '../helpers/smtp.ts';
import { spawnReplica } from '../helpers/ehlo-start.ts';
import { dropQueueSchema, replicaExecutor, startRunner, testRunners, uniqueQueueSchema, until, type RunnerChild } from './helpers.ts';

const CHANNEL = 'C0MAILFLOW';
const NDR = "Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=<http://libsisimai.org|libsisimai.org>]'";
const PLAYBOOK = 'dns-lookup-failed-next-hop';
const WALKTHROUGHS = 6;
const TEAMS_WALKTHROUGHS = 4;
/** A Teams channel; a thread in it is the conversation `${TEAMS_CHANNEL};messageid=${root message id}`. */
const TEAMS_CHANNEL = '19:mailflow@thread.tacv2';
/** The same NDR as Teams shows it (no Slack link markup), with the bot @mentioned. */
const TEAMS_PASTE = "<at>ehlo</at> Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=libsisimai.org]'";
const PROBES = 4;
const JSON_TYPE = 'application/json';

interface Replica {
  name: string;
  child: ChildProcess;
  url: string;
  teamsUrl: string;
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
/** The next action without waiting for every copy of a press to answer (the default; EHLO_SOAK_RACE=0 waits). */
const RACE = process.env.EHLO_SOAK_RACE !== '0';
/** Teams' newest step card is the one posted last (not the one written last): see teamsStepCard. */
const TEAMS_POSTED = process.env.EHLO_SOAK_TEAMS_POSTED === '1';
const rand = random(SEED);
/** Teams' choices of replica: a generator of their own, so Slack's choices for a seed stay what they were. */
const teamsRand = random(SEED + 7919);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** Our data on a Teams card's actions (cards.ts ActionData): the kind of reply, and a press's payload. */
function ehloData(call: ConnectorCall): { k?: string; v?: string }[] {
  return actionsOf(cardOf(call.body)).map((a) => (a.data?.ehlo ?? {}) as { k?: string; v?: string });
}

/** A step button's payload (src/conversation/actions.ts): the session's step and version it was rendered on, and the choice. */
function stepPayload(v: string | undefined): { t: string; v: number; c: string } | undefined {
  const p = v ? (JSON.parse(v) as { k?: string; t?: string; v?: number; c?: string }) : undefined;
  return p?.k === 'step' && p.t && p.c ? { t: p.t, v: Number(p.v), c: p.c } : undefined;
}

/** The step and version a Teams step card shows (read from its buttons, as a press reads them). */
function teamsStepMeta(call: ConnectorCall): StepMeta | undefined {
  const data = ehloData(call);
  if (data[0]?.k !== 'step') return undefined;
  const p = data.map((d) => stepPayload(d.v)).find((x) => x);
  return p ? { step: p.t, version: p.v } : undefined;
}

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

describe.runIf(PG_URL)(`three replicas and two runners under Slack and Teams traffic, with SIGKILLs (seed ${SEED}, kill ${KILL}${RACE ? '' : ', no race'}${TEAMS_POSTED ? ', Teams card posted last' : ''})`, () => {
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
  let bc: FakeConnector;
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
    // Teams in development mode (anonymous /api/messages; replies may go to the loopback fake Bot Connector).
    EHLO_TEAMS_DEV: '1',
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
    return { name, ...(await spawnReplica(replicaEnv(), `replica ${name}`)) };
  }

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    bc = await startConnector();
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
    await bc?.close();
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

  // --- Teams: activities to a replica's /api/messages with the fake Bot Connector as serviceUrl.
  interface TeamsThread {
    i: number;
    /** The thread's first message (the paste), and the conversation the thread is. */
    root: Record<string, unknown>;
    conversationId: string;
    /** Done actions (pressed or typed), and how many of them were typed. */
    presses: number;
    typed: number;
    /** The invokes of its last action when that was a Done press (their answers show the end state). */
    lastPress?: string;
  }
  /** Every invoke sent and what the replica answered (Teams shows a missing answer as an error). */
  const invokes: { what: string; action: string; status: number; json: unknown }[] = [];

  /** Teams' delivery of an activity (status 0: the replica died before answering). */
  const sendTeams = (to: Replica, activity: Record<string, unknown>): Promise<{ status: number; json: unknown }> =>
    send(to.teamsUrl, activity).catch(() => ({ status: 0, json: undefined }));

  /** An Action.Execute invoke, its answer kept for the end. */
  const invokeOn = async (to: Replica, what: string, activity: Record<string, unknown>): Promise<void> => {
    const res = await sendTeams(to, activity);
    invokes.push({ what: `${what} on ${to.name}`, action: what, status: res.status, json: res.json });
  };

  const teamsCalls = (th: TeamsThread): ConnectorCall[] => bc.calls.filter((c) => c.conversationId === th.conversationId);
  const teamsDiagnosis = (th: TeamsThread): ConnectorCall[] => teamsCalls(th).filter((c) => c.op !== 'update' && ehloData(c)[0]?.k === 'diagnosis');
  /**
   * The newest step card of a Teams thread: its activity id, its last write and what it shows. Each
   * replica replaces the step card it knows of (one it posted, replaced or had pressed) and posts a
   * new one when it knows none, so a thread can hold several; every write is made holding the thread,
   * so the card written last shows the newest state. With EHLO_SOAK_TEAMS_POSTED=1 the newest card is
   * the one posted last (the lowest in the thread, as people read it), in its latest version: that
   * holds only once every replica knows the session's one step card (README: the soak paragraph).
   */
  function teamsStepCard(th: TeamsThread): { id: string; call: ConnectorCall; meta: StepMeta } | undefined {
    const writes = teamsCalls(th).filter((c) => teamsStepMeta(c));
    const id = TEAMS_POSTED ? writes.filter((c) => c.op !== 'update').at(-1)?.id : writes.at(-1)?.id;
    const last = writes.filter((c) => c.id === id).at(-1);
    return last ? { id: last.id, call: last, meta: teamsStepMeta(last)! } : undefined;
  }
  const teamsVersion = (th: TeamsThread): number => teamsStepCard(th)?.meta.version ?? 0;
  function teamsLog(th: TeamsThread): string {
    return teamsCalls(th).map((c) => `\n  ${c.op} ${c.id} ${JSON.stringify(teamsStepMeta(c) ?? null)} ${ehloData(c)[0]?.k ?? '-'}`).join('');
  }
  const withTeamsThread = (th: TeamsThread) => (err: Error): never => {
    throw new Error(`${err.message}; the Teams thread:${teamsLog(th)}`);
  };
  /** Two distinct live replicas for Teams traffic, in random order. */
  const twoForTeams = (): [Replica, Replica] => {
    const live = alive();
    const a = live[Math.floor(teamsRand() * live.length)]!;
    const others = live.filter((r) => r !== a);
    return [a, others[Math.floor(teamsRand() * others.length)]!];
  };

  /** Two distinct live replicas, in random order. */
  const twoReplicas = (): [Replica, Replica] => {
    const live = alive();
    const a = pick(live);
    const b = pick(live.filter((r) => r !== a));
    return [a, b];
  };


  /** The thread's step cards (a press updates its card; a typed command posts a new one). */
  const stepPosts = (ts: string) => fake.ok('chat.postMessage').filter((c) => c.args.thread_ts === ts && stepMeta(c));

  /**
   * The thread's newest step card (the last one posted) in its latest version: its ts and that last
   * post or update. An older card keeps the step it showed when a typed command posted a newer one
   * (and a late replay of a press on it may re-render it): only the newest is the thread's live card.
   */
  function stepCard(threadTs: string): { ts: string; call: Call; meta: StepMeta } | undefined {
    const newest = stepPosts(threadTs).at(-1);
    if (!newest) return undefined;
    const ts = String(newest.response?.ts);
    const last = fake.messages().filter((c) => stepMeta(c) && ((c.method === 'chat.postMessage' && String(c.response?.ts) === ts) || (c.method === 'chat.update' && String(c.args.ts) === ts))).at(-1)!;
    return { ts, call: last, meta: stepMeta(last)! };
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
    // --- Walkthrough threads: a paste each (half of them delivered twice at once, as Slack retries);
    // Teams threads at the same time: a channel message @mentioning ehlo (half of them delivered to
    // two replicas at once, the same activity id twice).
    const threads = Array.from({ length: WALKTHROUGHS }, (_, i) => ({ i, env: eventEnvelope(NDR, { channel: CHANNEL }), presses: 1 + (i % 3), typed: 0 }));
    const teamsThreads: TeamsThread[] = Array.from({ length: TEAMS_WALKTHROUGHS }, (_, i) => {
      const id = nextId();
      const conversationId = `${TEAMS_CHANNEL};messageid=${id}`;
      return { i, root: message({ serviceUrl: bc.url, text: TEAMS_PASTE, mention: true, conversationId, id }), conversationId, presses: 1 + ((i + 1) % 3), typed: 0 };
    });
    await Promise.all([
      ...threads.map(async (t) => {
        const [a, b] = twoReplicas();
        const sent = [deliver(a, t.env.body)];
        if (t.i % 2 === 0) sent.push(deliver(b, t.env.body, 1));
        expect(await Promise.all(sent)).toEqual(sent.map(() => 200));
      }),
      ...teamsThreads.map(async (th) => {
        const [a, b] = twoForTeams();
        const sent = [sendTeams(a, th.root)];
        if (th.i % 2 === 0) sent.push(sendTeams(b, th.root));
        expect((await Promise.all(sent)).map((r) => r.status)).toEqual(sent.map(() => 200));
      }),
    ]);
    const diagnosis = (ts: string) => fake.ok('chat.postMessage').filter((c) => c.args.thread_ts === ts && (c.args.metadata as { event_type?: string } | undefined)?.event_type === 'ehlo_diagnosis');
    for (const t of threads) await until(() => diagnosis(t.env.ts).length > 0, `the diagnosis card in walkthrough thread ${t.i}`);
    for (const th of teamsThreads) await until(() => teamsDiagnosis(th).length > 0, `the diagnosis card in Teams thread ${th.i}`).catch(withTeamsThread(th));

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
    // Every Start answered before the kill below: a Start pressed while the walkthrough already runs
    // posts the step card again, and a replica killed before it delivered that would lose it (Slack
    // does not retry presses; nothing of the session is lost, the card count below would be).
    for (const t of threads) await until(() => stepPosts(t.env.ts).length >= 1 + (t.i % 2), `the step cards of walkthrough thread ${t.i}'s Start presses`).catch(withThread(t.env.ts));

    // Teams: Start walkthrough on the diagnosis card; even threads one invoke delivered to two
    // replicas (a retry: the same activity id), odd threads two people on two replicas at once.
    await Promise.all(
      teamsThreads.map(async (th) => {
        const card = teamsDiagnosis(th)[0]!;
        const start = actionsOf(cardOf(card.body)).find((x) => x.title === 'Start walkthrough');
        if (!start) throw new Error(`Teams thread ${th.i}: no Start walkthrough action on its diagnosis card`);
        const [a, b] = twoForTeams();
        const pressOf = (from: typeof ALICE) => invoke({ serviceUrl: bc.url, conversationId: th.conversationId, replyToId: card.id, verb: start.verb, data: start.data, from });
        const first = pressOf(ALICE);
        await Promise.all([invokeOn(a, `Teams thread ${th.i} Start`, first), invokeOn(b, `Teams thread ${th.i} Start`, th.i % 2 === 0 ? first : pressOf(BOB))]);
      }),
    );
    for (const th of teamsThreads) await until(() => teamsStepCard(th) !== undefined, `the first step card in Teams thread ${th.i}`).catch(withTeamsThread(th));

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
    // Teams thread 0's Done invoke goes to the doomed replica too (before-commit mode), waiting for
    // its thread's lock; Teams gets no answer and sends the same activity again, to a live replica.
    const teamsFirst = teamsThreads[0]!;
    const teamsCard = teamsStepCard(teamsFirst)!;
    const teamsDone = actionsOf(cardOf(teamsCard.call.body)).find((x) => stepPayload((x.data?.ehlo as { v?: string } | undefined)?.v)?.c === 'done')!;
    const teamsPress = invoke({ serviceUrl: bc.url, conversationId: teamsFirst.conversationId, replyToId: teamsCard.id, verb: teamsDone.verb, data: teamsDone.data, from: ALICE });
    const teamsCallsBefore = teamsCalls(teamsFirst).length;
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
        const teamsLockKey = `ehlo-thread:${schema}:teams:${TENANT}:${teamsFirst.conversationId}`;
        await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0)), pg_advisory_lock(hashtextextended($2, 0))', [lockKey, teamsLockKey]);
        answered = await deliver(doomed, typed.body);
        const unanswered = sendTeams(doomed, teamsPress);
        // A one-bigint advisory lock shows in pg_locks as classid (high half), objid (low half), objsubid 1.
        const waitingSql = "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)";
        const waiting = (key: string) => async () => Number((await holder.query<{ n: number }>(waitingSql, [key])).rows[0]?.n ?? 0) > 0;
        await until(waiting(lockKey), `replica ${doomed.name} to wait for thread 0's lock (it answered ${answered})`, 20_000);
        await until(waiting(teamsLockKey), `replica ${doomed.name} to wait for Teams thread 0's lock`, 20_000);
        doomed.child.kill('SIGKILL');
        await doomed.exited;
        expect((await unanswered).status, 'the killed replica never answered the invoke').toBe(0);
        await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0)), pg_advisory_unlock(hashtextextended($2, 0))', [lockKey, teamsLockKey]);
      } finally {
        holder.release();
        await pool.end();
      }
      expect(fake.calls.slice(callsBefore).filter((c) => c.args.thread_ts === first.env.ts), 'the killed replica answered nothing in thread 0').toEqual([]);
      expect(teamsCalls(teamsFirst).slice(teamsCallsBefore), 'the killed replica wrote nothing in Teams thread 0').toEqual([]);
    }
    // Teams sends the invoke again (the same activity id) to a live replica: applied once, answered.
    await invokeOn(twoForTeams()[0], `Teams thread 0 Done (v${teamsCard.meta.version}) again after the kill`, teamsPress);
    teamsFirst.presses--; // one of Teams thread 0's Done actions
    await until(() => teamsVersion(teamsFirst) > teamsCard.meta.version, `Teams thread 0's step card to move past version ${teamsCard.meta.version} after the invoke sent again`).catch(withTeamsThread(teamsFirst));
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
    await Promise.all([
      ...threads.map(async (t) => {
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
            // The next action goes as soon as the card moved (the replayed copy's re-render of the
            // card may still be on its way), unless EHLO_SOAK_RACE=0: then both copies' updates land first.
            if (!RACE) await until(() => updatesOf(cardTs) >= updatesBefore + 2, `both copies of thread ${t.i}'s Done press (v${meta.version}) to update its card`).catch(withThread(t.env.ts));
          }
          await until(() => versionOf(t.env.ts) > meta.version, `thread ${t.i}'s step card to move past version ${meta.version} (at step ${meta.step})`).catch(withThread(t.env.ts));
        }
      }),
      // Teams threads meanwhile: Done invoked on the step card on both replicas at once (two people,
      // or one person twice), or "@ehlo done" typed and delivered to both replicas (one activity id).
      ...teamsThreads.map(async (th) => {
        const own = random(SEED * 1000 + 500 + th.i);
        for (let n = 0; n < th.presses; n++) {
          const { id: cardId, call: card, meta } = teamsStepCard(th)!;
          const live = alive();
          const a = live[Math.floor(own() * live.length)]!;
          const b = live.find((r) => r !== a)!;
          if (own() < 0.3) {
            th.typed++;
            th.lastPress = undefined;
            const typed = message({ serviceUrl: bc.url, text: '<at>ehlo</at> done', mention: true, conversationId: th.conversationId });
            expect((await Promise.all([sendTeams(a, typed), sendTeams(b, typed)])).map((r) => r.status)).toEqual([200, 200]);
          } else {
            const done = actionsOf(cardOf(card.body)).find((x) => stepPayload((x.data?.ehlo as { v?: string } | undefined)?.v)?.c === 'done');
            if (!done) throw new Error(`Teams thread ${th.i}: no Done action on its step card`);
            const pressOf = (from: typeof ALICE) => invoke({ serviceUrl: bc.url, conversationId: th.conversationId, replyToId: cardId, verb: done.verb, data: done.data, from });
            const what = `Teams thread ${th.i} Done (v${meta.version})`;
            th.lastPress = what;
            await Promise.all([invokeOn(a, what, pressOf(ALICE)), invokeOn(b, what, pressOf(own() < 0.5 ? ALICE : BOB))]);
          }
          await until(() => teamsVersion(th) > meta.version, `Teams thread ${th.i}'s step card to move past version ${meta.version} (at step ${meta.step})`).catch(withTeamsThread(th));
        }
      }),
    ]);
    first.presses += firstActions;
    teamsFirst.presses += 1;

    phase('done actions applied');
    for (const th of teamsThreads) phase(`Teams thread ${th.i} (${th.presses} done, ${th.typed} typed):${teamsLog(th)}`);
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
      // === Teams threads alike: the session, one diagnosis card, the newest step card showing the session.
      for (const th of teamsThreads) {
        const session = await store.getSessionByThread(`teams:${TENANT}:${th.conversationId}`);
        if (!session) throw new Error(`Teams thread ${th.i}: no session in the store`);
        const path = donePath(th.presses);
        expect({ teams: th.i, status: session.status, cursor: session.cursor, path: session.path }).toEqual({ teams: th.i, status: 'active', cursor: path.at(-1), path });
        expect(session.timeline.filter((e) => e.action === 'start')).toHaveLength(1);
        expect(session.timeline.filter((e) => e.action === 'done')).toHaveLength(th.presses);
        expect(teamsDiagnosis(th), `Teams thread ${th.i}: diagnosis cards`).toHaveLength(1);
        const last = teamsStepCard(th)!;
        expect({ teams: th.i, ...last.meta }, `Teams thread ${th.i}:${teamsLog(th)}`).toEqual({ teams: th.i, step: session.cursor, version: session.version });
        expect(actionsOf(cardOf(last.call.body)).map((x) => x.title)).toEqual(expect.arrayContaining(['Skip', 'Escalate', 'Stop']));
        // The card each presser's client shows after the thread's last press (Teams replaces the pressed card with the answer).
        const answers = invokes.filter((x) => th.lastPress && x.action === th.lastPress);
        const shown = answers.map((x) => {
          const card = (x.json as { value?: unknown } | undefined)?.value;
          const meta = actionsOf(card).map((a) => stepPayload((a.data?.ehlo as { v?: string } | undefined)?.v)).find((p) => p);
          return { to: x.what, step: meta?.t, version: meta?.v };
        });
        expect(shown).toEqual(answers.map((x) => ({ to: x.what, step: session.cursor, version: session.version })));
      }
    } finally {
      await store.close();
    }

    // === Teams: every invoke was answered with a card (HTTP 200, an adaptive card in the body).
    const pressesTeams = teamsThreads.reduce((n, th) => n + th.presses - th.typed, 0);
    // Each Start twice, each pressed Done twice but Teams thread 0's first (once, to a live replica, after the kill).
    expect(invokes).toHaveLength(2 * TEAMS_WALKTHROUGHS + 2 * pressesTeams - 1);
    const unanswered = invokes.filter((x) => {
      try {
        return x.status !== 200 || !invokeCard(x.json);
      } catch {
        return true;
      }
    });
    expect(unanswered.map((x) => `${x.what}: ${x.status} ${JSON.stringify(x.json)?.slice(0, 200)}`)).toEqual([]);

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
    expect(entries).toBeGreaterThanOrEqual([...threads, ...teamsThreads].reduce((n, t) => n + 1 + t.presses, 0));

    // The live replicas and runner still stop cleanly.
    for (const r of alive()) r.child.kill('SIGTERM');
    for (const r of replicas.filter((x) => x !== doomed)) expect(await r.exited, `replica ${r.name} on SIGTERM:\n${r.stderr().slice(-2000)}`).toBe(0);
  }, 300_000);
});

