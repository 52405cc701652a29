// The `runners:` configuration section: which zone probes which targets (pattern=zone, first match
// wins), the pg-boss schema the probe queues live in, and the timings of a probe job. With no zones,
// every probe runs in the replica as before.
import { z } from 'zod';
import { parseZoneRule, ZoneMap, type ZoneRule } from './zones.ts';

const ZoneEntry = z
  .string()
  .max(300)
  .superRefine((s, ctx) => {
    const r = parseZoneRule(s);
    if (typeof r === 'string') ctx.addIssue({ code: 'custom', message: r });
  });

export const RunnersConfig = z
  .object({
    /** `*.corp.contoso.com=dmz`, `*=edge`: targets matching a pattern are probed by that zone's runners. */
    zones: z.array(ZoneEntry).max(200).default([]),
    /** PostgreSQL schema of the queue (pg-boss's tables); runners need rights on this schema only. */
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be lowercase letters, digits and underscores (a PostgreSQL schema name)').default('pgboss'),
    /** The queue's PostgreSQL URL when it is not the store's (a runner's role limited to the queue schema). */
    databaseUrl: z.string().regex(/^postgres(?:ql)?:\/\/\S+$/, 'must be a PostgreSQL URL like postgres://runner@host:5432/ehlo').optional(),
    /** A job's deadline from when it is posted: no result by then and the card says the check timed out. */
    deadlineMs: z.number().int().min(1_000).max(600_000).default(45_000),
    /** How often a replica reads the state of the jobs it waits for. */
    pollMs: z.number().int().min(20).max(10_000).default(250),
    /** Jobs one runner runs at once. */
    concurrency: z.number().int().min(1).max(256).default(8),
    /** pg-boss heartbeat of an active job: a runner silent this long loses the job to another (min 10). */
    heartbeatSeconds: z.number().int().min(10).max(300).default(10),
    /** How often a runner refreshes its heartbeat and so notices a cancelled job (seconds). */
    heartbeatRefreshSeconds: z.number().min(0.2).max(60).default(1),
    /** How often expired and heart-beat-stale jobs are failed or retried (pg-boss supervision, seconds). */
    superviseSeconds: z.number().int().min(1).max(3600).default(5),
    /** Attempts after the first (a runner that died mid-job). */
    retryLimit: z.number().int().min(0).max(5).default(1),
  })
  .strict();
export type RunnersConfig = z.infer<typeof RunnersConfig>;

export function zoneMapOf(config: RunnersConfig): ZoneMap {
  return new ZoneMap(config.zones.map((z) => parseZoneRule(z) as ZoneRule));
}
