// A probe runner: takes the probe jobs of one zone from its pg-boss queue and runs each through this
// process's own probe policy and limiter (its allowlist, not the replica's: a target it refuses comes
// back as a refused result, which the thread shows like any refusal). A job is stopped when it is
// cancelled (pg-boss's heartbeat finds the claim gone and aborts the job's signal), when its deadline
// passes, or when the runner stops. A job taken after its deadline is answered "expired", not run.
import { hostname } from 'node:os';
import type { Job, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { ProbeConfig } from '../probes/config.ts';
import { InProcessExecutor } from '../probes/executor.ts';
import { MemoryRateStore, ProbeLimiter } from '../probes/limits.ts';
import type { ProbeResult } from '../probes/types.ts';
import { ensureQueue, startBoss } from './boss.ts';
import type { RunnersConfig } from './config.ts';
import { parseJobData, type ProbeJobOutput } from './job.ts';
import type { RunnerMetrics } from './metrics.ts';
import { encodeNote, progressChannel } from './progress.ts';

export interface RunnerOptions {
  zone: string;
  url: string;
  runners: RunnersConfig;
  /** This runner's own probe policy (its allowlist, timeouts, limits). */
  probes: ProbeConfig;
  logger: Logger;
  metrics?: RunnerMetrics;
  /** How this runner names itself in results and progress (default host:pid). */
  name?: string;
}

const PROGRESS_EVERY_MS = 250;

export class Runner {
  readonly name: string;
  readonly zone: string;
  readonly #o: RunnerOptions;
  readonly #executor: InProcessExecutor;
  #boss: PgBoss | undefined;
  #queue = '';
  #active = 0;

  constructor(o: RunnerOptions) {
    this.#o = o;
    this.zone = o.zone;
    this.name = o.name ?? `${hostname()}:${process.pid}`;
    this.#executor = new InProcessExecutor(o.probes, new ProbeLimiter(new MemoryRateStore()));
  }

  get active(): number {
    return this.#active;
  }

  get boss(): PgBoss | undefined {
    return this.#boss;
  }

  get queue(): string {
    return this.#queue;
  }

  async start(): Promise<void> {
    const { runners } = this.#o;
    const boss = await startBoss({ url: this.#o.url, config: runners, owner: false, logger: this.#o.logger, name: `runner-${this.zone}`, max: runners.concurrency + 3 });
    this.#boss = boss;
    this.#queue = await ensureQueue(boss, this.zone, runners);
    await boss.work<unknown, ProbeJobOutput>(
      this.#queue,
      // New jobs wake the workers by NOTIFY; the poll backstop stays short because a retried job (its
      // runner died) sends no NOTIFY and should not wait pg-boss's default 30 s.
      { localConcurrency: runners.concurrency, batchSize: 1, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 2, heartbeatRefreshSeconds: runners.heartbeatRefreshSeconds },
      async ([job]) => this.#take(job!),
    );
    this.#o.logger.info({ zone: this.zone, queue: this.#queue, runner: this.name }, 'runner taking probe jobs');
  }

  async #take(job: Job<unknown>): Promise<ProbeJobOutput> {
    const { logger, metrics } = this.#o;
    const data = parseJobData(job.data);
    if (typeof data === 'string') {
      metrics?.job(this.zone, 'malformed');
      logger.warn({ job: job.id, problem: data }, 'probe job refused');
      throw new Error(data);
    }
    const left = data.deadline - Date.now();
    if (left <= 0) {
      metrics?.job(this.zone, 'expired');
      return { kind: 'expired', runner: this.name, zone: this.zone };
    }
    this.#active++;
    metrics?.started(this.zone);
    logger.info({ job: job.id, probe: data.request.kind, attempt: job.retryCount + 1 }, 'probe job taken');
    const started = performance.now();
    // Notes go out one after another, so "running on runner …" is the first the replica sees.
    let notes: Promise<unknown> = Promise.resolve();
    const notify = (message: string): void => {
      const db = this.#boss?.getDb();
      if (!db) return;
      notes = notes.then(() => db.executeSql('SELECT pg_notify($1, $2)', [progressChannel(this.#o.runners.schema), encodeNote({ job: job.id, message })])).catch(() => undefined);
    };
    notify(`running on runner ${this.name} in zone ${this.zone}${job.retryCount ? ` (attempt ${job.retryCount + 1})` : ''}`);
    let last = 0;
    const onProgress = (message: string): void => {
      const now = Date.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      notify(`${message} (runner ${this.name}, zone ${this.zone})`);
    };
    try {
      // The probe ends a little before the deadline, so its result lands in time.
      const result = await this.#executor.run(data.request, { signal: job.signal, onProgress, timeoutMs: Math.max(100, left - 500) });
      const status = job.signal.aborted ? 'cancelled' : result.status;
      metrics?.job(this.zone, status, (performance.now() - started) / 1000);
      logger.info({ job: job.id, probe: result.probe, target: result.target, status, ms: result.ms, attempt: job.retryCount + 1 }, 'probe job ran');
      return { kind: 'result', result: this.#signed(result), runner: this.name, zone: this.zone };
    } catch (err) {
      metrics?.job(this.zone, 'failed', (performance.now() - started) / 1000);
      logger.error({ err, job: job.id }, 'probe job failed');
      throw err;
    } finally {
      this.#active--;
      metrics?.finished(this.zone);
    }
  }

  /** The result says where it ran; a refusal names this runner's policy, not the replica's. */
  #signed(result: ProbeResult): ProbeResult {
    const where = `runner ${this.name} in zone ${this.zone}`;
    const findings = result.findings.map((f) => (f.code === 'policy-refused' ? { ...f, message: `${f.message} (the policy of ${where})` } : f));
    findings.push({ severity: 'info', code: 'probed-by-runner', message: `${result.status === 'refused' ? 'refused' : 'probed'} by ${where}` });
    return { ...result, findings, transcript: [`probed by ${where}`, ...result.transcript] };
  }

  /** Stop taking jobs; jobs in hand get `graceMs` to finish, then their signals are aborted (pg-boss retries them elsewhere). */
  async stop(graceMs = 10_000): Promise<void> {
    const boss = this.#boss;
    this.#boss = undefined;
    await boss?.stop({ graceful: true, timeout: graceMs });
  }
}
