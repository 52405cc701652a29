// What the walkthrough engine needs from a store, defined here (the engine owns the interface; the
// SQLite and PostgreSQL stores in src/store/ implement it): durable sessions with compare-and-set
// saves, and a table of first outcomes per idempotency key, so a replayed press returns what the
// first press did. A save may carry one more document to write in the same transaction (the
// conversation's thread state when a walkthrough starts), opaque to the engine.
import type { Session } from './session.ts';

export type StoreKind = 'sqlite' | 'postgres';

/** The one error a store throws when it cannot be reached or used: the caller shows the message and keeps serving what does not need the store. */
export class StoreUnavailableError extends Error {
  readonly store: StoreKind;

  /** `where` names the store without secrets ("PostgreSQL 127.0.0.1:5432/ehlo"); `reason` is the low-level cause. */
  constructor(store: StoreKind, where: string, reason: string, hint: string, cause?: unknown) {
    super(`The walkthrough store (${where}) is unavailable: ${reason}. Walkthroughs are paused until it is back; matching and probes still work. ${hint}`, { cause });
    this.name = 'StoreUnavailableError';
    this.store = store;
  }
}

/** The first outcome recorded under an idempotency key (any JSON value the caller chose). */
export interface StoredOutcome {
  key: string;
  sessionId: string | null;
  outcome: unknown;
  at: string;
}

/** An outcome to record under a key in the same transaction as a save. */
export interface OutcomeRecord {
  key: string;
  outcome: unknown;
  at: string;
}

/** Another document written in the same transaction as a session (compare-and-set on its own version). */
export interface CompanionWrite {
  key: string;
  /** JSON text of the document. */
  doc: string;
  version: number;
  /** 0: insert. */
  expectedVersion: number;
  updatedAt: string;
}

export type SaveResult =
  | { status: 'saved' }
  /** The stored version was not the expected one (someone else saved first), or the thread already has an active session. */
  | { status: 'conflict' }
  /** The idempotency key was already recorded: nothing was saved; here is the first outcome. */
  | { status: 'duplicate'; outcome: StoredOutcome };

export interface SessionStore {
  /** Apply pending schema migrations (safe to call again, and from several processes at once). */
  migrate(): Promise<unknown>;
  getSession(id: string): Promise<Session | undefined>;
  /** The thread's active session, else its most recent one. */
  getSessionByThread(threadKey: string): Promise<Session | undefined>;
  /** Active sessions, least recently updated first. */
  listOpenSessions(limit?: number): Promise<Session[]>;
  /**
   * Save a session if its stored version is still `expectedVersion` (0: insert a new session).
   * With `record`, the outcome is stored under its key in the same transaction, and a key seen
   * before makes the save a no-op that returns the first outcome. With `companion`, that document
   * is written in the same transaction too (a conflict on it is a conflict of the save).
   */
  save(session: Session, expectedVersion: number, record?: OutcomeRecord, companion?: CompanionWrite): Promise<SaveResult>;
  getOutcome(key: string): Promise<StoredOutcome | undefined>;
  /** Record an outcome that changed no session (a refusal); returns the first outcome if the key was already used. */
  putOutcome(key: string, sessionId: string | null, record: Omit<OutcomeRecord, 'key'>): Promise<StoredOutcome>;
  /** Forget outcomes recorded before `before`; returns how many. Platforms retry within minutes, so a day is plenty. */
  pruneOutcomes(before: Date): Promise<number>;
}
