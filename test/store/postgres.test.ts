import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/create.ts';
import { StoreUnavailableError } from '../../src/store/errors.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import { storeContract } from './contract.ts';

const url = process.env.DATABASE_URL ?? '';

/** A schema name no other test file or run will use. */
function uniqueSchema(): string {
  return `ehlo_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
}

async function dropSchema(schema: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await pool.end();
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
      expect((await store.migrate()).applied).toEqual([1]);
      await store.close();
      await dropSchema(schema);
    });

    it('refuses a schema name that is not a plain identifier', () => {
      expect(() => new PostgresStore({ url, schema: 'x; DROP TABLE y' })).toThrow('must be lowercase letters');
    });
  });
});
