// The conversation core: one per process, shared by every channel. handle(event, sink) turns a paste,
// a command or a button press into replies on the sink. Events of one thread are applied one at a
// time in arrival order (a queue per thread here, and the store's thread lock across processes),
// other threads in parallel; a delivery id seen before (a platform retry) is dropped. It never
// throws: an unexpected failure is logged and answered with a short apology, and a store that cannot
// be reached only pauses walkthroughs.
import { hostname } from 'node:os';
import pino, { type Logger } from 'pino';
import type { Catalog } from '../catalog/load.ts';
import type { Matcher } from '../match/matcher.ts';
import type { ProbeConfig } from '../probes/config.ts';
import type { ProbeLimiter } from '../probes/limits.ts';
import type { ProbeExecutor } from '../probes/executor.ts';
import type { Metrics } from '../server/metrics.ts';
import { StoreUnavailableError } from '../walkthrough/store.ts';
import type { Walkthroughs } from '../walkthrough/walkthroughs.ts';
import type { ConversationEvent } from './events.ts';
import type { Sink } from './reply.ts';
import { route } from './router.ts';
import type { DeliveryLedger } from './state/deliveries.ts';
import type { Prefetched, ThreadLocks } from './state/locks.ts';
import { SerialQueues } from './state/serial.ts';
import type { ThreadStateStore } from './state/thread-state.ts';
import { Turn, type Deps } from './turn.ts';
import type { AuditLog } from '../audit/log.ts';
import { EscalationConfig } from '../escalation/config.ts';
import type { OnCall } from '../escalation/oncall.ts';
import { Policy } from '../permissions/policy.ts';

/** A claimed delivery not finished within this long (its process died) may be handled by a retry. */
export const DELIVERY_LEASE_MS = 120_000;
/** Delivery ids are remembered this long (platforms retry within minutes). */
const DELIVERY_TTL_MS = 24 * 60 * 60 * 1000;

/** The durable parts the core uses; the Store (src/store/store.ts) is all of them. */
export type CoreStore = ThreadStateStore & DeliveryLedger & ThreadLocks;

export interface ConversationOptions {
  matcher: Matcher;
  walkthroughs: Walkthroughs;
  probeConfig: ProbeConfig;
  /**
   * Thread state, delivery ledger and thread locks: the same Store the walkthroughs use (a walkthrough's
   * start writes its session and the thread state in one transaction).
   */
  store: CoreStore;
  /** Defaults to the matcher's catalog. */
  catalog?: Catalog;
  logger?: Logger;
  clock?: () => Date;
  /** Probe limiter (defaults to the process-wide one). */
  limiter?: ProbeLimiter;
  /** Where checks run (default: in this process; probe runners: src/runner/queue-executor.ts). */
  executor?: ProbeExecutor;
  progressEveryMs?: number;
  cancelPollMs?: number;
  metrics?: Metrics;
  audit?: AuditLog;
  oncall?: OnCall;
  /** Defaults to the on-call's configuration, else the defaults. */
  escalation?: EscalationConfig;
  /** Permissions (default: everything allowed, four eyes on high-risk steps). */
  policy?: Policy;
  groups?: (thread: string, actorId: string) => Promise<string[]>;
}

export interface HandleOptions {
  /** Cancels a probe this event started (the console's Ctrl-C). */
  signal?: AbortSignal;
}

export interface Conversation {
  /**
   * Handle one event: events of one thread are applied one at a time in arrival order, other threads
   * in parallel; an event whose delivery id was already claimed (a platform retry) is dropped.
   * Resolves when the event and the work it started (a check) are done.
   */
  handle(event: ConversationEvent, sink: Sink, options?: HandleOptions): Promise<void>;
  /** Resolves when every event taken so far has been handled (graceful shutdown). */
  drain(): Promise<void>;
  /** Threads with events queued or being applied now. */
  readonly activeThreads: number;
  /** The thread has state in the store (a paste or a walkthrough): a reply in it is read in its context. False when the store cannot be reached. */
  knowsThread(thread: string): Promise<boolean>;
}

function channelOf(thread: string): string {
  const i = thread.indexOf(':');
  return i > 0 ? thread.slice(0, i) : 'unknown';
}

export function createConversation(options: ConversationOptions): Conversation {
  const { store } = options;
  const queues = new SerialQueues();
  const metrics = options.metrics;
  const logger = options.logger ?? pino({ level: 'silent' });
  const clock = options.clock ?? (() => new Date());
  /** The store's lock on the thread (other processes); a store that cannot be reached leaves only this process's order. */
  const lockThread = async <T>(thread: string, work: (prefetched?: Prefetched) => Promise<T>): Promise<T> => {
    let entered = false;
    try {
      return await store.withThreadLock(thread, (prefetched) => {
        entered = true;
        return work(prefetched);
      });
    } catch (err) {
      if (entered || !(err instanceof StoreUnavailableError)) throw err;
      logger.warn({ err, thread }, 'cannot take the thread lock in the store; applying the event in this process order only');
      return work();
    }
  };
  /** Hold the thread: this process's queue first, then the store's lock. */
  const hold = <T>(thread: string, work: (prefetched?: Prefetched) => Promise<T>): Promise<T> => queues.run(thread, () => lockThread(thread, work));
  const deps: Deps = {
    matcher: options.matcher,
    catalog: options.catalog ?? options.matcher.catalog,
    walkthroughs: options.walkthroughs,
    probeConfig: options.probeConfig,
    logger,
    clock,
    threads: store,
    checks: new Map(),
    owner: `${hostname()}:${process.pid}`,
    relock: hold,
    cancelPollMs: options.cancelPollMs ?? 1000,
    limiter: options.limiter,
    executor: options.executor,
    progressEveryMs: options.progressEveryMs ?? 500,
    audit: options.audit,
    oncall: options.oncall,
    escalation: options.escalation ?? options.oncall?.config ?? EscalationConfig.parse({}),
    policy: options.policy ?? new Policy(),
    groups: options.groups,
  };
  /**
   * Thread → the origin thread it is the on-call thread of ('' when none), bounded. A link never
   * changes once made, so it is kept; "no link" is kept for a short while only (the on-call thread's
   * link is written just after ehlo opened it, so an early reply there must not be remembered as none).
   */
  const origins = new Map<string, { origin: string; at: number }>();
  const NO_LINK_TTL_MS = 5_000;
  const originOf = async (thread: string): Promise<string | undefined> => {
    const known = origins.get(thread);
    if (known && (known.origin || Date.now() - known.at < NO_LINK_TTL_MS)) return known.origin || undefined;
    let origin = '';
    try {
      const link = (await store.getThread(thread))?.escalation;
      if (link?.role === 'oncall' && link.other) origin = link.other;
    } catch {
      return undefined;
    }
    origins.delete(thread);
    origins.set(thread, { origin, at: Date.now() });
    if (origins.size > 50_000) origins.delete(origins.keys().next().value as string);
    return origin || undefined;
  };
  const inFlight = new Set<Promise<void>>();
  let prunedAt = 0;

  /** Claim the delivery; a ledger that cannot be reached lets the event through (better twice than never). */
  const claim = async (key: string): Promise<boolean> => {
    try {
      const now = clock();
      if (now.getTime() - prunedAt > DELIVERY_TTL_MS / 24) {
        prunedAt = now.getTime();
        await store.pruneDeliveries(new Date(now.getTime() - DELIVERY_TTL_MS));
      }
      return await store.claimDelivery(key, DELIVERY_LEASE_MS, now);
    } catch (err) {
      logger.warn({ err }, 'cannot record the delivery id; handling the event without deduplication');
      return true;
    }
  };

  const fail = async (turn: Turn, err: unknown): Promise<void> => {
    metrics?.error(channelOf(turn.thread), 'core');
    if (err instanceof StoreUnavailableError) {
      logger.warn({ err, thread: turn.thread }, 'store unavailable while handling an event');
      await turn.say(err.message, 'danger');
      return;
    }
    const ref = Math.random().toString(36).slice(2, 8);
    logger.error({ err, ref, thread: turn.thread, event: turn.event.type }, 'event handling failed');
    await turn.say(`Something went wrong handling that (reference ${ref}, in the log). Nothing else was changed; matching and probes still work.`, 'danger');
  };

  const handleOne = async (event: ConversationEvent, sink: Sink, signal: AbortSignal | undefined): Promise<void> => {
    const started = performance.now();
    const channel = channelOf(event.thread);
    const key = event.id ? `${event.thread}|${event.id}` : undefined;
    let turn = new Turn(deps, event, sink, signal);
    let outcome = 'handled' as 'handled' | 'error' | 'duplicate';
    try {
      // Claimed in the thread's queue, so events keep their arrival order whatever the ledger's latency.
      await queues
        .run(event.thread, async () => {
          // The store's schema (sessions, threads, deliveries) is brought up to date once; if it cannot
          // be reached, matching still answers and walkthroughs say the store is unavailable.
          await deps.walkthroughs.ready().catch(() => undefined);
          if (key && !(await claim(key))) {
            outcome = 'duplicate';
            return;
          }
          // An event in an on-call thread acts on its origin thread's walkthrough (in the origin's
          // order and lock); its replies go to the on-call thread where it was typed or pressed.
          const origin = event.type === 'open' ? undefined : await originOf(event.thread);
          const apply = (t: Turn) => (prefetched?: Prefetched) => {
            if (prefetched) t.state.prime(prefetched.doc);
            return route(t);
          };
          if (!origin) return lockThread(event.thread, apply(turn));
          const via = new Turn(deps, { ...event, thread: origin }, sink, signal, event.thread);
          turn = via;
          await queues.run(origin, () => lockThread(origin, apply(via)));
        })
        .catch(async (err: unknown) => {
          outcome = 'error';
          await fail(turn, err);
        });
      if (outcome === 'duplicate') {
        logger.debug({ thread: event.thread, event: event.type, id: event.id }, 'duplicate delivery dropped');
        metrics?.event(channel, event.type, 'duplicate');
        return;
      }
      // Work the event started that must not hold the thread (a probe): it takes the thread again itself.
      for (const work of turn.takeDeferred()) {
        await work().catch(async (err: unknown) => {
          outcome = 'error';
          await fail(turn, err);
        });
      }
    } finally {
      await turn.settled();
      if (key && outcome !== 'duplicate') await store.finishDelivery(key, clock()).catch((err: unknown) => logger.warn({ err }, 'cannot mark the delivery handled'));
      if (outcome !== 'duplicate') metrics?.event(channel, event.type, outcome, (performance.now() - started) / 1000);
    }
  };

  return {
    get activeThreads() {
      return queues.active;
    },
    async knowsThread(thread) {
      try {
        return (await store.getThread(thread)) !== undefined;
      } catch {
        return false;
      }
    },
    handle(event, sink, handleOptions = {}) {
      const p = handleOne(event, sink, handleOptions.signal);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      return p;
    },
    async drain() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      await queues.drain();
    },
  };
}
