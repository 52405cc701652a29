// Choosing the store: PostgreSQL when a DATABASE_URL is given, else the SQLite file under ./data/.
import { PostgresStore } from './postgres.ts';
import { SqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

export interface StoreConfig {
  /** postgres://… selects PostgreSQL; absent or empty selects SQLite. */
  databaseUrl?: string;
  /** PostgreSQL schema for ehlo's tables (default "public"). */
  schema?: string;
  /** PostgreSQL pool sizes (defaults 10 and 20). */
  poolSize?: number;
  lockPoolSize?: number;
  /** SQLite file, default data/ehlo.sqlite; ":memory:" for a throwaway store. */
  sqlitePath?: string;
  /** SQLite: how long a write waits for another process's transaction (default 5 s). */
  busyTimeoutMs?: number;
}

/** Create the store (no connection yet: call migrate() to open it and bring the schema up to date). */
export function createStore(config: StoreConfig = {}): Store {
  if (config.databaseUrl) return new PostgresStore({ url: config.databaseUrl, schema: config.schema, poolSize: config.poolSize, lockPoolSize: config.lockPoolSize });
  return new SqliteStore({ path: config.sqlitePath, busyTimeoutMs: config.busyTimeoutMs });
}
