// The Store interface: durable sessions with compare-and-set saves and a table of first outcomes per
// idempotency key, so a replayed button press returns what the first press did.
import type { Session } from '../walkthrough/session.ts';
import type { StoreKind } from './errors.ts';
import type { MigrationReport } from './migrations.ts';

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

export type SaveResult =
  | { status: 'saved' }
  /** The stored version was not the expected one (someone else saved first), or the thread already has an active session. */
  | { status: 'conflict' }
  /** The idempotency key was already recorded: nothing was saved; here is the first outcome. */
  | { status: 'duplicate'; outcome: StoredOutcome };

export type StoreHealth = { ok: true; kind: StoreKind; where: string; version: number } | { ok: false; kind: StoreKind; where: string; message: string };

export interface Store {
  readonly kind: StoreKind;
  /** Where the data lives, without secrets: "SQLite data/ehlo.sqlite", "PostgreSQL 127.0.0.1:5432/ehlo". */
  readonly where: string;
  /** Apply pending schema migrations (safe to call again, and from several processes at once). */
  migrate(): Promise<MigrationReport>;
  getSession(id: string): Promise<Session | undefined>;
  /** The thread's active session, else its most recent one. */
  getSessionByThread(threadKey: string): Promise<Session | undefined>;
  /** Active sessions, least recently updated first. */
  listOpenSessions(limit?: number): Promise<Session[]>;
  /**
   * Save a session if its stored version is still `expectedVersion` (0: insert a new session).
   * With `record`, the outcome is stored under its key in the same transaction, and a key seen
   * before makes the save a no-op that returns the first outcome.
   */
  save(session: Session, expectedVersion: number, record?: OutcomeRecord): Promise<SaveResult>;
  getOutcome(key: string): Promise<StoredOutcome | undefined>;
  /** Record an outcome that changed no session (a refusal); returns the first outcome if the key was already used. */
  putOutcome(key: string, sessionId: string | null, record: Omit<OutcomeRecord, 'key'>): Promise<StoredOutcome>;
  /** Forget outcomes recorded before `before`; returns how many. Platforms retry within minutes, so a day is plenty. */
  pruneOutcomes(before: Date): Promise<number>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

/** A stored session row, as both stores read it back. */
export interface SessionRow {
  doc: string;
}

/** A stored outcome row. */
export interface OutcomeRow {
  key: string;
  session_id: string | null;
  outcome: string;
  created_at: string;
}
