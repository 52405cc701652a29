// Prometheus metrics of the probe queue (prom-client), on the process's one registry: a runner counts
// the jobs it ran per zone and status, how long they took, how many it holds now, and on each scrape
// reads its queue's depth and the age of the oldest waiting job; a replica counts the jobs it posted
// per zone and how they ended.
import type { PgBoss } from 'pg-boss';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface RunnerMetrics {
  /** A job ended: pass, warn, fail, error, refused, cancelled, expired, malformed, failed (threw). */
  job(zone: string, status: string, seconds?: number): void;
  started(zone: string): void;
  finished(zone: string): void;
}

export interface QueueSource {
  zone: string;
  boss(): PgBoss | undefined;
  queue: () => string;
}

/** Waiting jobs read per scrape at most (the depth gauge saturates there). */
const DEPTH_CAP = 10_000;

export function createRunnerMetrics(registry: Registry, source?: QueueSource): RunnerMetrics {
  const jobs = new Counter({ name: 'ehlo_runner_jobs_total', help: 'Probe jobs a runner finished, by zone and status', labelNames: ['zone', 'status'], registers: [registry] });
  const failures = new Counter({ name: 'ehlo_runner_job_failures_total', help: 'Probe jobs that failed on a runner (malformed, or the runner itself failed); pg-boss retries or fails them', labelNames: ['zone'], registers: [registry] });
  const seconds = new Histogram({ name: 'ehlo_runner_job_seconds', help: 'Time a runner spent on one probe job', labelNames: ['zone'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry] });
  const active = new Gauge({ name: 'ehlo_runner_active_jobs', help: 'Probe jobs this runner is running now', labelNames: ['zone'], registers: [registry] });
  if (source) {
    // One read of the queue per scrape, shared by both gauges (the registry collects them in parallel).
    let reading: { at: number; figures: Promise<{ depth: number; oldest: number } | undefined> } | undefined;
    const read = (): Promise<{ depth: number; oldest: number } | undefined> => {
      if (reading && Date.now() - reading.at < 1_000) return reading.figures;
      const boss = source.boss();
      const figures = !boss || !source.queue()
        ? Promise.resolve(undefined)
        : boss.findJobs(source.queue(), { queued: true, limit: DEPTH_CAP }).then(
            (waiting) => ({ depth: waiting.length, oldest: waiting[0] ? Math.max(0, (Date.now() - new Date(waiting[0].createdOn).getTime()) / 1000) : 0 }),
            () => undefined, // the queue cannot be read now: keep the last figures; /readyz says why
          );
      reading = { at: Date.now(), figures };
      return figures;
    };
    new Gauge({
      name: 'ehlo_runner_queue_depth',
      help: 'Probe jobs waiting in the zone queue (created or retry)',
      labelNames: ['zone'],
      registers: [registry],
      async collect() {
        const f = await read();
        if (f) this.set({ zone: source.zone }, f.depth);
      },
    });
    new Gauge({
      name: 'ehlo_runner_oldest_job_seconds',
      help: 'Age of the oldest probe job waiting in the zone queue (0 when none waits)',
      labelNames: ['zone'],
      registers: [registry],
      async collect() {
        const f = await read();
        if (f) this.set({ zone: source.zone }, f.oldest);
      },
    });
  }
  return {
    job(zone, status, s) {
      jobs.inc({ zone, status });
      if (status === 'failed' || status === 'malformed') failures.inc({ zone });
      if (s !== undefined) seconds.observe({ zone }, s);
    },
    started(zone) {
      active.inc({ zone });
    },
    finished(zone) {
      active.dec({ zone });
    },
  };
}

export interface QueueMetrics {
  /** A job a replica posted ended: completed, timed-out, cancelled, failed, refused-by-runner… */
  posted(zone: string, outcome: string, seconds: number): void;
}

export function createQueueMetrics(registry: Registry): QueueMetrics {
  // A registry shared by several runtimes in one process (tests) keeps one of each.
  const jobs = (registry.getSingleMetric('ehlo_probe_jobs_total') as Counter | undefined) ?? new Counter({ name: 'ehlo_probe_jobs_total', help: 'Probe jobs this replica posted to runners, by zone and outcome', labelNames: ['zone', 'outcome'], registers: [registry] });
  const wait = (registry.getSingleMetric('ehlo_probe_job_seconds') as Histogram | undefined) ?? new Histogram({ name: 'ehlo_probe_job_seconds', help: 'Time from posting a probe job to its outcome', labelNames: ['zone'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry] });
  return {
    posted(zone, outcome, s) {
      jobs.inc({ zone, outcome });
      wait.observe({ zone }, s);
    },
  };
}
