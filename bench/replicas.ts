// Replicas: events/s and p50/p99 through the HTTP endpoint for 1, 2 and 3 `ehlo start` replicas (each
// its own process) on one PostgreSQL schema, with the Slack Web API a loopback fake in this process.
// Signed Events API pastes go round-robin to the replicas, IN_FLIGHT at a time, each a new thread;
// latency runs from the request to the fake recording the diagnosis in the thread. Printed with the
// ratio to 1 replica. All processes share this machine's cores (nproc is printed): more replicas add
// processes, not cores, so the ratios say what sharing PostgreSQL costs, not how a cluster scales.
// Figures only; nothing passes or fails. Needs DATABASE_URL.
// Standalone: `node bench/replicas.ts [events]`; `npm run bench` calls run().
import { createHmac } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ENV_SETTINGS } from '../src/config.ts';
import { BOT_TOKEN, BOT_USER, FakeSlack, TEAM } from '../test/channels/slack/fake-slack.ts';
import { dropSchema, uniqueSchema } from '../test/helpers/pg.ts';
import { spawnSlackReplica, type StartedEhlo } from '../test/helpers/ehlo-start.ts';
import type { Figures } from './rounds.ts';

const SECRET = '8f742231b10e8888abcd99eeeeee85a5';
const IN_FLIGHT = 16;
const ROUNDS = 3;
const NDR = "Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=libsisimai.org]'";

type Replica = StartedEhlo;

let seq = 0;
function envelope(): { body: string; ts: string } {
  seq++;
  const ts = `${1_900_000_000 + seq}.${String(seq % 1_000_000).padStart(6, '0')}`;
  const body = JSON.stringify({
    token: 't', team_id: TEAM, api_app_id: 'A0EHLO', type: 'event_callback', event_id: `EvR${seq}`, event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
    event: { type: 'message', user: 'U0BENCH', text: NDR, ts, channel: 'C0BENCH', channel_type: 'channel', event_ts: ts, team: TEAM, client_msg_id: `r-${seq}` },
  });
  return { body, ts };
}

function signed(body: string): Record<string, string> {
  const t = Math.floor(Date.now() / 1000);
  return { 'content-type': 'application/json', 'x-slack-request-timestamp': String(t), 'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${t}:${body}`).digest('hex')}` };
}

/** Resolves when the fake records a chat.postMessage in the thread of `ts`. */
function waiter(fake: FakeSlack): (ts: string) => Promise<void> {
  const waiting = new Map<string, () => void>();
  fake.onCall = (call) => {
    if (call.method !== 'chat.postMessage') return;
    const ts = String(call.args.thread_ts ?? '');
    const done = waiting.get(ts);
    if (done) {
      waiting.delete(ts);
      done();
    }
  };
  return (ts) => new Promise((resolve) => waiting.set(ts, resolve));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function drive(urls: string[], wait: (ts: string) => Promise<void>, count: number): Promise<Figures> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const url = urls[next % urls.length]!;
      next++;
      const { body, ts } = envelope();
      const t0 = performance.now();
      const recorded = wait(ts);
      const res = await fetch(url, { method: 'POST', headers: signed(body), body });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`events endpoint ${url} answered ${res.status}`);
      await recorded;
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function startReplica(fake: FakeSlack, url: string, schema: string): Promise<Replica> {
  const env = {
    ...process.env,
    ...Object.fromEntries(ENV_SETTINGS.map((e) => [e.name, ''])),
    EHLO_CONFIG: '',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    EHLO_HTTP_HOST: '127.0.0.1',
    DATABASE_URL: url,
    EHLO_DB_SCHEMA: schema,
    EHLO_LOG_LEVEL: 'warn',
    EHLO_LOG_FORMAT: 'json',
  };
  return spawnSlackReplica(env);
}

function median(rounds: Figures[]): Figures {
  const sorted = [...rounds].sort((a, b) => a.perSecond - b.perSecond);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function run(count = 300): Promise<void> {
  console.log(`Replicas on PostgreSQL (signed Slack paste → recorded diagnosis, round-robin, ${IN_FLIGHT} in flight, ${count} events a run, median of ${ROUNDS} rounds; ${availableParallelism()} cores shared by every process)`);
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log('  skipped: set DATABASE_URL to a PostgreSQL the bench may create a schema in');
    return;
  }
  const schema = uniqueSchema();
  const fake = await new FakeSlack().start();
  fake.keep = false;
  fake.users.set('U0BENCH', { name: 'bench', display: 'Bench' });
  const wait = waiter(fake);
  const replicas: Replica[] = [];
  try {
    // The first replica migrates the schema; the others start on it. Idle replicas take no events.
    replicas.push(await startReplica(fake, url, schema));
    replicas.push(...(await Promise.all([startReplica(fake, url, schema), startReplica(fake, url, schema)])));
    const urls = replicas.map((r) => r.url);
    await drive(urls, wait, 60); // warm-up: every replica's JIT, pools and caches
    const runs = new Map<number, Figures[]>([[1, []], [2, []], [3, []]]);
    // Rounds alternate 1, 2, 3 so that load from elsewhere on the machine hits all three alike.
    for (let round = 0; round < ROUNDS; round++) for (const n of [1, 2, 3]) runs.get(n)!.push(await drive(urls.slice(0, n), wait, count));
    const one = median(runs.get(1)!);
    for (const n of [1, 2, 3]) {
      const f = median(runs.get(n)!);
      const ratio = n === 1 ? '' : `   ×${(f.perSecond / one.perSecond).toFixed(2)} events/s, ×${(f.p99 / one.p99).toFixed(2)} p99 vs 1 replica`;
      console.log(`  ${`${n} replica${n === 1 ? '' : 's'}`.padEnd(12)} ${f.perSecond.toFixed(0).padStart(5)} events/s   p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms${ratio}`);
    }
  } finally {
    for (const r of replicas) r.child.kill('SIGTERM');
    await Promise.all(replicas.map((r) => r.exited));
    await fake.close();
    await dropSchema(schema);
  }
}

export default run;

if (import.meta.main) await run(Number(process.argv[2]) || 300);
