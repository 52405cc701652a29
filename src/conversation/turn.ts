// One event being handled: the core's dependencies, the event, and a safe way to answer. A channel
// that fails to post (a network blip) is logged, never allowed to break the handling.
import type { Logger } from 'pino';
import type { Catalog } from '../catalog/load.ts';
import type { Matcher } from '../match/matcher.ts';
import type { ProbeConfig } from '../probes/config.ts';
import type { ProbeLimiter } from '../probes/limits.ts';
import type { Walkthroughs } from '../walkthrough/walkthroughs.ts';
import type { ConversationEvent } from './events.ts';
import type { ThreadMemory } from './memory.ts';
import { notice, type Reply, type Sink, type Tone } from './reply.ts';

export interface Deps {
  matcher: Matcher;
  catalog: Catalog;
  walkthroughs: Walkthroughs;
  probeConfig: ProbeConfig;
  logger: Logger;
  clock: () => Date;
  memory: ThreadMemory;
  limiter?: ProbeLimiter;
  /** Minimum milliseconds between progress updates of a running probe. */
  progressEveryMs: number;
}

function isProgress(r: Reply): boolean {
  return r.blocks.some((b) => b.type === 'status' && b.state === 'running');
}

export class Turn {
  readonly deps: Deps;
  readonly event: ConversationEvent;
  readonly signal: AbortSignal | undefined;
  readonly #sink: Sink;
  readonly #updates = new Map<string, { tail: Promise<void>; final: boolean }>();

  constructor(deps: Deps, event: ConversationEvent, sink: Sink, signal?: AbortSignal) {
    this.deps = deps;
    this.event = event;
    this.#sink = sink;
    this.signal = signal;
  }

  get thread(): string {
    return this.event.thread;
  }

  async post(r: Reply): Promise<void> {
    try {
      await this.#sink.post(r);
    } catch (err) {
      this.deps.logger.warn({ err, thread: this.thread, reply: r.id }, 'channel could not post a reply');
    }
  }

  /**
   * Update a reply in place. Updates of one reply are applied in the order they were made, and once a
   * final update (anything but a running status) was made, later progress updates are dropped: a slow
   * "running…" can never replace a result.
   */
  update(r: Reply): Promise<void> {
    const progress = isProgress(r);
    const state = this.#updates.get(r.id) ?? { tail: Promise.resolve(), final: false };
    if (progress && state.final) return state.tail;
    if (!progress) state.final = true;
    state.tail = state.tail.then(async () => {
      try {
        await this.#sink.update(r);
      } catch (err) {
        this.deps.logger.warn({ err, thread: this.thread, reply: r.id }, 'channel could not update a reply');
      }
    });
    this.#updates.set(r.id, state);
    return state.tail;
  }

  /** Resolves when every update made so far has been delivered to the channel. */
  async settled(): Promise<void> {
    await Promise.all([...this.#updates.values()].map((s) => s.tail));
  }

  say(text: string, tone: Tone = 'info'): Promise<void> {
    return this.post(notice(this.thread, text, tone));
  }

  /** Idempotency key for an action typed or pressed in this event: the platform's delivery id, when it gave one. */
  key(suffix: string): string | undefined {
    return this.event.id ? `${this.thread}:${this.event.id}:${suffix}` : undefined;
  }
}
