// One event's view of its thread's durable state: read once (lazily) and written back with
// compare-and-set. Events of a thread are already applied one at a time (the core's queues and, on
// PostgreSQL, an advisory lock), so a conflict means another process wrote without the lock (SQLite
// shared by two processes): the change is then re-applied on the fresh document.
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { StoreUnavailableError, type CompanionWrite } from '../../walkthrough/store.ts';
import { emptyThread, encodeThread, type PutResult, type ThreadDoc, type ThreadStateStore } from './thread-state.ts';

const ATTEMPTS = 4;

/** How a handle saves a document: the store's putThread, or the event's combined write (commit.ts) that carries its claim and audit entries along. */
export type ThreadSaver = (doc: ThreadDoc, expectedVersion: number) => Promise<PutResult>;

/** The documents alike but for their version and time: the change changed nothing (a property set to undefined counts as a change). */
function sameContent(a: ThreadDoc, b: ThreadDoc): boolean {
  return isDeepStrictEqual({ ...a, version: 0, updatedAt: '' }, { ...b, version: 0, updatedAt: '' });
}

export class ThreadHandle {
  readonly thread: string;
  readonly #store: ThreadStateStore;
  readonly #clock: () => Date;
  readonly #logger: Logger;
  readonly #save: ThreadSaver;
  #doc: ThreadDoc | undefined;
  #unavailable = false;
  /** Held (the event holds the thread and commits its writes together): writes wait for the next commit. */
  #held = false;
  /** Changes written while held and not committed yet, and the stored version they apply to. */
  #pending: { changes: Array<(doc: ThreadDoc) => void>; expected: number } | undefined;

  constructor(store: ThreadStateStore, thread: string, clock: () => Date, logger: Logger, save?: ThreadSaver) {
    this.#store = store;
    this.thread = thread;
    this.#clock = clock;
    this.#logger = logger;
    this.#save = save ?? ((doc, expectedVersion) => store.putThread(doc, expectedVersion));
  }

  /**
   * The thread's document (an empty one for a thread never seen, or one that no longer reads). When
   * the store cannot be reached, an empty document: pastes are still matched; what needs the store
   * (walkthroughs) says it is unavailable.
   */
  async read(): Promise<ThreadDoc> {
    if (this.#doc) return this.#doc;
    let stored: ThreadDoc | undefined;
    try {
      stored = await this.#store.getThread(this.thread);
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      this.#unavailable = true;
      this.#logger.warn({ thread: this.thread, err }, 'cannot read the thread state; going on without it');
    }
    this.#doc = stored ?? emptyThread(this.thread, this.#clock());
    return this.#doc;
  }

  /** The document as the thread lock read it (in the same round trip): no read of its own then. */
  prime(doc: ThreadDoc | undefined): void {
    this.#doc = doc ?? emptyThread(this.thread, this.#clock());
    this.#unavailable = false;
  }

  /**
   * Hold writes for the event's next commit (Turn.flush writes them with its claim, audit entries and
   * outbox rows in one statement), while the event holds the thread, so nobody else writes it meanwhile.
   */
  hold(on: boolean): void {
    this.#held = on;
  }

  /** The held write to commit, if any. */
  get pendingWrite(): { doc: ThreadDoc; expectedVersion: number } | undefined {
    return this.#pending && this.#doc ? { doc: this.#doc, expectedVersion: this.#pending.expected } : undefined;
  }

  /** The held write was committed. */
  committed(): void {
    this.#pending = undefined;
  }

  /** The held write met a newer document (another process wrote without the lock): apply its changes again on that one. */
  async reapply(): Promise<void> {
    const changes = this.#pending?.changes ?? [];
    this.#pending = undefined;
    this.#doc = undefined;
    let doc = await this.read();
    const expected = doc.version;
    for (const change of changes) doc = this.#next(doc, change);
    this.#doc = doc;
    if (changes.length) this.#pending = { changes, expected };
  }

  /** The held write could not be committed (the store is away): it holds for this event only. */
  dropPending(): void {
    this.#pending = undefined;
  }

  /** Read the stored document again (another process may have changed it, e.g. a cancel). */
  async refresh(): Promise<ThreadDoc> {
    if (this.#pending) throw new Error('refresh() with a held write; commit it first');
    this.#doc = undefined;
    this.#unavailable = false;
    return this.read();
  }

  /**
   * Apply `change` to the document and save it; returns the saved document (kept for this event only
   * when the store is unavailable). A change that changes nothing writes nothing.
   */
  async write(change: (doc: ThreadDoc) => void): Promise<ThreadDoc> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const base = await this.read();
      const next = this.#next(base, change);
      if (sameContent(base, next)) return base;
      if (this.#unavailable) {
        this.#doc = next;
        return next;
      }
      if (this.#held) {
        this.#pending ??= { changes: [], expected: base.version };
        this.#pending.changes.push(change);
        this.#doc = next;
        return next;
      }
      let saved: PutResult;
      try {
        saved = await this.#save(next, base.version);
      } catch (err) {
        if (!(err instanceof StoreUnavailableError)) throw err;
        this.#logger.warn({ thread: this.thread, err }, 'cannot save the thread state; it holds for this event only');
        this.#unavailable = true;
        this.#doc = next;
        return next;
      }
      if (saved === 'saved') {
        this.#doc = next;
        return next;
      }
      this.#logger.debug({ thread: this.thread, attempt }, 'thread state changed underneath; applying the change again');
      this.#doc = undefined;
    }
    throw new Error(`the state of thread ${this.thread} keeps changing underneath this event`);
  }

  /**
   * The same change as a write in another transaction (a walkthrough's start): the document to save
   * and a callback that makes it this handle's document once that transaction committed. The
   * document must have been read first.
   */
  companion(change: (doc: ThreadDoc) => void): { write: CompanionWrite; committed: () => void } {
    const base = this.#doc;
    if (!base) throw new Error('read the thread state before preparing a companion write');
    const next = this.#next(base, change);
    return {
      // A held write goes along: the companion writes the document with it, over the stored version.
      write: { key: this.thread, doc: encodeThread(next), version: next.version, expectedVersion: this.#pending?.expected ?? base.version, updatedAt: next.updatedAt },
      committed: () => {
        this.#doc = next;
        this.#pending = undefined;
      },
    };
  }

  #next(base: ThreadDoc, change: (doc: ThreadDoc) => void): ThreadDoc {
    const next = structuredClone(base);
    change(next);
    next.version = base.version + 1;
    next.updatedAt = this.#clock().toISOString();
    return next;
  }
}
