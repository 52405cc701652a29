// Where a probe runs: behind one small interface, so the conversation core does not care whether the
// probe runs in this process (the default, today's path) or on a runner in another network zone that
// takes it from a job queue (src/runner/queue-executor.ts). Either way the caller gets a ProbeResult,
// its AbortSignal stops the probe, and progress lines arrive through onProgress.
import type { ProbeKind } from './registry.ts';
import type { ProbeConfig } from './config.ts';
import type { ProbeLimiter } from './limits.ts';
import { runProbe } from './run.ts';
import type { ProbeRequestOptions, ProbeResult } from './types.ts';

/** One probe to run: what `ehlo probe` and a walkthrough step's check both ask for. */
export interface ProbeRequest {
  kind: ProbeKind;
  target: string;
  options?: ProbeRequestOptions;
  /** Who asked (chat user id), for per-user rate limits. */
  user?: string;
}

export interface ProbeRunControl {
  /** Aborting stops the probe wherever it runs. */
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** The probe's total time limit for this run (never above the configured one). */
  timeoutMs?: number;
  /**
   * What another process needs to finish the check if this one dies while waiting (a queue executor
   * carries it with the job; in process it is unused).
   */
  handoff?: CheckHandoff;
}

/** A running check as another replica can finish it: where it is shown and who asked (JSON). */
export interface CheckHandoff {
  thread: string;
  checkId: string;
  actor: { id: string; name: string };
  [more: string]: unknown;
}

/** An orphaned check's outcome, read by the replica that adopts it. */
export interface Adopted {
  result: ProbeResult;
  handoff: CheckHandoff;
}

export interface ProbeExecutor {
  run(request: ProbeRequest, control?: ProbeRunControl): Promise<ProbeResult>;
  /** The outcome of a check posted by a process that died waiting for it (queue executors only). */
  adopt?(ref: { zone: string; job: string }): Promise<Adopted | undefined>;
  /** Release connections (queue executors); a no-op in process. */
  close(): Promise<void>;
}

/** Today's path: the probe runs here, through this process's policy and limiter. */
export class InProcessExecutor implements ProbeExecutor {
  readonly #config: ProbeConfig;
  readonly #limiter: ProbeLimiter | undefined;

  constructor(config: ProbeConfig, limiter?: ProbeLimiter) {
    this.#config = config;
    this.#limiter = limiter;
  }

  run(request: ProbeRequest, control: ProbeRunControl = {}): Promise<ProbeResult> {
    return runProbe(request.kind, request.target, { ...request.options, config: this.#config, user: request.user, signal: control.signal, onProgress: control.onProgress, timeoutMs: control.timeoutMs, limiter: this.#limiter });
  }

  async close(): Promise<void> {}
}
