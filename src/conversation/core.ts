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
}

export interface HandleOptions {
  /** Cancels a probe this event started (the console's Ctrl-C). */
  signal?: AbortSignal;
}

export interface Conversation {
  handle(event: ConversationEvent, sink: Sink, options?: HandleOptions): Promise<void>;
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
  return {
    get threads() {
      return deps.memory.size;
    },
    async handle(event, sink, handleOptions = {}) {
      const turn = new Turn(deps, event, sink, handleOptions.signal);
      try {
        await route(turn);
      } catch (err) {
        const ref = Math.random().toString(36).slice(2, 8);
        deps.logger.error({ err, ref, thread: event.thread, event: event.type }, 'event handling failed');
        await turn.say(`Something went wrong handling that (reference ${ref}, in the log). Nothing else was changed; matching and probes still work.`, 'danger');
      }
    },
  };
}
