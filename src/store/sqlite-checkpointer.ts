// Checkpoints of a SQLite store's write-ahead log on a thread of their own.
//
// In WAL mode SQLite copies the log back into the database file (a checkpoint) by default inside the
// commit that takes the log past 1,000 pages: that commit then writes and flushes megabytes while the
// event loop waits. Measured with the Teams channel on this machine: one event commit in sixty took
// 2-12 ms instead of 0.1 ms, a tenth of the process's time went there, and it set the reply latency's
// 99th percentile. Here the writer's connection never checkpoints (wal_autocheckpoint = 0) and a worker
// thread with its own connection runs PASSIVE checkpoints, which never wait for a lock and never hold
// up a writer. If the worker cannot start or fails, the writer checkpoints for itself again.
import { Worker } from 'node:worker_threads';

export interface CheckpointerOptions {
  /** Pause after a checkpoint that copied frames (default 100 ms). */
  busyMs?: number;
  /** Pause after one that found nothing to copy (default 1 s). */
  idleMs?: number;
  /** Called once when the worker fails or stops on its own: the writer must checkpoint again. */
  onFail(reason: string): void;
}

export class Checkpointer {
  readonly #worker: Worker;
  #stopping = false;
  #exited: Promise<void>;
  /** Checkpoints that copied frames, and the last log size seen (for tests and health). */
  copied = 0;
  lastLog = 0;

  constructor(path: string, options: CheckpointerOptions) {
    this.#worker = new Worker(new URL('./sqlite-checkpoint-worker.ts', import.meta.url), {
      workerData: { path, busyMs: options.busyMs ?? 100, idleMs: options.idleMs ?? 1000 },
      // A checkpointer needs little: a small heap keeps the thread cheap.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    // The process may exit whenever it is done: a checkpoint cut short is safe (the log stays).
    this.#worker.unref();
    let failed = false;
    const fail = (reason: string): void => {
      if (failed || this.#stopping) return;
      failed = true;
      options.onFail(reason);
    };
    this.#worker.on('message', (m: { type?: string; log?: number; checkpointed?: number; message?: string }) => {
      if (m.type === 'checkpointed') {
        this.lastLog = m.log ?? 0;
        if ((m.checkpointed ?? 0) > 0) this.copied++;
      } else if (m.type === 'failed') fail(m.message ?? 'the checkpoint failed');
    });
    this.#worker.on('error', (err) => fail(err.message));
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', (code) => {
        fail(`the checkpoint thread stopped (exit ${code})`);
        resolve();
      });
    });
  }

  /** Checkpoint now instead of at the next pause (tests; a store about to be copied). */
  now(): void {
    if (!this.#stopping) this.#worker.postMessage('now');
  }

  /** Stop the thread and close its connection (so that the writer's close can fold the log in). */
  async stop(): Promise<void> {
    if (this.#stopping) return this.#exited;
    this.#stopping = true;
    this.#worker.postMessage('stop');
    const timer = setTimeout(() => void this.#worker.terminate(), 2000);
    await this.#exited;
    clearTimeout(timer);
  }
}
