// One pg-boss instance per process for the probe queues, set up the same way in replicas and runners:
// supervision often enough that a runner's lost heartbeat hands its job on within seconds, no cron,
// no index rebuilds. Only a replica (the schema's owner) installs or migrates the queue schema; a
// runner's role may only use it (see "Probe runners" in README.md).
import { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { RunnersConfig } from './config.ts';
import { queueName } from './zones.ts';

export interface BossOptions {
  url: string;
  config: RunnersConfig;
  /** true: may create and migrate the schema (replicas); false: only use it (runners). */
  owner: boolean;
  logger: Logger;
  /** Shown in pg-boss's instance registry. */
  name: string;
  max?: number;
}

export async function startBoss(o: BossOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: o.url,
    schema: o.config.schema,
    max: o.max ?? 6,
    application_name: `ehlo-${o.name}`.slice(0, 60),
    migrate: o.owner,
    createSchema: o.owner,
    supervise: true,
    schedule: false,
    reindex: false,
    monitorVacuum: false,
    superviseIntervalSeconds: o.config.superviseSeconds,
    monitorIntervalSeconds: o.config.superviseSeconds,
    instanceName: o.name,
    // A posted job wakes the zone's runners at once (NOTIFY); polling stays as the floor.
    useListenNotify: true,
  });
  boss.on('error', (err: unknown) => o.logger.warn({ err }, 'probe queue error'));
  try {
    await boss.start();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(o.owner ? `cannot open the probe queue (schema ${o.config.schema}): ${msg}` : `cannot use the probe queue (schema ${o.config.schema}): ${msg}. A replica (ehlo start with runners.zones set) installs the schema; the runner's role needs the grants in README "Probe runners".`, { cause: err });
  }
  return boss;
}

/** The queue of a zone, created once with the job defaults (idempotent in pg-boss). */
export async function ensureQueue(boss: PgBoss, zone: string, config: RunnersConfig): Promise<string> {
  const name = queueName(zone);
  await boss.createQueue(name, {
    retryLimit: config.retryLimit,
    retryDelay: 0,
    heartbeatSeconds: config.heartbeatSeconds,
    expireInSeconds: Math.ceil(config.deadlineMs / 1000) + 5,
    retentionSeconds: Math.ceil(config.deadlineMs / 1000) + 5,
    deleteAfterSeconds: 3600,
    notify: true,
  });
  return name;
}
