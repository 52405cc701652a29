// Holding a thread while one event is applied, across processes where the store can: PostgreSQL
// takes an advisory lock per thread, so two replicas never apply events of one thread at once.
// Within a process the core already queues events per thread (serial.ts); SQLite (one process)
// needs nothing more.

import type { ThreadDoc } from './thread-state.ts';

/** A delivery id to look up while taking the lock (see Prefetched.delivery). */
export interface DeliveryCheck {
  key: string;
  /** A claim older than this, never finished, is taken to be from a process that died. */
  leaseMs: number;
  now: Date;
}

/** The thread's state as read right after the lock was taken, in the same round trip (undefined doc: none stored yet). */
export interface Prefetched {
  doc: ThreadDoc | undefined;
  /**
   * With a DeliveryCheck, the store's verdict read under the lock: 'seen' when the delivery was handled
   * or is being handled (a claim within its lease): drop this copy; 'new' otherwise. The claim is then
   * not written yet: the holder writes it with its first durable write or before its first reply
   * (EventWrites.claim), at the latest before it lets go of the thread; every other copy of the
   * delivery waits for the same lock, so it finds the claim. Absent: the store did not look (no
   * cross-process lock): claim the delivery with DeliveryLedger.claimDelivery.
   */
  delivery?: 'new' | 'seen';
  /**
   * Mark the delivery handled as the lock is let go of (sent with the unlock, not awaited: a failure
   * leaves the claim to expire after its lease). Absent when the store has no such shortcut.
   */
  finishOnRelease?: (key: string, at: Date) => void;
  /**
   * Delete these delivered outbox rows as the lock is let go of (in the unlock's round trip, not
   * awaited, like finishOnRelease; a lost delete delivers that reply once more). Absent when the
   * store has no such shortcut.
   */
  outboxDoneOnRelease?: (ids: readonly string[]) => void;
}

export interface ThreadLocks {
  /**
   * Run `work` while holding the thread (waiting for another holder to let go first). A store that can
   * read the thread's state in the same round trip as the lock hands it to `work`, with the
   * verdict on `delivery` when one is given and the store can look it up there too.
   */
  withThreadLock<T>(thread: string, work: (prefetched?: Prefetched) => Promise<T>, delivery?: DeliveryCheck, meanwhile?: Meanwhile): Promise<T>;
}

/**
 * Work that does not need the thread (the matcher on what is likely a paste), run once the lock is
 * asked for and before `work`: a store whose lock takes a round trip runs it while the server
 * answers, so that time is not spent twice. It must not throw (the caller catches), and nothing may
 * depend on it having run: a store without a round trip, or a lock that cannot be taken, may skip it.
 */
export type Meanwhile = () => void;

/** No cross-process lock: one process, whose queues already order each thread. */
export const PROCESS_LOCKS: ThreadLocks = {
  withThreadLock: (_thread, work, _delivery, meanwhile) => {
    meanwhile?.();
    return work();
  },
};
