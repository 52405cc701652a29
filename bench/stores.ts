// Shared by the benchmarks that measure each store: run a section on a throwaway SQLite file, then on a
// throwaway PostgreSQL schema when DATABASE_URL is set, cleaning up after each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreConfig } from '../src/store/create.ts';

export async function forEachStore(schemaPrefix: string, run: (label: string, config: StoreConfig) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ehlo-bench-'));
  try {
    await run('SQLite', { sqlitePath: join(dir, 'ehlo.sqlite') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log('  PostgreSQL: skipped (set DATABASE_URL to measure it)');
    return;
  }
  const schema = `${schemaPrefix}_${process.pid}`;
  try {
    await run('PostgreSQL', { databaseUrl: url, schema });
  } finally {
    await dropSchema(url, schema);
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await pool.end();
  }
}
