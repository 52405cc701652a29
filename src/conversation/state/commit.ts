// One event's durable writes in one transaction: the thread's new state (compare-and-set on its
// version), the claim on the event's delivery id that the thread lock kept open for it (locks.ts),
// and the audit entries the event recorded since its last write. On PostgreSQL that is one statement,
// one round trip and one commit where an event used to make four commits; SQLite does it in one
// transaction. The core uses it when the store has it and the audit log appends to the same store.
import type { AuditEntry, AuditFields } from '../../audit/chain.ts';
import type { OutboxEntry } from './outbox.ts';
import type { PutResult, ThreadDoc } from './thread-state.ts';

export interface EventWrites {
  /** The thread's document, written if its stored version is still expectedVersion (0: not stored yet). */
  thread?: { doc: ThreadDoc; expectedVersion: number };
  /** Record the delivery as claimed (being handled) at `at`; a claim that expired unfinished is taken over. */
  claim?: { key: string; at: Date; done?: boolean };
  /** Appended to the audit chain, in this order. */
  audit?: AuditFields[];
  /**
   * The caller does not need the entries as appended: a store may store them with the commit and
   * chain them after it (PostgreSQL: off the event's round trip); EventCommit.audit is then empty.
   * They are durable with the commit all the same, and read back (readAudit) in the chain.
   */
  auditLater?: boolean;
  /** Replies to deliver after the commit (outbox.ts), in this order; gated on the thread write like the rest. */
  outbox?: OutboxEntry[];
  /**
   * Written without the thread lock (an event that starts its thread, see UnlockedFirstWrite): with a
   * first write of the thread (expectedVersion 0) and the delivery's claim, and everything is written only
   * if neither the thread nor the delivery is stored yet: otherwise 'conflict' and nothing written (the
   * event is then applied again under the lock). `claim.done` writes the claim finished, for an event
   * with nothing left to do after this commit.
   */
  first?: boolean;
}

export interface EventCommit {
  /** Absent when no thread was given. 'conflict': nothing at all was written (neither the claim nor the audit entries). */
  thread?: PutResult;
  /** The entries as appended (empty on a conflict, and when the store chains them later: auditLater). */
  audit: AuditEntry[];
}

export interface EventCommitter {
  commitEvent(writes: EventWrites): Promise<EventCommit>;
}

/**
 * A store whose combined write can take an event's first write of its thread without the thread lock
 * (EventWrites.first): the core then applies events that start their thread without the lock, and
 * their delivery claim goes in that one commit. It saves PostgreSQL the lock's round trip and the
 * unlock, and SQLite the claim's own write transaction and the later mark of the claim as finished.
 * (`claim.done` is read with `first` only.)
 */
export interface UnlockedFirstWrite {
  readonly unlockedFirstWrite: true;
}

export function hasUnlockedFirstWrite(store: object): store is UnlockedFirstWrite {
  return (store as Partial<UnlockedFirstWrite>).unlockedFirstWrite === true;
}

export function hasEventCommit(store: object): store is EventCommitter {
  return typeof (store as Partial<EventCommitter>).commitEvent === 'function';
}
