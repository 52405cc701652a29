// The replica's side of probe runners: a probe whose target a zone pattern matches is posted as a job
// to that zone's pg-boss queue and the replica waits for it; any other probe runs here as before.
//
// The result comes back as the job's completion output, read by polling the job row (every pollMs):
// the row is durable and written under pg-boss's claim fencing, so a completion from a runner that
// lost its claim (it stopped heart-beating and the job went to another) is rejected by pg-boss, and
// the result is the one completion that counted. Polling needs nothing from the runner's role beyond
// the queue schema and survives a dropped connection; progress lines, which may be lost, come by
// NOTIFY (progress.ts). A job carries a deadline: with no result by then the job is cancelled (a late
// completion is rejected) and the card says the check timed out; a result completed after it is
// dropped the same way. Aborting the signal (Cancel, on any replica, reaches the waiting one through
// the thread state) cancels the job, and the runner's heartbeat then aborts the probe.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostname } from 'node:os';
import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { ProbeConfig } from '../probes/config.ts';
import type { ProbeExecutor, ProbeRequest, ProbeRunControl } from '../probes/executor.ts';
import type { ProbeLimiter } from '../probes/limits.ts';
import { parseTarget } from '../probes/target.ts';
import type { ProbeResult } from '../probes/types.ts';
import { ensureQueue, startBoss } from './boss.ts';
import type { RunnersConfig } from './config.ts';
import { parseJobOutput, type ProbeJobData } from './job.ts';
import type { QueueMetrics } from './metrics.ts';
import { ProgressListener } from './progress.ts';
import { queueName, type ZoneMap } from './zones.ts';

export interface QueueExecutorOptions {
  url: string;
  runners: RunnersConfig;
  zones: ZoneMap;
  /** Probes no zone matches run here. */
  local: ProbeExecutor;
  logger: Logger;
  metrics?: QueueMetrics;
  /**
   * The replica's rate limits (shared by the replicas on PostgreSQL), applied before a job is posted;
   * the runner applies its own limits and allowlist besides.
   */
  limits?: { limiter: ProbeLimiter; config: ProbeConfig['limits'] };
}

/** A result counts when it completed within the deadline plus this (clock and polling slack). */
const LATE_GRACE_MS = 500;

interface Queues {
  boss: PgBoss;
  listener: ProgressListener;
}

export class QueueExecutor implements ProbeExecutor {
  readonly #o: QueueExecutorOptions;
  #ready: Promise<Queues> | undefined;
  #closed = false;

  constructor(o: QueueExecutorOptions) {
    this.#o = o;
  }

  /** The zone that probes this request, or undefined: it runs in this process. */
  zoneOf(request: ProbeRequest): string | undefined {
    return this.#route(request)?.zone;
  }

  #route(request: ProbeRequest): { zone: string; host: string } | undefined {
    try {
      const { host } = parseTarget(request.kind, request.target, request.options?.port);
      const zone = this.#o.zones.zoneOf(host);
      return zone ? { zone, host } : undefined;
    } catch {
      return undefined; // not a valid target: the local run says why
    }
  }

  /** Start the queue now (a replica does this at start so /readyz and the first probe need not wait). */
  ready(): Promise<Queues> {
    if (this.#closed) return Promise.reject(new Error('the probe queue is closed'));
    this.#ready ??= (async () => {
      const { url, runners, logger } = this.#o;
      const boss = await startBoss({ url, config: runners, owner: true, logger, name: `replica-${hostname()}` });
      for (const zone of this.#o.zones.zones) await ensureQueue(boss, zone, runners);
      const listener = new ProgressListener(boss.getDb(), runners.schema, logger);
      await listener.start();
      return { boss, listener };
    })();
    this.#ready.catch(() => {
      this.#ready = undefined;
    });
    return this.#ready;
  }

  /** For /readyz: the queue database answers. */
  async health(): Promise<{ ok: boolean; detail: string }> {
    try {
      const q = await this.ready();
      await q.boss.getDb().executeSql('SELECT 1');
      return { ok: true, detail: `probe queue ${this.#o.runners.schema} (zones ${this.#o.zones.zones.join(', ')})` };
    } catch (err) {
      return { ok: false, detail: `probe queue unavailable: ${err instanceof Error ? err.message.slice(0, 160) : 'error'}` };
    }
  }

  async run(request: ProbeRequest, control: ProbeRunControl = {}): Promise<ProbeResult> {
    const route = this.#route(request);
    if (!route) return this.#o.local.run(request, control);
    const limits = this.#o.limits;
    const slot = limits ? await limits.limiter.acquire(route.host, request.user, limits.config) : undefined;
    if (slot && 'rule' in slot) {
      return { probe: request.kind, target: request.target.slice(0, 200), startedAt: new Date().toISOString(), ms: 0, status: 'refused', findings: [{ severity: 'fail', code: 'policy-refused', message: `refused by rule ${slot.rule}: ${slot.message}` }], transcript: [] };
    }
    try {
      return await this.#post(route.zone, request, control);
    } finally {
      slot?.release();
    }
  }

  async #post(zone: string, request: ProbeRequest, control: ProbeRunControl): Promise<ProbeResult> {
    const started = Date.now();
    const t0 = performance.now();
    const { runners, logger, metrics } = this.#o;
    const queue = queueName(zone);
    const ended = (outcome: string, result: ProbeResult): ProbeResult => {
      metrics?.posted(zone, outcome, (performance.now() - t0) / 1000);
      return result;
    };
    const fail = (code: string, message: string): ProbeResult => ({
      probe: request.kind,
      target: request.target.slice(0, 200),
      startedAt: new Date(started).toISOString(),
      ms: Math.round(performance.now() - t0),
      status: 'error',
      findings: [{ severity: 'fail', code, message }],
      transcript: [],
    });
    let q: Queues;
    try {
      q = await this.ready();
    } catch (err) {
      logger.warn({ err, zone }, 'probe queue unavailable');
      return ended('queue-unavailable', fail('queue-unavailable', `the check could not be sent to the runners of zone ${zone}: ${err instanceof Error ? err.message : String(err)}`));
    }
    const deadline = started + runners.deadlineMs;
    const data: ProbeJobData = { request, deadline, zone };
    const seconds = Math.ceil(runners.deadlineMs / 1000);
    // The id is made here so the progress watch is in place before a runner can take the job.
    const id = randomUUID();
    // The runner says where it runs ("running on runner R in zone Z") as its first progress line; the
    // card says it is waiting only when no runner took the job within a second.
    let heard = false;
    const unwatch = q.listener.watch(id, (m) => {
      heard = true;
      control.onProgress?.(m);
    });
    try {
      const sent = await q.boss.send(queue, data as unknown as object, { id, expireInSeconds: seconds + 5, retentionSeconds: seconds + 5, retryLimit: runners.retryLimit, heartbeatSeconds: runners.heartbeatSeconds });
      if (!sent) {
        unwatch();
        return ended('not-queued', fail('queue-refused', `the probe queue of zone ${zone} did not take the job`));
      }
    } catch (err) {
      unwatch();
      logger.warn({ err, zone }, 'cannot post the probe job');
      return ended('queue-unavailable', fail('queue-unavailable', `the check could not be sent to the runners of zone ${zone}: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`));
    }
    const timedOut = (why: string): ProbeResult => fail('check-timed-out', `the check timed out: ${why}; a later result is dropped`);
    const cancelJob = (): Promise<void> => q.boss.cancel(queue, id).then(() => undefined, (err: unknown) => logger.warn({ err, job: id }, 'cannot cancel the probe job'));
    let saidWaiting = false;
    try {
      for (;;) {
        if (this.#closed) return ended('queue-closed', fail('queue-closed', 'this replica stopped before the runner answered; the result is not shown'));
        if (control.signal?.aborted) {
          await cancelJob();
          return ended('cancelled', fail('cancelled', 'the check was cancelled'));
        }
        if (Date.now() > deadline + LATE_GRACE_MS) {
          await cancelJob();
          return ended('timed-out', timedOut(`no runner in zone ${zone} returned a result within ${seconds} s`));
        }
        const [job] = await q.boss.findJobs(queue, { id }).catch((err: unknown) => {
          logger.warn({ err, job: id }, 'cannot read the probe job');
          return [];
        });
        if (!heard && !saidWaiting && job && job.state !== 'active' && Date.now() - started > 1_000) {
          saidWaiting = true;
          control.onProgress?.(`waiting for a runner in zone ${zone}`);
        }
        if (job?.state === 'completed') {
          const out = parseJobOutput(job.output);
          const took = job.completedOn ? new Date(job.completedOn).getTime() - new Date(job.createdOn).getTime() : 0;
          if (!out) return ended('malformed', fail('runner-answer-malformed', `the runner of zone ${zone} answered something that is not a probe result`));
          if (out.kind === 'expired') return ended('timed-out', timedOut(`runner ${out.runner} in zone ${zone} took the job after its deadline, so it did not run`));
          if (took > runners.deadlineMs + LATE_GRACE_MS) return ended('late', timedOut(`the result from runner ${out.runner} came ${Math.round((took - runners.deadlineMs) / 1000)} s after the deadline of ${seconds} s`));
          return ended(out.result.status === 'refused' ? 'refused' : 'completed', out.result);
        }
        if (job?.state === 'failed') {
          const message = (job.output as { message?: unknown } | null)?.message;
          return ended('failed', fail('runner-failed', `the probe job failed on the runners of zone ${zone}${typeof message === 'string' ? `: ${message.slice(0, 200)}` : ''}`));
        }
        if (job?.state === 'cancelled') return ended('cancelled', fail('cancelled', 'the probe job was cancelled'));
        await sleep(Math.min(runners.pollMs, Math.max(1, deadline + LATE_GRACE_MS + 1 - Date.now())), undefined, { signal: control.signal }).catch(() => undefined);
      }
    } finally {
      unwatch();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const ready = this.#ready;
    this.#ready = undefined;
    const q = await ready?.catch(() => undefined);
    if (!q) return;
    await q.listener.close();
    await q.boss.stop({ graceful: false, close: true, timeout: 2_000 }).catch(() => undefined);
  }
}
