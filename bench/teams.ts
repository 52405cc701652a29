// Teams channel figures: activities per second and p50/p99 from a message activity posted to
// /api/messages to the reply recorded by a loopback fake Bot Connector, for ehlo (development mode,
// each activity a real NDR pasted with an @mention in its own channel thread: match, diagnosis card,
// Adaptive Card rendering, connector call) on SQLite and, with DATABASE_URL, PostgreSQL; beside a bare
// Microsoft 365 Agents SDK app (AgentApplication on CloudAdapter, the same express + JWT middleware
// stack as agents-hosting-express' startServer) that echoes every message, measured the same way.
// One at a time and 16 at once, in five rounds that alternate the two apps: the median round's
// figures, and the median of the rounds' ratios (each of two runs back to back, so that load from
// elsewhere on the machine hits both alike). Figures only; nothing passes or fails.
// Standalone: `node bench/teams.ts`; `npm run bench` calls run().
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentApplication, authorizeJWT, CloudAdapter, getAuthConfigWithDefaults, MemoryStorage, type TurnState } from '@microsoft/agents-hosting';
import express from 'express';
import pino from 'pino';
import { EhloConfig } from '../src/config.ts';
import { createRuntime, serve } from '../src/server/runtime.ts';
import { forEachStore } from './stores.ts';
import { middle, ratio, type Figures } from './rounds.ts';

const CASE = 'soe-o365-54312-dns-inforecords';
const SEQUENTIAL = 200;
const PARALLEL = 800;
const CONCURRENCY = 16;
const ROUNDS = 5;

export function paste(): string {
  const line = readFileSync(new URL('../test/fixtures/corpus-cases.jsonl', import.meta.url), 'utf8').split('\n').find((l) => l.includes(`"id": "${CASE}"`));
  if (!line) throw new Error(`corpus case ${CASE} is missing`);
  return (JSON.parse(line) as { text: string }).text;
}

/** A fake Bot Connector that resolves the waiter of the activity each reply answers. */
export async function connector(): Promise<{ url: string; waitReply(activityId: string): Promise<void>; close(): Promise<void> }> {
  const waiters = new Map<string, () => void>();
  const early = new Set<string>();
  let n = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
      const at = path.lastIndexOf('/activities/');
      const replyTo = at >= 0 && req.method === 'POST' ? path.slice(at + '/activities/'.length) : undefined;
      n += 1;
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `b${n}` }));
      if (!replyTo) return;
      const w = waiters.get(replyTo);
      if (w) {
        waiters.delete(replyTo);
        w();
      } else early.add(replyTo);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    waitReply: (id) => (early.delete(id) ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(id, resolve))),
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

let seq = 0;
function activity(serviceUrl: string, text: string): Record<string, unknown> {
  seq += 1;
  const id = `17${String(seq).padStart(11, '0')}`;
  return {
    type: 'message', id, serviceUrl, channelId: 'msteams', timestamp: new Date().toISOString(),
    from: { id: '29:1bench', name: 'Bench', aadObjectId: '00000000-0000-4000-8000-0000000be0c0' },
    conversation: { id: `19:bench@thread.tacv2;messageid=${id}`, conversationType: 'channel', tenantId: 'bench-tenant', isGroup: true },
    recipient: { id: '28:ehlo', name: 'ehlo' },
    text: `<at>ehlo</at> ${text}`, textFormat: 'plain',
    entities: [{ type: 'mention', text: '<at>ehlo</at>', mentioned: { id: '28:ehlo', name: 'ehlo' } }],
    channelData: { tenant: { id: 'bench-tenant' } },
  };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function drive(endpoint: string, bc: Awaited<ReturnType<typeof connector>>, text: string, total: number, concurrency: number): Promise<Figures> {
  const lat: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < total) {
      next += 1;
      const a = activity(bc.url, text);
      const replied = bc.waitReply(a.id as string);
      const t0 = performance.now();
      const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(a) });
      await res.arrayBuffer();
      if (res.status >= 300) throw new Error(`status ${res.status}`);
      await replied;
      lat.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - started) / 1000;
  lat.sort((x, y) => x - y);
  return { perSecond: total / secs, p50: pct(lat, 50), p99: pct(lat, 99) };
}

/**
 * The bare Agents SDK echo app on its own port. With `durable`, it first stores each activity in
 * PostgreSQL (one INSERT, committed to disk) and echoes after the commit: the least any app pays that
 * answers only what it has stored, as ehlo does, so its ratio to the bare echo shows what the disk
 * flush alone costs against a bare echo that stores nothing.
 */
async function echoApp(durable?: { insert(id: string, body: string): Promise<void>; close(): Promise<void> }): Promise<{ endpoint: string; close(): Promise<void> }> {
  const app = new AgentApplication<TurnState>({ storage: new MemoryStorage() });
  app.onActivity('message', async (context) => {
    if (durable) await durable.insert(String(context.activity.id), JSON.stringify(context.activity));
    await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
  });
  const auth = getAuthConfigWithDefaults({});
  const adapter = new CloudAdapter(auth);
  const server = express();
  server.use(express.json({ limit: '1mb' }));
  server.post('/api/messages', authorizeJWT(auth), (req, res) => {
    void adapter.process(req as never, res as never, (context) => app.run(context));
  });
  const http = createServer(server);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/messages`,
    close: async () => {
      await new Promise<void>((r) => {
        http.close(() => r());
        http.closeAllConnections();
      });
      await durable?.close();
    },
  };
}

/** A table of the bench's schema that the durable echo inserts every activity into (dropped with the schema). */
async function durableTable(url: string, schema: string): Promise<{ insert(id: string, body: string): Promise<void>; close(): Promise<void> }> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${schema}.bench_echo (id text PRIMARY KEY, body text NOT NULL)`);
  return {
    insert: async (id, body) => {
      await pool.query({ name: 'bench_echo_insert', text: `INSERT INTO ${schema}.bench_echo (id, body) VALUES ($1, $2)`, values: [id, body] });
    },
    close: () => pool.end(),
  };
}

function line(label: string, f: Figures): string {
  return `  ${label.padEnd(34)} ${f.perSecond.toFixed(0).padStart(6)} activities/s   p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms`;
}

export async function run(): Promise<void> {
  console.log(`Teams channel: activity posted to /api/messages → reply recorded by a loopback Bot Connector (${ROUNDS} rounds alternating echo and ehlo: the median round, and the median of the rounds' ratios)`);
  const text = paste();
  const bc = await connector();
  const echo = await echoApp();
  try {
    await drive(echo.endpoint, bc, text, 200, 4);
    await forEachStore('ehlo_bench_teams', async (label, store) => {
      const config = EhloConfig.parse({ store, server: { port: 0, host: '127.0.0.1' }, teams: { dev: true } });
      const rt = createRuntime(config, { logger: pino({ level: 'silent' }) });
      const served = await serve(rt, ['teams']);
      const durable = store.databaseUrl && store.schema ? await echoApp(await durableTable(store.databaseUrl, store.schema)) : undefined;
      try {
        const endpoint = `http://127.0.0.1:${served.port}/api/messages`;
        await drive(endpoint, bc, text, 200, 4);
        if (durable) await drive(durable.endpoint, bc, text, 200, 4);
        // Rounds alternate the two apps so that load from elsewhere on the machine hits both alike.
        const r = { echo1: [] as Figures[], one: [] as Figures[], echoN: [] as Figures[], many: [] as Figures[], durable1: [] as Figures[], durableN: [] as Figures[] };
        for (let round = 0; round < ROUNDS; round++) {
          r.echo1.push(await drive(echo.endpoint, bc, text, SEQUENTIAL, 1));
          r.one.push(await drive(endpoint, bc, text, SEQUENTIAL, 1));
          if (durable) r.durable1.push(await drive(durable.endpoint, bc, text, SEQUENTIAL, 1));
          r.echoN.push(await drive(echo.endpoint, bc, text, PARALLEL, CONCURRENCY));
          r.many.push(await drive(endpoint, bc, text, PARALLEL, CONCURRENCY));
          if (durable) r.durableN.push(await drive(durable.endpoint, bc, text, PARALLEL, CONCURRENCY));
        }
        const vsDurable = (ehlo: Figures[], d: Figures[]): string => (durable ? `, to the durable echo ${ratio(ehlo, d)}` : '');
        console.log(line('bare Agents SDK echo, 1 at a time', middle(r.echo1)));
        if (durable) console.log(line('  the same storing each in PostgreSQL', middle(r.durable1)) + `   ratio to echo ${ratio(r.durable1, r.echo1)}`);
        console.log(line(`ehlo on ${label}, 1 at a time`, middle(r.one)) + `   ratio to echo ${ratio(r.one, r.echo1)}${vsDurable(r.one, r.durable1)}`);
        console.log(line(`bare Agents SDK echo, ${CONCURRENCY} at once`, middle(r.echoN)));
        if (durable) console.log(line('  the same storing each in PostgreSQL', middle(r.durableN)) + `   ratio to echo ${ratio(r.durableN, r.echoN)}`);
        console.log(line(`ehlo on ${label}, ${CONCURRENCY} at once`, middle(r.many)) + `   ratio to echo ${ratio(r.many, r.echoN)}${vsDurable(r.many, r.durableN)}`);
      } finally {
        await durable?.close();
        await served.stop();
      }
    });
  } finally {
    await echo.close();
    await bc.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
