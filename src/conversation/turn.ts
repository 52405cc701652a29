// One event being handled: the core's dependencies, the event, its thread's durable state, and a safe
// way to answer. A channel that fails to post (a network blip) is logged, never allowed to break the
// handling. Work that must not hold the thread (a probe running for seconds) is deferred: it runs once
// the event let go of the thread, and takes the thread again (`relock`) to apply what it found.
import type { Logger } from 'pino';
import type { Catalog } from '../catalog/load.ts';
import type { Matcher } from '../match/matcher.ts';
import type { ProbeConfig } from '../probes/config.ts';
import type { ProbeLimiter } from '../probes/limits.ts';
import type { ProbeExecutor } from '../probes/executor.ts';
import type { Walkthroughs } from '../walkthrough/walkthroughs.ts';
import type { ConversationEvent } from './events.ts';
import { notice, type Reply, type Sink, type Tone } from './reply.ts';
import type { Prefetched } from './state/locks.ts';
import type { ThreadStateStore } from './state/thread-state.ts';
import { ThreadHandle } from './state/thread.ts';
import type { AuditAction, AuditLog } from '../audit/log.ts';
import type { EscalationConfig } from '../escalation/config.ts';
import type { OnCall } from '../escalation/oncall.ts';
import type { Permission, Policy } from '../permissions/policy.ts';

export interface Deps {
  matcher: Matcher;
  catalog: Catalog;
  walkthroughs: Walkthroughs;
  probeConfig: ProbeConfig;
  logger: Logger;
  clock: () => Date;
  threads: ThreadStateStore;
  /** Cancels checks running in this process, by check id. */
  checks: Map<string, AbortController>;
  /** This process, as running checks name their owner. */
  owner: string;
  /** Run work holding the thread again (after the event let go of it). */
  relock: <T>(thread: string, work: (prefetched?: Prefetched) => Promise<T>) => Promise<T>;
  /** How often a running check looks for a Cancel pressed in another process. */
  cancelPollMs: number;
  limiter?: ProbeLimiter;
  /** Where checks run (absent: in this process, through probeConfig and limiter). */
  executor?: ProbeExecutor;
  /** Minimum milliseconds between progress updates of a running probe. */
  progressEveryMs: number;
  /** The append-only audit log (absent: nothing is recorded). */
  audit?: AuditLog;
  /** On-call channels and pagers (absent: escalation posts the packet in the thread only). */
  oncall?: OnCall;
  escalation: EscalationConfig;
  policy: Policy;
  /** Groups a person belongs to, asked of their platform (for permission rules naming groups). */
  groups?: (thread: string, actorId: string) => Promise<string[]>;
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
  readonly #deferred: Array<() => Promise<void>> = [];
  #state: ThreadHandle | undefined;
  /** The thread the event arrived in when it is not the thread it acts on (an on-call thread acting on its origin). */
  readonly via: string | undefined;

  constructor(deps: Deps, event: ConversationEvent, sink: Sink, signal?: AbortSignal, via?: string) {
    this.deps = deps;
    this.event = event;
    this.#sink = sink;
    this.signal = signal;
    this.via = via;
  }

  /** Append to the audit log (never throws). The thread recorded is where the person acted. */
  async audit(action: AuditAction, extra: { session?: string; step?: string; detail?: Record<string, unknown> } = {}): Promise<void> {
    const detail = this.via ? { ...extra.detail, actsOn: this.thread } : extra.detail;
    await this.deps.audit?.record({ action, thread: this.via ?? this.thread, actor: this.event.actor, session: extra.session, step: extra.step, ...(detail && { detail }), at: this.deps.clock() });
  }

  /**
   * Whether the person may do this; when not, they are told privately with the rule that refused,
   * the refusal is audited, and nothing else happens.
   */
  async allowed(permission: Permission, extra: { session?: string; step?: string } = {}): Promise<boolean> {
    const { policy, groups } = this.deps;
    const actorId = this.event.actor.id;
    const where = this.via ?? this.thread;
    let decision = policy.check(permission, { thread: where, actorId, groups: [] });
    if (!decision.allowed && groups && policy.usesGroups) {
      const list = await groups(where, actorId).catch(() => [] as string[]);
      decision = policy.check(permission, { thread: where, actorId, groups: list });
    }
    if (decision.allowed) return true;
    await this.audit('permission-refused', { ...extra, detail: { permission, rule: decision.rule } });
    const r = notice(this.thread, decision.message, 'warning');
    r.audience = actorId;
    await this.post(r);
    return false;
  }

  get thread(): string {
    return this.event.thread;
  }

  /** The thread's durable state (read on first use). */
  get state(): ThreadHandle {
    this.#state ??= new ThreadHandle(this.deps.threads, this.thread, this.deps.clock, this.deps.logger);
    return this.#state;
  }

  /** Run `work` after this event let go of the thread (the core awaits it before handle() resolves). */
  defer(work: () => Promise<void>): void {
    this.#deferred.push(work);
  }

  /** Take the deferred work (the core runs it). */
  takeDeferred(): Array<() => Promise<void>> {
    return this.#deferred.splice(0);
  }

  /** Run `work` holding the thread again, with its state read afresh. */
  relock<T>(work: () => Promise<T>): Promise<T> {
    return this.deps.relock(this.thread, async (prefetched) => {
      this.#state = undefined;
      if (prefetched) this.state.prime(prefetched.doc);
      return work();
    });
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
