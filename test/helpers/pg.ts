// PostgreSQL in tests: DATABASE_URL (set by .ci/run), a schema per test so runs never meet, dropped after.
import { afterAll, beforeAll } from 'vitest';
import pg from 'pg';

export const PG_URL = process.env.DATABASE_URL ?? '';

/** A schema name no other test file or run will use. */
export function uniqueSchema(): string {
  return `ehlo_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await pool.end();
  }
}

/**
 * In the describe block that calls it: a schema of its own, migrated before its tests and dropped
 * after them. Its tests open their stores on it (`new PostgresStore({ url: PG_URL, schema })`).
 */
export function migratedSchema(): string {
  const schema = uniqueSchema();
  beforeAll(async () => {
    const { PostgresStore } = await import('../../src/store/postgres.ts');
    const s = new PostgresStore({ url: PG_URL, schema });
    await s.migrate();
    await s.close();
  });
  afterAll(() => dropSchema(schema));
  return schema;
}
