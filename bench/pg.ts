// Shared by the benchmarks that measure PostgreSQL: drop the throwaway schema a run created.
export async function dropSchema(url: string, schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await pool.end();
  }
}
