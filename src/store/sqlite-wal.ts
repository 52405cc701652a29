// Turning on WAL for a SQLite file that another process may be opening at the same moment.
//
// Switching the journal mode needs the file to itself for an instant, and SQLite can answer "database
// is locked" right away (without its busy handler) when two processes open a new file together. The
// switch is then tried again, briefly, until the busy timeout has passed.
import type { DatabaseSync } from 'node:sqlite';

const SQLITE_BUSY = 5;
const pause = new Int32Array(new SharedArrayBuffer(4));

function isBusy(err: unknown): boolean {
  const e = err as { errcode?: number; message?: string };
  return (e.errcode !== undefined && (e.errcode & 0xff) === SQLITE_BUSY) || /database is locked/i.test(e.message ?? '');
}

/** `PRAGMA journal_mode = WAL`, tried again while another process holds the file, for up to `timeoutMs`. */
export function enableWal(db: DatabaseSync, timeoutMs: number): void {
  const until = Date.now() + timeoutMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      db.exec('PRAGMA journal_mode = WAL');
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() >= until) throw err;
      Atomics.wait(pause, 0, 0, wait);
    }
  }
}
