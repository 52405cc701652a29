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
import type { JobWithMetadata, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { ProbeConfig } from '../probes/config.ts';
import type { Adopted, CheckHandoff, ProbeExecutor, ProbeRequest, ProbeRunControl } from '../probes/executor.ts';
import type { ProbeLimiter } from '../probes/limits.ts';
import { parseTarget } from '../probes/target.ts';
import type { ProbeResult } from '../probes/types.ts';
import { ensureQueue, startBoss } from './boss.ts';
import type { RunnersConfig } from './config.ts';
import { parseJobData, parseJobOutput, type AdoptJobData, type ProbeJobData } from './job.ts';
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
/** The queue of adopt jobs, and how long after a probe job's deadline its adopt job is due. */
export const ADOPT_QUEUE = 'probe.adopt';
const ADOPT_AFTER_MS = 3_000;

interface Queues {
  boss: PgBoss;
  listener: ProgressListener;
}

type Fail = (code: string, message: string) => ProbeResult;

function timedOutResult(fail: Fail, why: string): ProbeResult {
  return fail('check-timed-out', `the check timed out: ${why}; a later result is dropped`);
}

/** What a finished job means for the card (undefined while it is not finished). */
function finalOf(job: JobWithMetadata<unknown>, zone: string, deadlineMs: number, fail: Fail): { outcome: string; result: ProbeResult } | undefined {
  const seconds = Math.ceil(deadlineMs / 1000);
  if (job.state === 'completed') {
    const out = parseJobOutput(job.output);
    const took = job.completedOn ? new Date(job.completedOn).getTime() - new Date(job.createdOn).getTime() : 0;
    if (!out) return { outcome: 'malformed', result: fail('runner-answer-malformed', `the runner of zone ${zone} answered something that is not a probe result`) };
    if (out.kind === 'expired') return { outcome: 'timed-out', result: timedOutResult(fail, `runner ${out.runner} in zone ${zone} took the job after its deadline, so it did not run`) };
    if (took > deadlineMs + LATE_GRACE_MS) return { outcome: 'late', result: timedOutResult(fail, `the result from runner ${out.runner} came ${Math.round((took - deadlineMs) / 1000)} s after the deadline of ${seconds} s`) };
    return { outcome: out.result.status === 'refused' ? 'refused' : 'completed', result: out.result };
  }
  if (job.state === 'failed') {
    const message = (job.output as { message?: unknown } | null)?.message;
    return { outcome: 'failed', result: fail('runner-failed', `the probe job failed on the runners of zone ${zone}${typeof message === 'string' ? `: ${message.slice(0, 200)}` : ''}`) };
  }
  if (job.state === 'cancelled') return { outcome: 'cancelled', result: fail('cancelled', 'the probe job was cancelled') };
  return undefined;
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
      await boss.createQueue(ADOPT_QUEUE, { retryLimit: 2, expireInSeconds: 120, retentionSeconds: 3600, deleteAfterSeconds: 600 });
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
    const data: ProbeJobData = { request, deadline, zone, ...(control.handoff && { handoff: control.handoff }) };
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
    // Due just after the deadline: if this replica died waiting, another one finishes the check.
    const h = control.handoff;
    if (h) {
      const adopt: AdoptJobData = { zone, job: id, thread: h.thread, checkId: h.checkId, actor: h.actor };
      await q.boss.send(ADOPT_QUEUE, adopt as unknown as object, { startAfter: new Date(deadline + ADOPT_AFTER_MS) }).catch((err: unknown) => logger.warn({ err, job: id }, 'cannot post the adopt job; if this replica dies, the card keeps running'));
    }
    const timedOut = (why: string): ProbeResult => timedOutResult(fail, why);
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
        const final = job && finalOf(job, zone, runners.deadlineMs, fail);
        if (final) return ended(final.outcome, final.result);
        await sleep(Math.min(runners.pollMs, Math.max(1, deadline + LATE_GRACE_MS + 1 - Date.now())), undefined, { signal: control.signal }).catch(() => undefined);
      }
    } finally {
      unwatch();
    }
  }

  /**
   * The outcome of a probe job whose poster died waiting: its result or failure when it finished, else
   * (still queued or running past the deadline) it is cancelled and the check timed out.
   */
  async adopt(ref: { zone: string; job: string }): Promise<Adopted | undefined> {
    const q = await this.ready();
    const queue = queueName(ref.zone);
    const [job] = await q.boss.findJobs<unknown>(queue, { id: ref.job });
    if (!job) return undefined;
    const data = parseJobData(job.data);
    const handoff = (job.data as { handoff?: CheckHandoff }).handoff;
    if (typeof data === 'string' || !handoff) return undefined;
    const fail: Fail = (code, message) => ({ probe: data.request.kind, target: data.request.target.slice(0, 200), startedAt: new Date(job.createdOn).toISOString(), ms: 0, status: 'error', findings: [{ severity: 'fail', code, message }], transcript: [] });
    const final = finalOf(job, ref.zone, this.#o.runners.deadlineMs, fail);
    if (final) {
      this.#o.metrics?.posted(ref.zone, `adopted-${final.outcome}`, 0);
      return { result: final.result, handoff };
    }
    await q.boss.cancel(queue, ref.job).catch(() => undefined);
    this.#o.metrics?.posted(ref.zone, 'adopted-timed-out', 0);
    return { result: timedOutResult(fail, `no runner in zone ${ref.zone} returned a result within ${Math.ceil(this.#o.runners.deadlineMs / 1000)} s`), handoff };
  }

  /**
   * Take adopt jobs (a replica serving chat channels does): each names a check whose poster may have
   * died; `onOrphan` finishes it when the check is still shown as running.
   */
  async startAdopting(onOrphan: (a: AdoptJobData) => Promise<void>): Promise<void> {
    const q = await this.ready();
    await q.boss.work<AdoptJobData>(ADOPT_QUEUE, { pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 2 }, async ([job]) => onOrphan(job!.data));
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
