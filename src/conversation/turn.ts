// One event being handled: the core's dependencies, the event, its thread's durable state, and a safe
// way to answer. A channel that fails to post (a network blip) is logged, never allowed to break the
// handling. Work that must not hold the thread (a probe running for seconds) is deferred: it runs once
// the event let go of the thread, and takes the thread again (`relock`) to apply what it found.
//
// With a store that commits an event's writes together (state/commit.ts), audit entries are kept
// until the event's next write of its thread state and go in the same transaction; so does the
// delivery claim the thread lock left open (state/locks.ts). What is still kept is written before
// any reply is posted or updated and before the event lets go of the thread (flush): nobody sees a
// reply whose claim and audit entries are not stored, and no other holder of the thread misses them.
import type { Logger } from 'pino';
import type { Catalog } from '../catalog/load.ts';
import type { Matcher } from '../match/matcher.ts';
import type { ProbeConfig } from '../probes/config.ts';
import type { ProbeLimiter } from '../probes/limits.ts';
import type { ProbeExecutor } from '../probes/executor.ts';
import type { Walkthroughs } from '../walkthrough/walkthroughs.ts';
import type { ConversationEvent } from './events.ts';
import { notice, type PreparedPost, type Reply, type Sink, type Tone } from './reply.ts';
import type { EventCommitter } from './state/commit.ts';
import type { OutboxCleaner, OutboxEntry, OutboxStore } from './state/outbox.ts';
import { randomUUID } from 'node:crypto';
import type { Prefetched } from './state/locks.ts';
import type { PutResult, ThreadDoc, ThreadStateStore } from './state/thread-state.ts';
import { ThreadHandle } from './state/thread.ts';
import type { AuditFields } from '../audit/chain.ts';
import type { AuditAction, AuditLog } from '../audit/log.ts';
import { StoreUnavailableError } from '../walkthrough/store.ts';
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
  /** The thread store's combined write, when it has one and the audit log appends to the same store. */
  commit?: EventCommitter;
  /** The reply outbox (with commit): replies are committed with the event, then delivered. */
  outbox?: { store: OutboxStore; cleaner: OutboxCleaner };
  /** On-call channels and pagers (absent: escalation posts the packet in the thread only). */
  oncall?: OnCall;
  escalation: EscalationConfig;
  policy: Policy;
  /** Groups a person belongs to, asked of their platform (for permission rules naming groups). */
  groups?: (thread: string, actorId: string) => Promise<string[]>;
}

/**
 * An event applied without the thread lock (it starts its thread) found, at its first commit, that it
 * was not the thread's first or the delivery's only copy, or had nothing to write as a first write:
 * nothing was written or sent; the core applies the event again under the lock.
 */
export class UnlockedConflict extends Error {
  constructor() {
    super('the event that started its thread was not its first; applying it again under the thread lock');
  }
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
  /** Audit entries not written yet (combined writes only). */
  readonly #audit: AuditFields[] = [];
  /** The delivery claim still to write (combined writes only), and whether it is written. */
  #claim: { key: string; at: Date } | undefined;
  #claimed = false;
  /** The event posted, wrote, recorded or deferred something (an event that did nothing needs no claim). */
  #acted = false;
  /** This event's writes, one at a time and in order. */
  #writes: Promise<unknown> = Promise.resolve();
  /** Replies made and not committed yet (outbox): they go with the next commit, then to the sink. */
  readonly #replies: OutboxEntry[] = [];
  /** The event holds the thread now (core.ts, relock): replies and state writes wait for the end of it. */
  #locked = false;
  /** Deletes delivered outbox rows with the thread's unlock (the store's shortcut), while the thread is held. */
  #release: ((ids: readonly string[]) => void) | undefined;
  /** Applied without the thread lock until its first commit (see unlocked()). */
  #unlocked = false;
  /** The claim went in finished with that first commit (nothing was left to do after it). */
  #claimFinished = false;

  constructor(deps: Deps, event: ConversationEvent, sink: Sink, signal?: AbortSignal, via?: string) {
    this.deps = deps;
    this.event = event;
    this.#sink = sink;
    this.signal = signal;
    this.via = via;
  }

  /**
   * Append to the audit log (never throws). The thread recorded is where the person acted. With
   * combined writes the entry is kept and written with the event's next write (see the top).
   */
  async audit(action: AuditAction, extra: { session?: string; step?: string; detail?: Record<string, unknown> } = {}): Promise<void> {
    this.#acted = true;
    const log = this.deps.audit;
    if (!log) return;
    const detail = this.via ? { ...extra.detail, actsOn: this.thread } : extra.detail;
    const record = { action, thread: this.via ?? this.thread, actor: this.event.actor, session: extra.session, step: extra.step, ...(detail && { detail }), at: this.deps.clock() };
    if (!this.deps.commit) {
      await log.record(record);
      return;
    }
    try {
      this.#audit.push(log.fields(record));
    } catch (err) {
      log.lost(err, record);
    }
  }

  /**
   * Apply this event without the thread lock (it starts its thread; the core decides): its first
   * commit must then be the thread's first write with its delivery claim, written only if neither is
   * stored yet (EventWrites.first); anything else throws UnlockedConflict before a reply goes out.
   */
  unlocked(): void {
    this.#unlocked = true;
  }

  /** The delivery claim was written finished with the event's unlocked first commit (no mark left to make). */
  get claimFinished(): boolean {
    return this.#claimFinished;
  }

  /** The delivery claim to write with this event's first write (the thread lock found the delivery new). */
  claim(key: string, at: Date): void {
    this.#claim = { key, at };
  }

  /** The claim was written (so the delivery is to be marked handled at the end). */
  get claimWritten(): boolean {
    return this.#claimed;
  }

  /** Work was deferred (it runs after the thread is let go of). */
  get hasDeferred(): boolean {
    return this.#deferred.length > 0;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#writes.then(work);
    this.#writes = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** The claim to write now, if any: only once the event did something (a copy that does nothing twice changes nothing). */
  #pendingClaim(): { key: string; at: Date } | undefined {
    return this.#acted && !this.#claimed ? this.#claim : undefined;
  }

  /** A thread state write carrying the kept claim and audit entries (ThreadHandle's saver with combined writes). */
  #saveThread = (doc: ThreadDoc, expectedVersion: number): Promise<PutResult> =>
    this.#serial(async () => {
      // Without the thread lock only the held first write (flush) is safe.
      if (this.#unlocked) throw new UnlockedConflict();
      this.#acted = true;
      const commit = this.deps.commit!;
      const audit = this.#audit.splice(0);
      const claim = this.#pendingClaim();
      try {
        const done = await commit.commitEvent({ thread: { doc, expectedVersion }, claim, audit, auditLater: true });
        if (done.thread !== 'saved') {
          this.#audit.unshift(...audit);
          return 'conflict';
        }
        if (claim) this.#claimed = true;
        return 'saved';
      } catch (err) {
        this.#audit.unshift(...audit);
        if (err instanceof StoreUnavailableError) throw err;
        // Something in the combined write failed that is not the store being away (an audit entry it
        // refused): the state goes alone, the rest is tried again by the next flush.
        this.deps.logger.warn({ err, thread: this.thread }, 'the combined write failed; saving the thread state alone');
        return this.deps.threads.putThread(doc, expectedVersion);
      }
    });

  /** Replies go through the outbox (the store has one and commits events together). */
  get #durable(): boolean {
    return Boolean(this.deps.commit && this.deps.outbox);
  }

  /**
   * Write what is kept (the claim, audit entries, a held thread state write and the replies made)
   * in one round trip, then hand the replies to the sink in order. Never throws: an audit entry
   * that cannot be written is logged as lost, a claim that cannot be written lets the event
   * through (better twice than never), as the ledger does, and replies that cannot be committed are
   * delivered all the same.
   */
  flush(): Promise<void> {
    return this.#serial(async () => {
      const commit = this.deps.commit;
      const claim = this.#pendingClaim();
      const replies = this.#replies.splice(0);
      let thread = this.#state?.pendingWrite;
      if (!commit || (!claim && !this.#audit.length && !replies.length && !thread)) return;
      const unlocked = this.#unlocked;
      // Without the thread lock, only the thread's first write with the delivery's claim can tell that no other copy or event came first.
      if (unlocked && (!thread || thread.expectedVersion !== 0 || !claim)) throw new UnlockedConflict();
      const audit = this.#audit.splice(0);
      let committed = false;
      let prepared: Promise<Map<OutboxEntry, PreparedPost>> | undefined;
      try {
        for (let attempt = 0; ; attempt++) {
          const pending = commit.commitEvent(unlocked ? { thread, claim: { ...claim!, done: !this.hasDeferred }, audit, auditLater: true, outbox: replies, first: true } : { thread, claim, audit, auditLater: true, outbox: replies });
          if (attempt === 0) prepared = this.#prepare(replies);
          const done = await pending;
          if (unlocked && done.thread !== 'saved') {
            for (const p of (await prepared)?.values() ?? []) p.drop();
            throw new UnlockedConflict();
          }
          if (!thread || done.thread === 'saved') break;
          if (attempt >= 3) throw new Error(`the state of thread ${this.thread} keeps changing underneath this event`);
          await this.#state!.reapply();
          thread = this.#state!.pendingWrite;
        }
        committed = true;
        this.#state?.committed();
        if (claim) this.#claimed = true;
        if (unlocked) {
          this.#unlocked = false;
          this.#claimFinished = !this.hasDeferred;
        }
      } catch (err) {
        if (err instanceof UnlockedConflict) throw err;
        this.#state?.dropPending();
        if (claim) {
          this.#claim = undefined;
          this.deps.logger.warn({ err }, 'cannot record the delivery id; handling the event without deduplication');
        }
        if (thread) this.deps.logger.warn({ err, thread: this.thread }, 'cannot save the thread state; it holds for this event only');
        for (const f of audit) this.deps.audit?.lost(err, f);
      }
      const ready = await prepared;
      for (const r of replies) await this.#deliver(r, committed, ready?.get(r));
    });
  }

  /**
   * Let the sink get the new replies ready while the commit is on its way (Sink.prepare). Run once
   * this turn of the event loop is over: a store may send the commit's statement on the next tick (a
   * pg pool hands out its idle connection so), and the work done here must not hold it back.
   */
  #prepare(replies: readonly OutboxEntry[]): Promise<Map<OutboxEntry, PreparedPost>> | undefined {
    const sink = this.#sink;
    if (!sink.prepare || !replies.some((r) => r.op === 'post')) return undefined;
    return new Promise((resolve) => {
      setImmediate(() => {
        const ready = new Map<OutboxEntry, PreparedPost>();
        for (const r of replies) {
          if (r.op !== 'post') continue;
          try {
            const p = sink.prepare?.(r.reply);
            if (p) ready.set(r, p);
          } catch (err) {
            // Posted the usual way, and reported there if it fails again.
            this.deps.logger.debug({ err, reply: r.reply.id }, 'the channel could not get a reply ready');
          }
        }
        resolve(ready);
      });
    });
  }

  /** Hand one reply to the sink (or send the post it got ready); once the platform has it, its outbox row is deleted. */
  async #deliver(entry: OutboxEntry, inOutbox: boolean, prepared?: PreparedPost): Promise<void> {
    const cleaner = this.deps.outbox?.cleaner;
    if (inOutbox) cleaner?.handed(entry.id);
    const done = (): void => {
      if (!inOutbox) return;
      if (this.#locked && this.#release) {
        cleaner?.forget(entry.id);
        this.#release([entry.id]);
      } else cleaner?.done(entry.id);
    };
    const failed = (err: unknown): void => {
      this.deps.logger.warn({ err, thread: this.thread, reply: entry.reply.id }, `channel could not ${entry.op} a reply`);
      done();
    };
    try {
      const p = prepared ? prepared.send() : entry.op === 'post' ? this.#sink.post(entry.reply) : this.#sink.update(entry.reply);
      if (this.#sink.receipts) void Promise.resolve(p).then(done, failed);
      else {
        await p;
        done();
      }
    } catch (err) {
      failed(err);
    }
  }

  /**
   * Run `work` holding the thread (the core's apply, relock): state writes and replies wait for its
   * end and go in one commit with the claim and audit entries, then out to the sink; card updates
   * reach the channel before the thread is let go of.
   */
  async holding<T>(work: () => Promise<T>, prefetched?: Prefetched): Promise<T> {
    this.#locked = true;
    this.#release = prefetched?.outboxDoneOnRelease;
    this.#state?.hold(this.#durable);
    try {
      return await work();
    } finally {
      try {
        await this.settled();
        await this.flush();
      } finally {
        this.#locked = false;
        this.#release = undefined;
        this.#state?.hold(false);
      }
      await this.settled();
    }
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
    if (!this.#state) {
      this.#state = new ThreadHandle(this.deps.threads, this.thread, this.deps.clock, this.deps.logger, this.deps.commit ? this.#saveThread : undefined);
      if (this.#locked) this.#state.hold(this.#durable);
    }
    return this.#state;
  }

  /** Run `work` after this event let go of the thread (the core awaits it before handle() resolves). */
  defer(work: () => Promise<void>): void {
    this.#acted = true;
    this.#deferred.push(work);
  }

  /** Take the deferred work (the core runs it). */
  takeDeferred(): Array<() => Promise<void>> {
    return this.#deferred.splice(0);
  }

  /** Run `work` holding the thread again, with its state read afresh; what it kept is written before the thread is let go of. */
  relock<T>(work: () => Promise<T>): Promise<T> {
    return this.deps.relock(this.thread, (prefetched) => {
      this.#state = undefined;
      return this.holding(async () => {
        if (prefetched) this.state.prime(prefetched.doc);
        return work();
      }, prefetched);
    });
  }

  /** Keep a reply for the outbox; outside the thread's hold it is committed and delivered at once. */
  async #keep(op: 'post' | 'update', r: Reply): Promise<void> {
    if (this.#sink.accepts && !this.#sink.accepts(r)) return;
    this.#replies.push({ id: randomUUID(), thread: this.via ?? this.thread, op, reply: r, ...(this.#sink.address !== undefined && { address: this.#sink.address }), at: this.deps.clock() });
    if (!this.#locked) await this.flush();
  }

  async post(r: Reply): Promise<void> {
    this.#acted = true;
    if (this.#durable) return this.#keep('post', r);
    await this.flush();
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
    this.#acted = true;
    // A result (anything but progress) goes through the outbox; "running…" updates are transient.
    if (!progress && this.#durable) {
      state.tail = state.tail.then(() => this.#keep('update', r));
      this.#updates.set(r.id, state);
      return state.tail;
    }
    state.tail = state.tail.then(async () => {
      await this.flush();
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
    this.#acted = true;
    return this.event.id ? `${this.thread}:${this.event.id}:${suffix}` : undefined;
  }
}
