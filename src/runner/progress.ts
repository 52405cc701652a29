// Progress of a probe running on a runner, back to the replica waiting for it: a NOTIFY per line on
// one channel per queue schema, best effort (a replica that is not listening just shows less). The
// result itself never travels this way: it is the job's completion output in pg-boss, durable and
// read by polling, so a lost notification loses nothing but a progress line.
import type { Db as IDatabase } from 'pg-boss';

type ListenHandle = Awaited<ReturnType<NonNullable<IDatabase['listen']>>>;
import type { Logger } from 'pino';

export interface ProgressNote {
  job: string;
  message: string;
}

export function progressChannel(schema: string): string {
  return `ehlo_probe_progress_${schema}`.slice(0, 63);
}

/** Payload of one note (NOTIFY payloads stay far under PostgreSQL's 8000 bytes). */
export function encodeNote(note: ProgressNote): string {
  return JSON.stringify({ job: note.job.slice(0, 64), message: note.message.slice(0, 300) });
}

function decodeNote(payload: string): ProgressNote | undefined {
  try {
    const o = JSON.parse(payload) as Partial<ProgressNote>;
    return typeof o.job === 'string' && typeof o.message === 'string' ? { job: o.job, message: o.message } : undefined;
  } catch {
    return undefined;
  }
}

/** One LISTEN connection in a replica (pg-boss's own listener, which reconnects), handing each note to whoever waits for that job. */
export class ProgressListener {
  readonly #db: IDatabase;
  readonly #channel: string;
  readonly #logger: Logger;
  readonly #waiting = new Map<string, (message: string) => void>();
  #handle: ListenHandle | undefined;

  constructor(db: IDatabase, schema: string, logger: Logger) {
    this.#db = db;
    this.#channel = progressChannel(schema);
    this.#logger = logger;
  }

  /** Start listening (a failure only means no progress lines). */
  async start(): Promise<void> {
    if (!this.#db.listen) return;
    try {
      this.#handle = await this.#db.listen(
        this.#channel,
        (payload) => {
          const note = decodeNote(payload);
          if (note) this.#waiting.get(note.job)?.(note.message);
        },
        () => undefined,
      );
    } catch (err) {
      this.#logger.warn({ err }, 'cannot listen for probe progress; cards show less progress');
    }
  }

  watch(job: string, onMessage: (message: string) => void): () => void {
    this.#waiting.set(job, onMessage);
    return () => this.#waiting.delete(job);
  }

  async close(): Promise<void> {
    const h = this.#handle;
    this.#handle = undefined;
    await h?.close().catch(() => undefined);
  }
}
