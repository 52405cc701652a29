// The reply outbox: the replies an event produces (new posts and final card updates) are written in
// the same commit as its delivery claim, thread state and audit entries (commit.ts), then handed to
// the channel, and the row is deleted once the platform has it. A process that dies between its
// commit and that moment leaves rows behind: after their lease, any replica takes them, holding the
// thread's lock, and delivers them in the thread's order (core.ts recoverOutbox).
//
// The window left: a process that dies after the platform accepted a reply and before the row was
// deleted (a few milliseconds, the delete is sent right after the platform answered) makes that one
// reply appear twice. Progress updates of a running probe ("running…") are not in the outbox: they
// are transient, and the result that replaces them is.
//
// Card ids: which platform message shows a reply (Slack ts, Teams activity id) is kept in the store
// too (rememberMessage), so any replica, also one that adopts a check or delivers another's outbox,
// updates the card in place instead of posting a new one.
import type { Reply } from '../reply.ts';

/** A reply as committed with its event. */
export interface OutboxEntry {
  /** Unique per entry (also the row's key). */
  id: string;
  thread: string;
  op: 'post' | 'update';
  reply: Reply;
  /** The channel's note on how to rebuild the event's sink (Sink.address), opaque to the core. */
  address?: string;
  /** Written at; the row is not taken over before `at` + lease. */
  at: Date;
}

/** A row as read back for delivery (in the thread's commit order). */
export interface OutboxRow extends OutboxEntry {
  seq: number;
}

export interface OutboxStore {
  /** The platform has these: forget them. */
  outboxDone(ids: readonly string[]): Promise<void>;
  /** Keep these from being taken over until `until` (their process still delivers them). */
  outboxRenew(ids: readonly string[], until: Date): Promise<void>;
  /** Threads with rows whose lease ran out by `now` (at most `limit`). */
  outboxStale(now: Date, limit: number): Promise<string[]>;
  /** The thread's rows whose lease ran out by `now`, leased to the caller until `until`, in commit order. */
  outboxTake(thread: string, now: Date, until: Date): Promise<OutboxRow[]>;
  /** The platform message that shows a reply (kept for the retention period). */
  rememberMessage(replyId: string, thread: string, messageId: string, at: Date): Promise<void>;
  messageOf(replyId: string): Promise<string | undefined>;
  /** Forget which message showed replies recorded before `before`. */
  pruneMessages(before: Date): Promise<number>;
}

export function hasOutbox(store: object): store is OutboxStore {
  return typeof (store as Partial<OutboxStore>).outboxTake === 'function';
}

/** How long a committed reply is left to its own process before another replica delivers it. */
export const OUTBOX_LEASE_MS = 10_000;

/** The JSON of a reply in the outbox, and back (undefined when it no longer reads). */
export function encodeReply(r: Reply): string {
  return JSON.stringify(r);
}

export function decodeReply(text: string): Reply | undefined {
  try {
    const r = JSON.parse(text) as Reply;
    return r && typeof r.id === 'string' && typeof r.thread === 'string' && Array.isArray(r.blocks) ? r : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How long a delete waits before it goes: the deletes of events answered meanwhile share its statement
 * (on SQLite, whose calls never overlap, the only way they can), and one event's delete does not take
 * the database while the next event is being worked out. It widens the window above by as much.
 */
export const OUTBOX_DELETE_DELAY_MS = 20;

/**
 * Deletes of delivered rows (and lease renewals of rows still in hand), sent in the background and
 * coalesced: what arrives within OUTBOX_DELETE_DELAY_MS, or while one statement is on its way, goes in
 * one statement, so the event never waits for it. A delete lost to a crash leaves a row that is
 * delivered once more (the window above).
 */
export class OutboxCleaner {
  readonly #store: OutboxStore;
  readonly #onError: (err: unknown) => void;
  #done: string[] = [];
  #busy: Promise<void> | undefined;
  /** Rows handed to the channel and not yet delivered (their lease is renewed while they wait). */
  readonly #inHand = new Map<string, number>();
  #renewer: NodeJS.Timeout | undefined;

  constructor(store: OutboxStore, onError: (err: unknown) => void) {
    this.#store = store;
    this.#onError = onError;
  }

  /** The row went to the channel; its lease is renewed until done(). */
  handed(id: string): void {
    this.#inHand.set(id, Date.now());
    this.#renewer ??= setInterval(() => this.#renew(), OUTBOX_LEASE_MS / 3).unref();
  }

  /** The row is deleted another way (with the thread's unlock): stop renewing it. */
  forget(id: string): void {
    this.#inHand.delete(id);
  }

  done(id: string): void {
    this.#inHand.delete(id);
    this.#done.push(id);
    this.#busy ??= this.#drain();
  }

  async #drain(): Promise<void> {
    try {
      await new Promise((resolve) => setTimeout(resolve, OUTBOX_DELETE_DELAY_MS));
      while (this.#done.length) {
        const ids = this.#done.splice(0, 500);
        await this.#store.outboxDone(ids).catch(this.#onError);
      }
    } finally {
      this.#busy = undefined;
    }
  }

  #renew(): void {
    const old = [...this.#inHand].filter(([, at]) => Date.now() - at > OUTBOX_LEASE_MS / 3).map(([id]) => id);
    if (!old.length) {
      if (!this.#inHand.size && this.#renewer) {
        clearInterval(this.#renewer);
        this.#renewer = undefined;
      }
      return;
    }
    void this.#store.outboxRenew(old, new Date(Date.now() + OUTBOX_LEASE_MS)).catch(this.#onError);
  }

  /** Resolves when the deletes asked for so far were sent. */
  async idle(): Promise<void> {
    while (this.#busy) await this.#busy;
  }

  stop(): void {
    if (this.#renewer) clearInterval(this.#renewer);
    this.#renewer = undefined;
  }
}
