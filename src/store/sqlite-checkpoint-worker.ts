// The thread that checkpoints a SQLite store's write-ahead log (sqlite-checkpointer.ts): its own
// connection to the file, a PASSIVE checkpoint now and then (it never waits for a lock and never
// holds up a writer), soon again while the log still has frames to copy, seldom when it has none.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

interface Setup {
  path: string;
  /** Pause after a checkpoint that copied frames (the log is being written). */
  busyMs: number;
  /** Pause after one that found nothing to copy. */
  idleMs: number;
}

const setup = workerData as Setup;
// mode=rw: the file is opened only if it is there; a store whose file was removed never gets a new, empty one from here.
const url = pathToFileURL(resolve(setup.path));
url.searchParams.set('mode', 'rw');
const db = new DatabaseSync(url);
// The same durability as the writer's connection: the log is flushed before its frames are copied, the
// database file after (NORMAL in WAL mode), so a checkpoint never loses a commit.
db.exec('PRAGMA synchronous = NORMAL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let timer: NodeJS.Timeout | undefined;
let stopped = false;

function run(): void {
  timer = undefined;
  if (stopped) return;
  let copied: number;
  if (!existsSync(setup.path)) {
    // The store's file is gone (removed with its folder): nothing to checkpoint, ever.
    parentPort?.postMessage({ type: 'failed', message: 'the store file is gone' });
    stop();
    return;
  }
  try {
    // busy: 1 when another checkpoint ran; log: frames in the log; checkpointed: frames now in the file.
    const row = checkpoint.get() as { busy: number; log: number; checkpointed: number } | undefined;
    copied = row && row.log > 0 ? row.checkpointed : 0;
    parentPort?.postMessage({ type: 'checkpointed', log: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 });
  } catch (err) {
    // The file went away or cannot be read: the writer checkpoints for itself from now on.
    parentPort?.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    stop();
    return;
  }
  timer = setTimeout(run, copied > 0 ? setup.busyMs : setup.idleMs);
}

function stop(): void {
  stopped = true;
  if (timer) clearTimeout(timer);
  if (db.isOpen) db.close();
  parentPort?.close();
}

parentPort?.on('message', (m: unknown) => {
  if (m === 'stop') stop();
  else if (m === 'now' && !stopped) {
    if (timer) clearTimeout(timer);
    run();
  }
});
parentPort?.postMessage({ type: 'ready' });
timer = setTimeout(run, setup.busyMs);
