// Concurrency and rate limits for probes. Concurrency (overall and per target) is counted in this process;
// rates (per user and per target per minute) go through a RateStore, so they can be shared: in memory for one
// process, a SQLite file for CLI runs on one machine, and PostgreSQL (the store's, through the same interface)
// for several replicas.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ProbeConfig } from './config.ts';
import { enableWal } from '../store/sqlite-wal.ts';

export interface LimitRefusal {
  rule: string;
  message: string;
}

export interface RateDecision {
  allowed: boolean;
  /** When refused: how long until the oldest counted hit leaves the window (0 when allowed). */
  retryAfterMs: number;
}

/** A sliding-window counter: count a hit for `key` unless `max` hits already fall within the last `windowMs`. */
export interface RateStore {
  hit(key: string, windowMs: number, max: number, now?: number): Promise<RateDecision>;
}

const WINDOW_MS = 60_000;
const MAX_KEYS = 10_000;

/** One process's rates, in memory (the default; tests and a single chat process). */
export class MemoryRateStore implements RateStore {
  private readonly hits = new Map<string, number[]>();

  hit(key: string, windowMs: number, max: number, now = Date.now()): Promise<RateDecision> {
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < windowMs);
    this.hits.delete(key);
    if (recent.length >= max) {
      this.hits.set(key, recent);
      return Promise.resolve({ allowed: false, retryAfterMs: Math.max(1, windowMs - (now - recent[0]!)) });
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > MAX_KEYS) this.hits.delete(this.hits.keys().next().value!);
    return Promise.resolve({ allowed: true, retryAfterMs: 0 });
  }
}

/**
 * Rates shared by every process that opens the same file (the CLI: one `ehlo probe` process per run). One
 * table of hits; each decision is one IMMEDIATE transaction, so two processes never both take the last slot.
 * The file is created 0600: it holds who probed what.
 */
export class SqliteRateStore implements RateStore {
  private db: DatabaseSync | undefined;
  private readonly path: string;
  private readonly busyTimeoutMs: number;

  constructor(path: string, busyTimeoutMs = 5_000) {
    this.path = path;
    this.busyTimeoutMs = busyTimeoutMs;
  }

  private open(): DatabaseSync {
    if (this.db) return this.db;
    if (this.path !== ':memory:') {
      mkdirSync(dirname(this.path), { recursive: true });
      closeSync(openSync(this.path, 'a', 0o600));
      chmodSync(this.path, 0o600);
    }
    const db = new DatabaseSync(this.path);
    db.exec(`PRAGMA busy_timeout = ${Math.trunc(this.busyTimeoutMs)}`);
    enableWal(db, this.busyTimeoutMs);
    db.exec('CREATE TABLE IF NOT EXISTS probe_rate_hits (key TEXT NOT NULL, at INTEGER NOT NULL)');
    db.exec('CREATE INDEX IF NOT EXISTS probe_rate_hits_key_at ON probe_rate_hits (key, at)');
    this.db = db;
    return db;
  }

  hit(key: string, windowMs: number, max: number, now = Date.now()): Promise<RateDecision> {
    const db = this.open();
    db.exec('BEGIN IMMEDIATE');
    try {
      db.prepare('DELETE FROM probe_rate_hits WHERE at <= ?').run(now - windowMs);
      const row = db.prepare('SELECT COUNT(*) AS n, MIN(at) AS oldest FROM probe_rate_hits WHERE key = ?').get(key) as { n: number; oldest: number | null };
      let decision: RateDecision;
      if (row.n >= max) decision = { allowed: false, retryAfterMs: Math.max(1, windowMs - (now - (row.oldest ?? now))) };
      else {
        db.prepare('INSERT INTO probe_rate_hits (key, at) VALUES (?, ?)').run(key, now);
        decision = { allowed: true, retryAfterMs: 0 };
      }
      db.exec('COMMIT');
      return Promise.resolve(decision);
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }
}

export class ProbeLimiter {
  private running = 0;
  private readonly perTarget = new Map<string, number>();
  private readonly rates: RateStore;

  constructor(rates: RateStore = new MemoryRateStore()) {
    this.rates = rates;
  }

  /** Takes a slot or says which limit refused; call the returned release() when the probe ends. */
  async acquire(target: string, user: string | undefined, limits: ProbeConfig['limits'], now = Date.now()): Promise<{ release: () => void } | LimitRefusal> {
    if (this.running >= limits.maxConcurrent) return { rule: 'limits.maxConcurrent', message: `${limits.maxConcurrent} probes are already running; try again shortly` };
    const onTarget = this.perTarget.get(target) ?? 0;
    if (onTarget >= limits.maxConcurrentPerTarget) return { rule: 'limits.maxConcurrentPerTarget', message: `${onTarget} probes of ${target} are already running` };
    // Hold the slot while the (possibly shared) rate store answers, so concurrent calls cannot overshoot.
    this.running++;
    this.perTarget.set(target, onTarget + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.running--;
      const n = (this.perTarget.get(target) ?? 1) - 1;
      if (n > 0) this.perTarget.set(target, n);
      else this.perTarget.delete(target);
    };
    try {
      if (user !== undefined) {
        const u = await this.rates.hit(`u:${user}`, WINDOW_MS, limits.perUserPerMinute, now);
        if (!u.allowed) {
          release();
          return { rule: 'limits.perUserPerMinute', message: `more than ${limits.perUserPerMinute} probes a minute for this user; try again in ${Math.ceil(u.retryAfterMs / 1000)} s` };
        }
      }
      const t = await this.rates.hit(`t:${target}`, WINDOW_MS, limits.perTargetPerMinute, now);
      if (!t.allowed) {
        release();
        return { rule: 'limits.perTargetPerMinute', message: `more than ${limits.perTargetPerMinute} probes a minute of ${target}; try again in ${Math.ceil(t.retryAfterMs / 1000)} s` };
      }
    } catch (err) {
      release();
      throw err;
    }
    return { release };
  }
}

/** The process-wide limiter used when runProbe is not given one (rates in memory). */
export const sharedLimiter = new ProbeLimiter();
