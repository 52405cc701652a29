// The conversation core: one per process, shared by every channel. handle(event, sink) turns a paste,
// a command or a button press into replies on the sink. Events of one thread are applied one at a
// time in arrival order (a queue per thread here, and the store's thread lock across processes),
// other threads in parallel; a delivery id seen before (a platform retry) is dropped: looked up in
// the round trip that takes the thread lock where the store can (its claim then written with the
// event's first write, state/locks.ts), else claimed in the ledger first. It never
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
import { foresee, route } from './router.ts';
import type { DeliveryLedger } from './state/deliveries.ts';
import { hasEventCommit, hasUnlockedFirstWrite } from './state/commit.ts';
import type { DeliveryCheck, Meanwhile, Prefetched, ThreadLocks } from './state/locks.ts';
import { SerialQueues } from './state/serial.ts';
import { hasOutbox, OUTBOX_LEASE_MS, OutboxCleaner, type OutboxStore } from './state/outbox.ts';
import type { ThreadStateStore } from './state/thread-state.ts';
import { Turn, UnlockedConflict, type Deps } from './turn.ts';
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
  /**
   * Called once the event is durable: its writes and replies committed (or it was a duplicate, or it
   * failed), before the work it defers (a probe). Slack acknowledges an event then.
   */
  durable?: () => void;
}

/** Where the outbox recovery sends a thread's rows: the channel's sink for it (undefined: not this process's channel). */
export type SinkAt = (thread: string, address: string | undefined) => Sink | undefined;

const NO_OUTBOX: OutboxStore = {
  outboxDone: () => Promise.resolve(),
  outboxRenew: () => Promise.resolve(),
  outboxStale: () => Promise.resolve([]),
  outboxTake: () => Promise.resolve([]),
  rememberMessage: () => Promise.resolve(),
  messageOf: () => Promise.resolve(undefined),
  pruneMessages: () => Promise.resolve(0),
};

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
  /**
   * Deliver outbox rows whose lease ran out (their process died after its commit), holding each
   * thread, in its commit order. Resolves with the number of replies delivered.
   */
  recoverOutbox(sinkAt: SinkAt): Promise<number>;
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
  const lockThread = async <T>(thread: string, work: (prefetched?: Prefetched) => Promise<T>, delivery?: DeliveryCheck, meanwhile?: Meanwhile): Promise<T> => {
    let entered = false;
    try {
      return await store.withThreadLock(
        thread,
        (prefetched) => {
          entered = true;
          return work(prefetched);
        },
        delivery,
        meanwhile,
      );
    } catch (err) {
      if (entered || !(err instanceof StoreUnavailableError)) throw err;
      logger.warn({ err, thread }, 'cannot take the thread lock in the store; applying the event in this process order only');
      return work();
    }
  };
  /** Hold the thread: this process's queue first, then the store's lock. */
  const hold = <T>(thread: string, work: (prefetched?: Prefetched) => Promise<T>): Promise<T> => queues.run(thread, () => lockThread(thread, work));
  const outbox = hasOutbox(store) && hasEventCommit(store) ? store : undefined;
  const cleaner = new OutboxCleaner(outbox ?? NO_OUTBOX, (err) => logger.warn({ err }, 'cannot update the reply outbox'));
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
    commit: hasEventCommit(store) && (!options.audit || options.audit.appendsTo(store)) ? store : undefined,
    outbox: outbox && { store: outbox, cleaner },
    oncall: options.oncall,
    escalation: options.escalation ?? options.oncall?.config ?? EscalationConfig.parse({}),
    policy: options.policy ?? new Policy(),
    groups: options.groups,
  };
  /** Events that start their thread go without the thread lock (their first commit tells): a store whose lock costs a round trip, with replies in the outbox. */
  const unlockedFirst = hasUnlockedFirstWrite(store) && deps.commit !== undefined && deps.outbox !== undefined;
  const inFlight = new Set<Promise<void>>();
  let prunedAt = 0;

  /** What the thread lock looks up about a delivery; old deliveries are forgotten now and then. */
  const deliveryCheck = (key: string): DeliveryCheck => {
    const now = clock();
    if (now.getTime() - prunedAt > DELIVERY_TTL_MS / 24) {
      prunedAt = now.getTime();
      void store.pruneDeliveries(new Date(now.getTime() - DELIVERY_TTL_MS)).catch((err: unknown) => logger.warn({ err }, 'cannot forget old delivery ids'));
    }
    return { key, leaseMs: DELIVERY_LEASE_MS, now };
  };

  /** Claim the delivery in the ledger; a ledger that cannot be reached lets the event through (better twice than never). */
  const claim = async (key: string): Promise<boolean> => {
    try {
      return await store.claimDelivery(key, DELIVERY_LEASE_MS, clock());
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

  /** The event's work that needs no thread state (a paste's diagnosis), done while the thread lock is asked for. */
  const ahead = (turn: Turn): void => {
    try {
      foresee(turn);
    } catch (err) {
      // Done again, and reported, where it is needed.
      logger.debug({ err, thread: turn.thread }, 'working an event out ahead failed');
    }
  };

  /** The origin thread an on-call thread's events act on (undefined: the thread acts on itself). */
  const originIn = async (turn: Turn): Promise<string | undefined> => {
    if (turn.event.type === 'open') return undefined;
    const link = (await turn.state.read()).escalation;
    return link?.role === 'oncall' && link.other ? link.other : undefined;
  };

  const handleOne = async (event: ConversationEvent, sink: Sink, signal: AbortSignal | undefined, onDurable: (() => void) | undefined): Promise<void> => {
    let told = false;
    const durable = (): void => {
      if (told) return;
      told = true;
      onDurable?.();
    };
    const started = performance.now();
    const channel = channelOf(event.thread);
    const key = event.id ? `${event.thread}|${event.id}` : undefined;
    let turn = new Turn(deps, event, sink, signal);
    let outcome = 'handled' as 'handled' | 'error' | 'duplicate';
    /** The ledger holds a claim for this delivery from before the lock (stores that cannot look it up under the lock). */
    let claimedFirst = false;
    let finished = false;
    /** Whether this copy is to be handled: the lock's verdict on the delivery, else the ledger's claim. */
    const admit = async (t: Turn, check: DeliveryCheck | undefined, prefetched: Prefetched | undefined): Promise<boolean> => {
      if (!key || !check) return true;
      if (prefetched?.delivery === 'seen') return false;
      if (prefetched?.delivery === 'new' && deps.commit) {
        t.claim(key, check.now);
        return true;
      }
      if (!(await claim(key))) return false;
      claimedFirst = true;
      return true;
    };
    /** Apply the event holding the thread; 'redirect' when the thread is an on-call thread (its events act on the origin). */
    const apply = (t: Turn, check: DeliveryCheck | undefined, redirect: boolean) => async (prefetched?: Prefetched): Promise<'duplicate' | { origin: string } | undefined> => {
      if (prefetched) t.state.prime(prefetched.doc);
      if (redirect) {
        const origin = await originIn(t);
        if (origin) return { origin };
      }
      if (!(await admit(t, check, prefetched))) return 'duplicate';
      // The event's writes and replies go in one commit at the end of its hold, then out to the sink.
      // Card updates reach the channel before the thread is let go of: an update made under the lock
      // can never land after the next holder's (another replica's) update of the same card.
      await t.holding(() => route(t), prefetched);
      // Nothing left to do: the delivery is marked handled with the unlock (no round trip of its own).
      if (key && prefetched?.finishOnRelease && !t.hasDeferred && (t.claimWritten || claimedFirst)) {
        prefetched.finishOnRelease(key, clock());
        finished = true;
      }
      return undefined;
    };
    try {
      // Admitted in the thread's queue, so events keep their arrival order whatever the ledger's latency.
      await queues
        .run(event.thread, async () => {
          // The store's schema (sessions, threads, deliveries) is brought up to date once; if it cannot
          // be reached, matching still answers and walkthroughs say the store is unavailable.
          await deps.walkthroughs.ready().catch(() => undefined);
          const check = key ? deliveryCheck(key) : undefined;
          let first: Awaited<ReturnType<ReturnType<typeof apply>>>;
          if (unlockedFirst && check && event.starts) {
            // The event starts its thread: applied without the lock (a round trip saved), its first
            // commit tells whether it was first; if not, nothing was written or sent, and it is applied
            // again under the lock like any other event.
            ahead(turn);
            turn.unlocked();
            try {
              first = await apply(turn, check, true)({ doc: undefined, delivery: 'new' });
              if (turn.claimFinished) finished = true;
            } catch (err) {
              if (!(err instanceof UnlockedConflict)) throw err;
              logger.debug({ thread: event.thread, id: event.id }, 'an event that starts its thread was not its first; applying it under the lock');
              turn = new Turn(deps, event, sink, signal);
              first = await lockThread(event.thread, apply(turn, check, true), check, () => ahead(turn));
            }
          } else {
            first = await lockThread(event.thread, apply(turn, check, true), check, () => ahead(turn));
          }
          if (first === 'duplicate') {
            outcome = 'duplicate';
            return;
          }
          if (!first) return;
          // An event in an on-call thread acts on its origin thread's walkthrough (in the origin's
          // order and lock, the delivery looked up again there); its replies go to the on-call thread
          // where it was typed or pressed.
          const via = new Turn(deps, { ...event, thread: first.origin }, sink, signal, event.thread);
          turn = via;
          const again = key ? deliveryCheck(key) : undefined;
          if ((await queues.run(first.origin, () => lockThread(first.origin, apply(via, again, false), again))) === 'duplicate') outcome = 'duplicate';
        })
        .catch(async (err: unknown) => {
          outcome = 'error';
          await fail(turn, err);
        });
      durable();
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
      durable();
      await turn.settled();
      await turn.flush();
      if (key && outcome !== 'duplicate' && !finished && (claimedFirst || turn.claimWritten)) {
        await store.finishDelivery(key, clock()).catch((err: unknown) => logger.warn({ err }, 'cannot mark the delivery handled'));
      }
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
      const p = handleOne(event, sink, handleOptions.signal, handleOptions.durable);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      return p;
    },
    async recoverOutbox(sinkAt) {
      if (!outbox) return 0;
      const now = clock();
      let delivered = 0;
      for (const thread of await outbox.outboxStale(now, 20)) {
        await hold(thread, async () => {
          const at = clock();
          const rows = await outbox.outboxTake(thread, at, new Date(at.getTime() + OUTBOX_LEASE_MS));
          // Every row to its sink in order (one sink per address, as the event had one), then all awaited,
          // receipts too, holding the thread: what the next event posts comes after them.
          const sinks = new Map<string, Sink | undefined>();
          const sent: Array<Promise<void>> = [];
          const stranded: string[] = [];
          for (const row of rows) {
            const key = `${row.thread}\u0000${row.address ?? ''}`;
            if (!sinks.has(key)) sinks.set(key, sinkAt(row.thread, row.address));
            const target = sinks.get(key);
            if (!target) {
              // No channel here serves that thread: a replica that has one takes it later (its lease
              // put back a while, so other threads come first); after a day it is only noise.
              if (at.getTime() - row.at.getTime() > DELIVERY_TTL_MS) cleaner.done(row.id);
              else stranded.push(row.id);
              continue;
            }
            cleaner.handed(row.id);
            const settle = (err?: unknown): void => {
              if (err !== undefined) logger.warn({ err, thread, reply: row.reply.id }, 'could not deliver a reply from the outbox');
              else delivered++;
              cleaner.done(row.id);
            };
            try {
              sent.push(Promise.resolve(row.op === 'post' ? target.post(row.reply) : target.update(row.reply)).then(() => settle(), settle));
            } catch (err) {
              settle(err);
            }
          }
          for (const target of sinks.values()) target?.finish?.();
          await Promise.all(sent);
          if (stranded.length) await outbox.outboxRenew(stranded, new Date(at.getTime() + 6 * OUTBOX_LEASE_MS));
          if (rows.length) logger.info({ thread, replies: rows.length }, 'delivered replies another process committed and did not deliver');
        });
      }
      return delivered;
    },
    async drain() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      await queues.drain();
      await cleaner.idle();
      cleaner.stop();
    },
  };
}
