// The Store: one database behind every durable interface the core needs, so one transaction can span
// them: the walkthrough engine's sessions and outcomes (src/walkthrough/store.ts), the conversation's
// thread state (src/conversation/state/thread-state.ts), the delivery ledger that drops platform
// retries, per-thread locks across processes, the audit log, and one event's writes in one
// transaction (conversation/state/commit.ts). SQLite (sqlite.ts) and PostgreSQL (postgres.ts)
// implement it; the contract suite in test/store/ runs against both.
import type { EventCommitter } from '../conversation/state/commit.ts';
import type { DeliveryLedger } from '../conversation/state/deliveries.ts';
import type { ThreadLocks } from '../conversation/state/locks.ts';
import type { OutboxStore } from '../conversation/state/outbox.ts';
import type { ThreadStateStore } from '../conversation/state/thread-state.ts';
import type { SessionStore, StoreKind } from '../walkthrough/store.ts';
import type { MigrationReport } from './migrations.ts';
import type { AuditStore } from '../audit/log.ts';

export type StoreHealth = { ok: true; kind: StoreKind; where: string; version: number } | { ok: false; kind: StoreKind; where: string; message: string };

export interface Store extends SessionStore, ThreadStateStore, DeliveryLedger, ThreadLocks, AuditStore, EventCommitter, OutboxStore {
  readonly kind: StoreKind;
  /** Where the data lives, without secrets: "SQLite data/ehlo.sqlite", "PostgreSQL 127.0.0.1:5432/ehlo". */
  readonly where: string;
  /** Set when the store could only be opened for reading (why): open walkthroughs show, nothing changes. */
  readonly readOnly?: string;
  migrate(): Promise<MigrationReport>;
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

export interface ThreadRow {
  doc: string;
}
