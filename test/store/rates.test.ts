// Probe rate limits shared by replicas through PostgreSQL: two stores (two pools, as two replicas
// have) count hits on one table; concurrent hits never take more slots than the limit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultProbeConfig } from '../../src/probes/config.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/pg.ts';

describe.runIf(PG_URL)('probe rate limits on PostgreSQL', () => {
  let schema: string;
  let stores: PostgresStore[];
  beforeEach(async () => {
    schema = uniqueSchema();
    stores = [new PostgresStore({ url: PG_URL, schema }), new PostgresStore({ url: PG_URL, schema })];
    await stores[0]!.migrate();
  });
  afterEach(async () => {
    for (const s of stores) await s.close();
    await dropSchema(schema);
  });

  it('counts hits from both replicas against one limit, and says when to try again', async () => {
    const [a, b] = stores.map((s) => s.rates());
    const decisions = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a! : b!).hit('target:mail.contoso.test', 60_000, 5, 1_000_000)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(decisions.filter((d) => !d.allowed).every((d) => d.retryAfterMs > 0)).toBe(true);
    // A minute later the window has moved on.
    expect((await a!.hit('target:mail.contoso.test', 60_000, 5, 1_061_000)).allowed).toBe(true);
    expect((await b!.hit('target:other.test', 60_000, 5, 1_000_000)).allowed).toBe(true);
  });

  it('refuses the third probe of a target across two limiters at two per minute', async () => {
    const limits = { ...defaultProbeConfig().limits, perTargetPerMinute: 2 };
    const [la, lb] = stores.map((s) => new ProbeLimiter(s.rates()));
    const results = [await la!.acquire('mail.contoso.test', 'U1', limits), await lb!.acquire('mail.contoso.test', 'U2', limits), await la!.acquire('mail.contoso.test', 'U3', limits)];
    for (const r of results.slice(0, 2)) if ('release' in r) r.release();
    expect(results.map((r) => ('release' in r ? 'ok' : r.rule))).toEqual(['ok', 'ok', 'limits.perTargetPerMinute']);
  });
});
