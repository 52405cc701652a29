// Prometheus metrics for GET /metrics (prom-client): events, replies, probe runs, errors and event
// latency, labelled by channel. One registry per process (tests make their own).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  /** An event taken from a channel (type: message, command, press, open; outcome: handled, duplicate, error). */
  event(channel: string, type: string, outcome: 'handled' | 'duplicate' | 'error', seconds?: number): void;
  /** A reply posted or updated on a platform (result: ok or the platform's error). */
  reply(channel: string, op: 'post' | 'update', result: string): void;
  probe(kind: string, status: string): void;
  error(channel: string, where: string): void;
}

export function createMetrics(options: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaults !== false) collectDefaultMetrics({ register: registry, prefix: 'ehlo_' });
  const events = new Counter({ name: 'ehlo_events_total', help: 'Events taken from channels', labelNames: ['channel', 'type', 'outcome'], registers: [registry] });
  const latency = new Histogram({
    name: 'ehlo_event_seconds',
    help: 'Time to handle one event, from arrival to the last reply',
    labelNames: ['channel', 'type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const replies = new Counter({ name: 'ehlo_replies_total', help: 'Replies posted or updated on a platform', labelNames: ['channel', 'op', 'result'], registers: [registry] });
  const probes = new Counter({ name: 'ehlo_probe_runs_total', help: 'Probes run', labelNames: ['kind', 'status'], registers: [registry] });
  const errors = new Counter({ name: 'ehlo_errors_total', help: 'Errors by channel and where they happened', labelNames: ['channel', 'where'], registers: [registry] });
  return {
    registry,
    event(channel, type, outcome, seconds) {
      events.inc({ channel, type, outcome });
      if (seconds !== undefined) latency.observe({ channel, type }, seconds);
    },
    reply(channel, op, result) {
      replies.inc({ channel, op, result: result.slice(0, 60) });
    },
    probe(kind, status) {
      probes.inc({ kind, status });
    },
    error(channel, where) {
      errors.inc({ channel, where });
    },
  };
}
