// Holding a thread while one event is applied, across processes where the store can: PostgreSQL
// takes an advisory lock per thread, so two replicas never apply events of one thread at once.
// Within a process the core already queues events per thread (serial.ts); SQLite (one process)
// needs nothing more.

import type { ThreadDoc } from './thread-state.ts';

/** The thread's state as read right after the lock was taken, in the same round trip (undefined doc: none stored yet). */
export interface Prefetched {
  doc: ThreadDoc | undefined;
}

export interface ThreadLocks {
  /**
   * Run `work` while holding the thread (waiting for another holder to let go first). A store that can
   * read the thread's state in the same round trip as the lock hands it to `work`.
   */
  withThreadLock<T>(thread: string, work: (prefetched?: Prefetched) => Promise<T>): Promise<T>;
}

/** No cross-process lock: one process, whose queues already order each thread. */
export const PROCESS_LOCKS: ThreadLocks = {
  withThreadLock: (_thread, work) => work(),
};
