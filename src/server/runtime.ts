// Building ehlo from its configuration: the catalog and matcher, the store, the walkthrough engine,
// the conversation core, metrics; and, for the chat platforms, the shared HTTP server with every
// configured channel mounted on it. `ehlo start` and the channel tests use the same code.
import type { Logger } from 'pino';
import { loadCatalog } from '../catalog/load.ts';
import type { Channel, ChannelHost } from '../channels/channel.ts';
import { NETWORK_CHANNELS, type NetworkChannelName } from '../channels/registry.ts';
import type { EhloConfig } from '../config.ts';
import { createConversation, type Conversation } from '../conversation/core.ts';
import { Matcher } from '../match/matcher.ts';
import { MemoryRateStore, ProbeLimiter } from '../probes/limits.ts';
import { createStore } from '../store/create.ts';
import { PostgresStore } from '../store/postgres.ts';
import type { Store } from '../store/store.ts';
import { Walkthroughs } from '../walkthrough/walkthroughs.ts';
import { HttpHost } from './http.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { AuditLog } from '../audit/log.ts';
import { OnCall } from '../escalation/oncall.ts';
import type { Pagers } from '../escalation/pager.ts';
import { Policy } from '../permissions/policy.ts';
import { InProcessExecutor } from '../probes/executor.ts';
import { zoneMapOf } from '../runner/config.ts';
import { createQueueMetrics } from '../runner/metrics.ts';
import { QueueExecutor } from '../runner/queue-executor.ts';
import { encodeAction } from '../conversation/actions.ts';

export interface Runtime {
  config: EhloConfig;
  logger: Logger;
  matcher: Matcher;
  store: Store;
  walkthroughs: Walkthroughs;
  core: Conversation;
  metrics: Metrics;
  audit: AuditLog;
  oncall: OnCall;
  /** The probe queue to the zones' runners (runners.zones set), else undefined: probes run here. */
  queue?: QueueExecutor;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  logger: Logger;
  matcher?: Matcher;
  metrics?: Metrics;
  /** The pagers (tests give ones with a short backoff); default from config.escalation.paging. */
  pagers?: Pagers;
}

export function createRuntime(config: EhloConfig, options: RuntimeOptions): Runtime {
  const matcher = options.matcher ?? new Matcher(loadCatalog());
  const store = createStore(config.store);
  const walkthroughs = new Walkthroughs({ store, playbooks: (id) => matcher.catalog.playbookById.get(id) });
  const metrics = options.metrics ?? createMetrics();
  // Probe rate limits: shared by every replica on PostgreSQL; one process's on SQLite.
  const limiter = new ProbeLimiter(store instanceof PostgresStore ? store.rates() : new MemoryRateStore());
  const audit = new AuditLog(store, { logger: options.logger });
  const oncall = new OnCall(config.escalation, options.pagers);
  const executor = probeExecutor(config, limiter, options.logger, metrics);
  const core = createConversation({
    matcher, walkthroughs, probeConfig: config.probes, logger: options.logger, store, metrics, limiter, executor, audit, oncall, policy: new Policy(config.permissions),
    groups: (thread, actorId) => oncall.groupsOf(thread, actorId),
  });
  return {
    config,
    logger: options.logger,
    matcher,
    store,
    walkthroughs,
    core,
    metrics,
    audit,
    oncall,
    queue: executor,
    close: async () => {
      await executor?.close();
      await store.close();
    },
  };
}

/**
 * With zones configured (runners.zones), probes of matching targets go to the zone's runners through
 * the queue; without, nothing changes: the core runs every probe in this process.
 */
function probeExecutor(config: EhloConfig, limiter: ProbeLimiter, logger: Logger, metrics: Metrics): QueueExecutor | undefined {
  const zones = zoneMapOf(config.runners);
  if (zones.empty) return undefined;
  const url = config.runners.databaseUrl ?? config.store.databaseUrl;
  if (!url) throw new Error('runners.zones (EHLO_PROBE_ZONES) sends probes to runners through a PostgreSQL queue: set DATABASE_URL (or runners.databaseUrl), or remove the zones to probe from this process.');
  const executor = new QueueExecutor({ url, runners: config.runners, zones, local: new InProcessExecutor(config.probes, limiter), logger, metrics: createQueueMetrics(metrics.registry), limits: { limiter, config: config.probes.limits } });
  executor.ready().catch((err: unknown) => logger.warn({ err }, 'probe queue not ready yet; probes for zones will say so until it is'));
  return executor;
}

export interface Served {
  http: HttpHost;
  channels: Channel[];
  port: number;
  /** Stop taking events, finish in-flight work, close the server and the store. */
  stop(): Promise<void>;
}

/** Mount the named network channels on one HTTP server and listen (port 0 picks a free one). */
export async function serve(rt: Runtime, names: readonly NetworkChannelName[]): Promise<Served> {
  const { config, logger, metrics } = rt;
  const http = new HttpHost({
    port: config.server.port,
    host: config.server.host,
    logger,
    metrics,
    ready: async () => {
      const h = await rt.store.health();
      const q = rt.queue && (await rt.queue.health());
      const ok = h.ok && (q?.ok ?? true);
      return { ok, detail: [h.ok ? h.where : h.message, q?.detail].filter(Boolean).join('; ') };
    },
  });
  const messages = {
    remember: (replyId: string, thread: string, messageId: string) => void rt.store.rememberMessage(replyId, thread, messageId, new Date()).catch((err: unknown) => logger.warn({ err }, 'cannot record which message shows a reply')),
    lookup: (replyId: string) => rt.store.messageOf(replyId),
  };
  const host: ChannelHost = { core: rt.core, config, logger, metrics, http, messages };
  const channels: Channel[] = [];
  for (const name of names) {
    const make = NETWORK_CHANNELS[name];
    if (!make) throw new Error(`this build of ehlo has no ${name} channel`);
    const channel = await make(config);
    await channel.start(host);
    channels.push(channel);
    rt.oncall.attach(channel);
  }
  if (rt.queue) await adoptOrphans(rt, channels);
  const sweeper = sweepOutbox(rt, channels);
  const port = await http.listen();
  let stopping: Promise<void> | undefined;
  return {
    http,
    channels,
    port,
    stop() {
      stopping ??= (async () => {
        await sweeper.stop();
        for (const c of channels) await c.stop().catch((err: unknown) => logger.warn({ err, channel: c.name }, 'channel did not stop cleanly'));
        await http.close();
        await rt.core.drain();
        await rt.close();
      })();
      return stopping;
    },
  };
}

/** How often a replica looks for replies another process committed and did not deliver. */
const OUTBOX_SWEEP_MS = 2000;
/** Which message showed a reply is remembered this long (cards are updated within hours). */
const MESSAGE_IDS_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Deliver outbox rows whose lease ran out (their process died between its commit and the platform
 * accepting the reply): now (a restart finds its own), then every OUTBOX_SWEEP_MS, through the
 * channel that owns each thread.
 */
function sweepOutbox(rt: Runtime, channels: readonly Channel[]): { stop(): Promise<void> } {
  const sinkAt = (thread: string, address: string | undefined) => {
    for (const c of channels) {
      const sink = c.sinkAt ? c.sinkAt(thread, address) : c.sinkFor(thread);
      if (sink) return sink;
    }
    return undefined;
  };
  let prunedAt = 0;
  let running: Promise<void> | undefined;
  const sweep = (): void => {
    running ??= (async () => {
      try {
        await rt.core.recoverOutbox(sinkAt);
        if (Date.now() - prunedAt > MESSAGE_IDS_TTL_MS / 168) {
          prunedAt = Date.now();
          await rt.store.pruneMessages(new Date(Date.now() - MESSAGE_IDS_TTL_MS));
        }
      } catch (err) {
        rt.logger.warn({ err }, 'cannot deliver replies left in the outbox; trying again shortly');
      } finally {
        running = undefined;
      }
    })();
  };
  sweep();
  const timer = setInterval(sweep, OUTBOX_SWEEP_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** Who finishes a check whose replica died waiting for its runner (the audit log and timelines say so). */
const ADOPTER = { id: 'ehlo:adopt', name: 'ehlo (on behalf of a stopped replica)' };

/**
 * Take the probe queue's adopt jobs: a check still shown as running after its deadline lost the
 * replica that waited for it; this one finishes it through its own core, in the thread's order, and
 * posts to the thread through the channel that owns it.
 */
async function adoptOrphans(rt: Runtime, channels: readonly Channel[]): Promise<void> {
  await rt.queue!.startAdopting(async (a) => {
    if (typeof a?.thread !== 'string' || typeof a.checkId !== 'string' || typeof a.job !== 'string' || typeof a.zone !== 'string') return;
    const doc = await rt.store.getThread(a.thread);
    if (!doc?.checks.some((c) => c.id === a.checkId)) return; // finished by the replica that waited
    const sink = channels.map((c) => c.sinkFor(a.thread)).find((x) => x !== undefined);
    if (!sink) return;
    rt.logger.info({ thread: a.thread, job: a.job, zone: a.zone }, 'adopting a probe result its replica did not show');
    await rt.core.handle({ type: 'press', thread: a.thread, actor: ADOPTER, id: `adopt:${a.job}`, value: encodeAction({ k: 'adopt-check', c: a.checkId, j: a.job, z: a.zone }) }, sink);
  }).catch((err: unknown) => rt.logger.warn({ err }, 'cannot take adopt jobs; checks of a replica that dies waiting stay running'));
}
