// Concurrency and rate limits shared by every probe in the process (one instance unless a caller brings its own).
import type { ProbeConfig } from './config.ts';

export interface LimitRefusal {
  rule: string;
  message: string;
}

const WINDOW_MS = 60_000;
const MAX_KEYS = 10_000;

export class ProbeLimiter {
  private running = 0;
  private readonly perTarget = new Map<string, number>();
  private readonly hits = new Map<string, number[]>();

  /** Takes a slot or says which limit refused; call the returned release() when the probe ends. */
  acquire(target: string, user: string | undefined, limits: ProbeConfig['limits'], now = Date.now()): { release: () => void } | LimitRefusal {
    if (this.running >= limits.maxConcurrent) return { rule: 'limits.maxConcurrent', message: `${limits.maxConcurrent} probes are already running; try again shortly` };
    const onTarget = this.perTarget.get(target) ?? 0;
    if (onTarget >= limits.maxConcurrentPerTarget) return { rule: 'limits.maxConcurrentPerTarget', message: `${onTarget} probes of ${target} are already running` };
    if (user !== undefined && !this.allowHit(`u:${user}`, limits.perUserPerMinute, now)) {
      return { rule: 'limits.perUserPerMinute', message: `more than ${limits.perUserPerMinute} probes a minute for this user` };
    }
    if (!this.allowHit(`t:${target}`, limits.perTargetPerMinute, now)) {
      return { rule: 'limits.perTargetPerMinute', message: `more than ${limits.perTargetPerMinute} probes a minute of ${target}` };
    }
    this.running++;
    this.perTarget.set(target, onTarget + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.running--;
        const n = (this.perTarget.get(target) ?? 1) - 1;
        if (n > 0) this.perTarget.set(target, n);
        else this.perTarget.delete(target);
      },
    };
  }

  private allowHit(key: string, perMinute: number, now: number): boolean {
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (recent.length >= perMinute) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.delete(key);
    this.hits.set(key, recent);
    if (this.hits.size > MAX_KEYS) this.hits.delete(this.hits.keys().next().value!);
    return true;
  }
}

/** The process-wide limiter used when runProbe is not given one. */
export const sharedLimiter = new ProbeLimiter();
