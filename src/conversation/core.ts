// The conversation core: one per process, shared by every channel. handle(event, sink) turns a paste,
// a command or a button press into replies on the sink. It never throws: an unexpected failure is
// logged and answered with a short apology, and a store that cannot be reached only pauses walkthroughs.
import pino, { type Logger } from 'pino';
import type { Catalog } from '../catalog/load.ts';
import type { Matcher } from '../match/matcher.ts';
import type { ProbeConfig } from '../probes/config.ts';
import type { ProbeLimiter } from '../probes/limits.ts';
import type { Walkthroughs } from '../walkthrough/walkthroughs.ts';
import type { ConversationEvent } from './events.ts';
import { ThreadMemory } from './memory.ts';
import type { Sink } from './reply.ts';
import { route } from './router.ts';
import { Turn, type Deps } from './turn.ts';
import type { Metrics } from '../server/metrics.ts';
import { MemoryDeliveries, type DeliveryLedger } from './state/deliveries.ts';
import { SerialQueues } from './state/serial.ts';

/** A claimed delivery not finished within this long (its process died) may be handled by a retry. */
export const DELIVERY_LEASE_MS = 120_000;

function channelOf(thread: string): string {
  const i = thread.indexOf(':');
  return i > 0 ? thread.slice(0, i) : 'unknown';
}

export interface ConversationOptions {
  matcher: Matcher;
  walkthroughs: Walkthroughs;
  probeConfig: ProbeConfig;
  /** Defaults to the matcher's catalog. */
  catalog?: Catalog;
  logger?: Logger;
  clock?: () => Date;
  /** Probe limiter (defaults to the process-wide one). */
  limiter?: ProbeLimiter;
  /** Threads remembered in memory (last paste, open question); least recently used are forgotten. */
  maxThreads?: number;
  progressEveryMs?: number;
  /** Where delivery ids are claimed (the store, for every process); default in memory. */
  deliveries?: DeliveryLedger;
  metrics?: Metrics;
}

export interface HandleOptions {
  /** Cancels a probe this event started (the console's Ctrl-C). */
  signal?: AbortSignal;
}

export interface Conversation {
  /**
   * Handle one event: events of one thread are applied one at a time in arrival order, other threads
   * in parallel; an event whose delivery id was already claimed (a platform retry) is dropped.
   */
  handle(event: ConversationEvent, sink: Sink, options?: HandleOptions): Promise<void>;
  /** Resolves when every event taken so far has been handled (graceful shutdown). */
  drain(): Promise<void>;
  /** Threads held in memory now. */
  readonly threads: number;
}

export function createConversation(options: ConversationOptions): Conversation {
  const deps: Deps = {
    matcher: options.matcher,
    catalog: options.catalog ?? options.matcher.catalog,
    walkthroughs: options.walkthroughs,
    probeConfig: options.probeConfig,
    logger: options.logger ?? pino({ level: 'silent' }),
    clock: options.clock ?? (() => new Date()),
    memory: new ThreadMemory(options.maxThreads),
    limiter: options.limiter,
    progressEveryMs: options.progressEveryMs ?? 500,
  };
  const deliveries = options.deliveries ?? new MemoryDeliveries();
  const queues = new SerialQueues();
  const metrics = options.metrics;

  /** Claim the delivery; a ledger that cannot be reached lets the event through (better twice than never). */
  const claim = async (key: string): Promise<boolean> => {
    try {
      return await deliveries.claimDelivery(key, DELIVERY_LEASE_MS, deps.clock());
    } catch (err) {
      deps.logger.warn({ err }, 'cannot record the delivery id; handling the event without deduplication');
      return true;
    }
  };

  const handleOne = async (event: ConversationEvent, sink: Sink, signal: AbortSignal | undefined): Promise<void> => {
    const started = performance.now();
    const channel = channelOf(event.thread);
    const key = event.id ? `${event.thread}|${event.id}` : undefined;
    if (key && !(await claim(key))) {
      deps.logger.debug({ thread: event.thread, event: event.type, id: event.id }, 'duplicate delivery dropped');
      metrics?.event(channel, event.type, 'duplicate');
      return;
    }
    const turn = new Turn(deps, event, sink, signal);
    let outcome: 'handled' | 'error' = 'handled';
    try {
      await route(turn);
    } catch (err) {
      outcome = 'error';
      const ref = Math.random().toString(36).slice(2, 8);
      deps.logger.error({ err, ref, thread: event.thread, event: event.type }, 'event handling failed');
      metrics?.error(channel, 'core');
      await turn.say(`Something went wrong handling that (reference ${ref}, in the log). Nothing else was changed; matching and probes still work.`, 'danger');
    } finally {
      await turn.settled();
      if (key) await deliveries.finishDelivery(key, deps.clock()).catch((err: unknown) => deps.logger.warn({ err }, 'cannot mark the delivery handled'));
      metrics?.event(channel, event.type, outcome, (performance.now() - started) / 1000);
    }
  };

  return {
    get threads() {
      return deps.memory.size;
    },
    handle(event, sink, handleOptions = {}) {
      return queues.run(event.thread, () => handleOne(event, sink, handleOptions.signal));
    },
    drain: () => queues.drain(),
  };
}
