import pg from 'pg';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/create.ts';
import { StoreUnavailableError } from '../../src/walkthrough/store.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import { Walkthroughs } from '../../src/walkthrough/walkthroughs.ts';
import { alice, modelPlaybook, playbookSource } from '../walkthrough/fixtures/playbooks.ts';
import { storeContract } from './contract.ts';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/pg.ts';

const url = PG_URL;

/** A TCP relay in front of the real server that can be taken down (every connection cut) and brought back. */
class Relay {
  readonly #target: URL;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  port = 0;

  constructor(target: string) {
    this.#target = new URL(target);
  }

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(Number(this.#target.port || 5432), this.#target.hostname);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  async down(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  url(): string {
    const u = new URL(this.#target);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }
}

describe.runIf(url)('PostgreSQL store', () => {
  storeContract('postgres', async () => {
    const schema = uniqueSchema();
    return {
      open: () => new PostgresStore({ url, schema }),
      unreachable: () => new PostgresStore({ url: 'postgres://ehlo:secret@127.0.0.1:1/ehlo', schema }),
      dispose: () => dropSchema(schema),
    };
  });

  describe('PostgreSQL specifics', () => {
    let silent: Server;
    let port = 0;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      // Accepts TCP connections and never answers: a server that hangs.
      silent = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      port = (silent.address() as { port: number }).port;
    });

    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it('gives up on a server that accepts but never answers, with StoreUnavailableError', async () => {
      const store = new PostgresStore({ url: `postgres://ehlo@127.0.0.1:${port}/ehlo`, connectTimeoutMs: 300 });
      const err = await store.getSession('s1').then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect((err as Error).message).toContain(`PostgreSQL 127.0.0.1:${port}/ehlo`);
      await store.close();
    });

    it('never puts the password in its messages', async () => {
      const store = new PostgresStore({ url: 'postgres://ehlo:hunter2@127.0.0.1:1/ehlo' });
      const err = (await store.migrate().then(() => undefined, (e: unknown) => e)) as Error;
      expect(err.message).not.toContain('hunter2');
      expect(store.where).toBe('PostgreSQL 127.0.0.1:1/ehlo');
      await store.close();
    });

    it('is what createStore returns when a DATABASE_URL is given', async () => {
      const schema = uniqueSchema();
      const store = createStore({ databaseUrl: url, schema });
      expect(store.kind).toBe('postgres');
      expect((await store.migrate()).applied).toEqual(MIGRATIONS.map((m) => m.version));
      await store.close();
      await dropSchema(schema);
    });

    it('answers "unavailable" while the server is gone and resumes the same session when it is back', async () => {
      const relay = new Relay(url);
      await relay.up();
      const schema = uniqueSchema();
      const store = new PostgresStore({ url: relay.url(), schema, connectTimeoutMs: 500 });
      const model = modelPlaybook();
      const wt = new Walkthroughs({ store, playbooks: playbookSource(model) });
      try {
        const started = await wt.start({ threadKey: 'slack:C1:t1', playbookId: model.id, actor: alice });
        expect(started.kind).toBe('applied');
        await relay.down();
        const during = await wt.act({ target: { threadKey: 'slack:C1:t1' }, action: { type: 'done' }, actor: alice, expectedStep: 'confirm-queue-error', idempotencyKey: 'p1' });
        expect(during.kind).toBe('unavailable');
        expect(during.kind === 'unavailable' && during.message).toContain('Walkthroughs are paused');
        expect(await store.health()).toMatchObject({ ok: false });
        await relay.up();
        const after = await wt.act({ target: { threadKey: 'slack:C1:t1' }, action: { type: 'done' }, actor: alice, expectedStep: 'confirm-queue-error', idempotencyKey: 'p1' });
        expect(after).toMatchObject({ kind: 'applied', replayed: false, session: { version: 2, cursor: 'check-third-party-agents' } });
      } finally {
        await store.close();
        await relay.down();
        await dropSchema(schema);
      }
    });

    it('starts serving walkthroughs once a server that was down at start-up comes up', async () => {
      const relay = new Relay(url);
      await relay.up();
      await relay.down();
      const schema = uniqueSchema();
      const store = new PostgresStore({ url: relay.url(), schema, connectTimeoutMs: 500 });
      const model = modelPlaybook();
      const wt = new Walkthroughs({ store, playbooks: playbookSource(model) });
      try {
        expect((await wt.start({ threadKey: 'slack:C1:t1', playbookId: model.id, actor: alice })).kind).toBe('unavailable');
        await relay.up();
        expect((await wt.start({ threadKey: 'slack:C1:t1', playbookId: model.id, actor: alice })).kind).toBe('applied');
      } finally {
        await store.close();
        await relay.down();
        await dropSchema(schema);
      }
    });

    it('keeps a pending audit row that cannot be chained, marked stuck, and chains the rest around it', async () => {
      const schema = uniqueSchema();
      const store = new PostgresStore({ url, schema });
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        await store.migrate();
        const at = new Date('2026-12-04T10:00:00.000Z').toISOString();
        const entry = (action: string) => ({ at, actorPlatform: 'teams', actorId: 'a', actorName: 'A', thread: 'teams:T:19:s', session: '', step: '', action, detail: '{}' });
        await store.commitEvent({ audit: [entry('paste-matched')], auditLater: true });
        // An entry without its fields (no ehlo code writes one) cannot go into the chain.
        await pool.query(`INSERT INTO ${schema}.audit_pending (entries) VALUES ('[{"action":"broken"}]')`);
        await store.commitEvent({ audit: [entry('press')], auditLater: true });
        expect((await store.appendAudit(entry('note'))).seq).toBe(3);
        expect((await store.readAudit({})).map((e) => e.action)).toEqual(['paste-matched', 'press', 'note']);
        const { rows } = await pool.query<{ entries: unknown; stuck: string }>(`SELECT entries, stuck FROM ${schema}.audit_pending`);
        expect(rows).toHaveLength(1);
        expect(rows[0]?.entries).toEqual([{ action: 'broken' }]);
        expect(rows[0]?.stuck).toMatch(/null value/);
      } finally {
        await store.close();
        await pool.end();
        await dropSchema(schema);
      }
    });

    it('refuses a schema name that is not a plain identifier', () => {
      expect(() => new PostgresStore({ url, schema: 'x; DROP TABLE y' })).toThrow('must be lowercase letters');
    });
  });
});
