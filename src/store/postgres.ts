// The store for several replicas: PostgreSQL through a pg Pool, selected when DATABASE_URL is set.
// Every wait is bounded (connect, statement, query, idle transaction), and every failure to reach or
// use the server becomes a StoreUnavailableError with a clear message: never a hang, never a crash.
import pg, { type Pool, type PoolClient } from 'pg';
import type { EventCommit, EventWrites } from '../conversation/state/commit.ts';
import type { DeliveryCheck, Meanwhile, Prefetched } from '../conversation/state/locks.ts';
import { decodeThread, encodeThread, type PutResult, type ThreadDoc } from '../conversation/state/thread-state.ts';
import type { Session } from '../walkthrough/session.ts';
import { StoreUnavailableError, type CompanionWrite, type OutcomeRecord, type SaveResult, type StoredOutcome } from '../walkthrough/store.ts';
import { decodeOutcome, decodeSession, listLimit, sessionParams } from './codec.ts';
import { errorText } from './errors.ts';
import { LATEST_VERSION, MIGRATIONS_TABLE, pendingMigrations, statementsFor, type MigrationReport } from './migrations.ts';
import type { AuditEntry, AuditFields } from '../audit/chain.ts';
import { AUDIT_LIMITS, type AuditQuery } from '../audit/log.ts';
import { auditQuery, decodeAudit, type AuditRow } from './audit-rows.ts';
import { EventBatcher } from './pg-event-batch.ts';
import { PreparedNames } from './pg-prepared.ts';
import type { OutboxRow } from '../conversation/state/outbox.ts';
import { decodeOutboxRows, type OutboxDbRow } from './outbox-rows.ts';
import type { RateDecision, RateStore } from '../probes/limits.ts';
import type { OutcomeRow, SessionRow, Store, StoreHealth, ThreadRow } from './store.ts';

export interface PostgresOptions {
  url: string;
  /** The schema holding ehlo's tables (created by migrate()); default "public". */
  schema?: string;
  poolSize?: number;
  /** Connections kept for per-thread locks (each held only while one event of a thread is applied). */
  lockPoolSize?: number;
  /** How long an event waits for its thread's lock before giving up. */
  lockWaitMs?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Pending audit entries are chained this long after their commit, with those committed meanwhile (one statement for many events). */
const SETTLE_AFTER_MS = 50;

/** SQLSTATE classes meaning the server cannot be used now: connection, auth, missing database, resources, operator intervention, query cancelled. */
const UNAVAILABLE_CLASSES = new Set(['08', '28', '3D', '53', '57']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);
const CLIENT_FAILURES = ['timeout exceeded when trying to connect', 'connection terminated', 'query read timeout', 'not queryable', 'client was closed', 'cannot use a pool after calling end'];

function isUnavailable(err: unknown): boolean {
  if (err instanceof AggregateError) return err.errors.some(isUnavailable);
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || (code.length === 5 && UNAVAILABLE_CLASSES.has(code.slice(0, 2))))) return true;
  const message = errorText(err).toLowerCase();
  return CLIENT_FAILURES.some((m) => message.includes(m));
}

/** "PostgreSQL host:port/db", never the user or password. */
export function describePostgres(url: string, schema: string): string {
  try {
    const u = new URL(url);
    const base = `PostgreSQL ${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || '/'}`;
    return schema === 'public' ? base : `${base} schema ${schema}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL is not a valid URL)';
  }
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  /** An event that starts its thread is applied without the thread lock; its first write tells (EventWrites.first). */
  readonly unlockedFirstWrite = true as const;
  readonly where: string;
  readonly #schema: string;
  readonly #pool: Pool;
  /** A separate pool for thread locks, so lock holders never starve the queries they make. */
  readonly #locks: Pool;
  readonly #batcher: EventBatcher;
  readonly #prepared = new PreparedNames();
  /** Pending audit entries are due to be chained (settled) when this fires. */
  #settleTimer: NodeJS.Timeout | undefined;
  /** Settles on their way. */
  readonly #cleanups = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: PostgresOptions) {
    this.#schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(this.#schema)) throw new Error(`PostgreSQL schema "${this.#schema}" must be lowercase letters, digits and underscores.`);
    this.where = describePostgres(options.url, this.#schema);
    const statement = options.statementTimeoutMs ?? 5000;
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
      idleTimeoutMillis: 10_000,
      statement_timeout: statement,
      query_timeout: statement + 2000,
      idle_in_transaction_session_timeout: statement * 2,
      options: `-c search_path=${this.#schema}`,
      application_name: 'ehlo',
      allowExitOnIdle: true,
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.#pool.on('error', () => undefined);
    const lockWait = options.lockWaitMs ?? 30_000;
    this.#locks = new pg.Pool({
      connectionString: options.url,
      max: options.lockPoolSize ?? 20,
      connectionTimeoutMillis: lockWait,
      idleTimeoutMillis: 10_000,
      statement_timeout: lockWait,
      query_timeout: lockWait + 2000,
      application_name: 'ehlo-locks',
      allowExitOnIdle: true,
    });
    this.#locks.on('error', () => undefined);
    this.#batcher = new EventBatcher({
      run: async (sql, values) => (await this.#query<Record<string, unknown>>(sql, values, this.#prepared.nameFor(sql)))[0],
      auditLockKey: `ehlo-audit:${this.#schema}`,
      isUnavailable: (err) => err instanceof StoreUnavailableError,
    });
  }

  #map(err: unknown): unknown {
    if (err instanceof StoreUnavailableError || !isUnavailable(err)) return err;
    return new StoreUnavailableError('postgres', this.where, errorText(err), 'Check DATABASE_URL, that the server is running and reachable, and its logs.', err);
  }

  /** A statement on a pooled connection; with a name, sent as a prepared statement (pg-prepared.ts). */
  async #query<R>(sql: string, values?: unknown[], name?: string): Promise<R[]> {
    try {
      return (await (name ? this.#pool.query<R>({ name, text: sql, values }) : this.#pool.query<R>(sql, values))).rows;
    } catch (err) {
      throw this.#map(err);
    }
  }

  /** One transaction on one pooled client; the work decides whether to commit. A broken client is destroyed. */
  async #transaction<T>(work: (client: PoolClient) => Promise<{ commit: boolean; value: T }>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (err) {
      throw this.#map(err);
    }
    let failure: Error | undefined;
    try {
      await client.query('BEGIN');
      const { commit, value } = await work(client);
      await client.query(commit ? 'COMMIT' : 'ROLLBACK');
      return value;
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
      if (!isUnavailable(err)) await client.query('ROLLBACK').catch(() => undefined);
      throw this.#map(err);
    } finally {
      client.release(failure);
    }
  }

  async migrate(): Promise<MigrationReport> {
    return this.#transaction(async (c) => {
      // Serialise concurrent starts: the first applies, the others then find nothing pending.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ehlo-migrate:${this.#schema}`]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.#schema}`);
      await c.query(MIGRATIONS_TABLE);
      const { rows } = await c.query<{ version: number }>('SELECT version FROM schema_migrations');
      const pending = pendingMigrations(rows.map((r) => Number(r.version)), this.where);
      for (const m of pending) {
        for (const sql of statementsFor(m, 'postgres')) await c.query(sql);
        await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
      }
      return { commit: true, value: { applied: pending.map((m) => m.version), version: LATEST_VERSION } };
    });
  }

  async getSession(id: string): Promise<Session | undefined> {
    const [row] = await this.#query<SessionRow>('SELECT doc FROM sessions WHERE id = $1', [id]);
    return row ? decodeSession(row.doc, this.where) : undefined;
  }

  async getSessionByThread(threadKey: string): Promise<Session | undefined> {
    const sql = "SELECT doc FROM sessions WHERE thread_key = $1 ORDER BY (status = 'active') DESC, created_at DESC LIMIT 1";
    const [row] = await this.#query<SessionRow>(sql, [threadKey]);
    return row ? decodeSession(row.doc, this.where) : undefined;
  }

  async listOpenSessions(limit?: number): Promise<Session[]> {
    const rows = await this.#query<SessionRow>("SELECT doc FROM sessions WHERE status = 'active' ORDER BY updated_at LIMIT $1", [listLimit(limit)]);
    return rows.map((r) => decodeSession(r.doc, this.where));
  }

  async #write(c: PoolClient, session: Session, expectedVersion: number): Promise<boolean> {
    const p = sessionParams(session);
    if (expectedVersion === 0) {
      const sql = 'INSERT INTO sessions (id, thread_key, playbook_id, status, version, doc, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING';
      return (await c.query(sql, p)).rowCount === 1;
    }
    const sql = 'UPDATE sessions SET status = $1, version = $2, doc = $3, updated_at = $4 WHERE id = $5 AND version = $6';
    return (await c.query(sql, [session.status, session.version, p[5], session.updatedAt, session.id, expectedVersion])).rowCount === 1;
  }

  async #insertOutcome(c: PoolClient | Pool, key: string, sessionId: string | null, outcome: unknown, at: string): Promise<boolean> {
    const sql = 'INSERT INTO outcomes (key, session_id, outcome, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING';
    return (await c.query(sql, [key, sessionId, JSON.stringify(outcome), at])).rowCount === 1;
  }

  async #readOutcome(c: PoolClient | Pool, key: string): Promise<StoredOutcome | undefined> {
    const { rows } = await c.query<OutcomeRow>('SELECT key, session_id, outcome, created_at FROM outcomes WHERE key = $1', [key]);
    return rows[0] ? decodeOutcome(rows[0]) : undefined;
  }

  async save(session: Session, expectedVersion: number, record?: OutcomeRecord, companion?: CompanionWrite): Promise<SaveResult> {
    return this.#transaction(async (c): Promise<{ commit: boolean; value: SaveResult }> => {
      // ON CONFLICT waits for a concurrent insert of the same key to commit, so exactly one press wins.
      if (record && !(await this.#insertOutcome(c, record.key, session.id, record.outcome, record.at))) {
        return { commit: false, value: { status: 'duplicate', outcome: (await this.#readOutcome(c, record.key))! } };
      }
      if (!(await this.#write(c, session, expectedVersion))) return { commit: false, value: { status: 'conflict' } };
      if (companion && !(await this.#writeThread(c, companion))) return { commit: false, value: { status: 'conflict' } };
      return { commit: true, value: { status: 'saved' } };
    });
  }

  async #writeThread(c: PoolClient | Pool, w: CompanionWrite): Promise<boolean> {
    if (w.expectedVersion === 0) {
      return (await c.query('INSERT INTO threads (thread_key, version, doc, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [w.key, w.version, w.doc, w.updatedAt])).rowCount === 1;
    }
    return (await c.query('UPDATE threads SET version = $1, doc = $2, updated_at = $3 WHERE thread_key = $4 AND version = $5', [w.version, w.doc, w.updatedAt, w.key, w.expectedVersion])).rowCount === 1;
  }

  async getThread(thread: string): Promise<ThreadDoc | undefined> {
    const [row] = await this.#query<ThreadRow>('SELECT doc FROM threads WHERE thread_key = $1', [thread]);
    return row ? decodeThread(row.doc) : undefined;
  }

  async putThread(doc: ThreadDoc, expectedVersion: number): Promise<PutResult> {
    const write: CompanionWrite = { key: doc.thread, doc: encodeThread(doc), version: doc.version, expectedVersion, updatedAt: doc.updatedAt };
    try {
      return (await this.#writeThread(this.#pool, write)) ? 'saved' : 'conflict';
    } catch (err) {
      throw this.#map(err);
    }
  }

  async claimDelivery(key: string, leaseMs: number, now: Date): Promise<boolean> {
    // One statement: insert the claim, or take over one that expired unfinished; either way one row comes back to the winner.
    const sql = `INSERT INTO deliveries (key, claimed_at) VALUES ($1, $2)
      ON CONFLICT (key) DO UPDATE SET claimed_at = EXCLUDED.claimed_at
      WHERE deliveries.done_at IS NULL AND deliveries.claimed_at < $3
      RETURNING key`;
    const rows = await this.#query<{ key: string }>(sql, [key, now.toISOString(), new Date(now.getTime() - leaseMs).toISOString()]);
    return rows.length === 1;
  }

  async finishDelivery(key: string, now: Date): Promise<void> {
    await this.#query('UPDATE deliveries SET done_at = $1 WHERE key = $2', [now.toISOString(), key]);
  }

  async pruneDeliveries(before: Date): Promise<number> {
    const rows = await this.#query<{ n: string }>('WITH gone AS (DELETE FROM deliveries WHERE claimed_at < $1 RETURNING 1) SELECT count(*) AS n FROM gone', [before.toISOString()]);
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * A session-level advisory lock on a connection of its own, held while `work` runs: replicas apply
   * a thread's events one at a time. Session level (not a transaction) so a long event is never cut
   * by idle-in-transaction limits; a connection that dies lets go of its lock with it.
   */
  async withThreadLock<T>(thread: string, work: (prefetched?: Prefetched) => Promise<T>, delivery?: DeliveryCheck, meanwhile?: Meanwhile): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.#locks.connect();
    } catch (err) {
      throw this.#map(err);
    }
    const key = `ehlo-thread:${this.#schema}:${thread}`;
    const lit = (v: string): string => client.escapeLiteral(v);
    let prefetched: Prefetched;
    let finish: { key: string; at: Date } | undefined;
    const delivered: string[] = [];
    try {
      // One round trip: take the lock, then read the thread's state (and the delivery's claim). Two
      // statements of one simple query: the read takes its own snapshot after the lock is held, so
      // it sees what the last holder committed.
      const claim = delivery ? `(SELECT claimed_at FROM ${this.#schema}.deliveries WHERE key = ${lit(delivery.key)}) AS claimed_at, (SELECT done_at FROM ${this.#schema}.deliveries WHERE key = ${lit(delivery.key)}) AS done_at` : 'NULL AS claimed_at, NULL AS done_at';
      const sql = `SELECT pg_advisory_lock(hashtextextended(${lit(key)}, 0)); SELECT (SELECT doc FROM ${this.#schema}.threads WHERE thread_key = ${lit(thread)}) AS doc, ${claim}`;
      const asked = client.query(sql);
      // The query is on its way: what does not need the thread runs while the server answers (on a
      // core or machine of its own; where every core is busy the server waits for this one, and it
      // comes to the same as running it after the answer).
      meanwhile?.();
      const results = (await asked) as unknown as Array<{ rows: Array<{ doc: string | null; claimed_at: string | null; done_at: string | null }> }>;
      const row = results[1]?.rows[0];
      prefetched = {
        doc: row?.doc ? decodeThread(row.doc) : undefined,
        finishOnRelease: (k, at) => (finish = { key: k, at }),
        outboxDoneOnRelease: (ids) => void delivered.push(...ids),
      };
      if (delivery) {
        const claimedAt = row?.claimed_at ? Date.parse(row.claimed_at) : undefined;
        const live = claimedAt !== undefined && delivery.now.getTime() - claimedAt < delivery.leaseMs;
        prefetched.delivery = row?.done_at || live ? 'seen' : 'new';
      }
    } catch (err) {
      client.release(err instanceof Error ? err : new Error(String(err)));
      throw this.#map(err);
    }
    try {
      return await work(prefetched);
    } finally {
      // The unlock is sent, not awaited: the connection runs it before anything else it is given, and
      // whoever waits for this thread gets the lock as soon as it runs, so the event's answer need not
      // wait a round trip. A delivery finished on release goes in the same simple query, after the
      // unlock. A connection that fails to unlock is destroyed, which lets go of the lock too.
      // The mark is committed without waiting for the disk: a server crash that loses it leaves the
      // claim unfinished, which its lease covers as it covers a process that died after its reply.
      const marks = [
        ...(finish ? [`UPDATE ${this.#schema}.deliveries SET done_at = ${lit(finish.at.toISOString())} WHERE key = ${lit(finish.key)}`] : []),
        ...(delivered.length ? [`DELETE FROM ${this.#schema}.reply_outbox WHERE id IN (${delivered.map(lit).join(', ')})`] : []),
      ];
      const done = marks.length ? `; SET LOCAL synchronous_commit = off; ${marks.join('; ')}` : '';
      client.query(`SELECT pg_advisory_unlock(hashtextextended(${lit(key)}, 0))${done}`).then(
        () => client.release(),
        (err: unknown) => client.release(err instanceof Error ? err : new Error(String(err))),
      );
    }
  }

  /**
   * One event's writes as one statement (pg-event-batch.ts): the thread's compare-and-set, the
   * delivery claim and the audit append as data-modifying parts of one WITH, the claim and the append
   * gated on the thread write, so a conflict writes nothing. Events arriving while one statement is
   * on its way share the next one (group commit).
   */
  commitEvent(w: EventWrites): Promise<EventCommit> {
    if (!w.thread && !w.claim && !w.audit?.length && !w.outbox?.length) return Promise.resolve({ audit: [] });
    const done = this.#batcher.submit(w);
    if (w.auditLater && w.audit?.length) void done.then(() => this.#settleSoon(), () => undefined);
    return done;
  }

  /** Chain the pending audit entries (migration 8) a little later, once for all the events committed meanwhile. */
  #settleSoon(): void {
    if (this.#settleTimer || this.#closed) return;
    this.#settleTimer = setTimeout(() => {
      this.#settleTimer = undefined;
      void this.#settle().catch(() => undefined);
    }, SETTLE_AFTER_MS);
    this.#settleTimer.unref();
  }

  /**
   * Chain every pending audit entry committed so far (any replica's): an append of no entries of its
   * own, under the chain's lock like every append. Not waiting for the disk: a lost settle leaves the
   * entries pending, and the next append chains them.
   */
  #settle(): Promise<void> {
    if (this.#settleTimer) {
      clearTimeout(this.#settleTimer);
      this.#settleTimer = undefined;
    }
    return this.#tracked(this.#query(`SET LOCAL synchronous_commit = off; SELECT ehlo_audit_append(${this.#literal(`ehlo-audit:${this.#schema}`)}, '[]'::jsonb)`));
  }

  /** A settle on its way (close waits for them). */
  async #tracked(p: Promise<unknown>): Promise<void> {
    this.#cleanups.add(p);
    try {
      await p;
    } finally {
      this.#cleanups.delete(p);
    }
  }

  #literal(v: string): string {
    return `'${v.replaceAll("'", "''")}'`;
  }

  async outboxDone(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    // One round trip (a simple query of two statements), not waiting for the disk: a delete lost to
    // a server crash only delivers that reply once more. The ids are ehlo's own, quoted all the same.
    const list = ids.map((id) => `'${id.replaceAll("'", "''")}'`).join(', ');
    await this.#query(`SET LOCAL synchronous_commit = off; DELETE FROM reply_outbox WHERE id IN (${list})`);
  }

  async outboxRenew(ids: readonly string[], until: Date): Promise<void> {
    if (ids.length) await this.#query('UPDATE reply_outbox SET lease_until = $1 WHERE id = ANY($2::text[])', [until.toISOString(), ids]);
  }

  async outboxStale(now: Date, limit: number): Promise<string[]> {
    const rows = await this.#query<{ thread: string }>('SELECT DISTINCT thread FROM (SELECT thread FROM reply_outbox WHERE lease_until < $1 ORDER BY lease_until LIMIT $2) AS s', [now.toISOString(), limit]);
    return rows.map((r) => r.thread);
  }

  async outboxTake(thread: string, now: Date, until: Date): Promise<OutboxRow[]> {
    // SKIP LOCKED: a row another replica is taking at this moment is left to it.
    const sql = `UPDATE reply_outbox SET lease_until = $3 WHERE seq IN (
      SELECT seq FROM reply_outbox WHERE thread = $1 AND lease_until < $2 ORDER BY seq FOR UPDATE SKIP LOCKED
    ) RETURNING seq, id, thread, op, reply, address, created_at`;
    const rows = await this.#query<OutboxDbRow>(sql, [thread, now.toISOString(), until.toISOString()]);
    const taken = decodeOutboxRows(rows);
    if (taken.length < rows.length) await this.outboxDone(rows.filter((r) => !taken.some((t) => t.id === r.id)).map((r) => r.id));
    return taken;
  }

  async rememberMessage(replyId: string, thread: string, messageId: string, at: Date): Promise<void> {
    await this.#query('INSERT INTO reply_messages (reply_id, thread, message_id, at) VALUES ($1, $2, $3, $4) ON CONFLICT (reply_id) DO UPDATE SET message_id = EXCLUDED.message_id, at = EXCLUDED.at', [replyId, thread, messageId, at.toISOString()]);
  }

  async messageOf(replyId: string): Promise<string | undefined> {
    const [row] = await this.#query<{ message_id: string }>('SELECT message_id FROM reply_messages WHERE reply_id = $1', [replyId]);
    return row?.message_id;
  }

  async pruneMessages(before: Date): Promise<number> {
    const rows = await this.#query<{ n: string }>('WITH gone AS (DELETE FROM reply_messages WHERE at < $1 RETURNING 1) SELECT count(*) AS n FROM gone', [before.toISOString()]);
    return Number(rows[0]?.n ?? 0);
  }

  async getOutcome(key: string): Promise<StoredOutcome | undefined> {
    try {
      return await this.#readOutcome(this.#pool, key);
    } catch (err) {
      throw this.#map(err);
    }
  }

  async putOutcome(key: string, sessionId: string | null, record: Omit<OutcomeRecord, 'key'>): Promise<StoredOutcome> {
    try {
      await this.#insertOutcome(this.#pool, key, sessionId, record.outcome, record.at);
      return (await this.#readOutcome(this.#pool, key))!;
    } catch (err) {
      throw this.#map(err);
    }
  }

  async pruneOutcomes(before: Date): Promise<number> {
    const rows = await this.#query<{ n: string }>('WITH gone AS (DELETE FROM outcomes WHERE created_at < $1 RETURNING 1) SELECT count(*) AS n FROM gone', [before.toISOString()]);
    return Number(rows[0]?.n ?? 0);
  }

  async appendAudit(fields: AuditFields): Promise<AuditEntry> {
    const { audit } = await this.commitEvent({ audit: [fields] });
    if (!audit[0]) throw new Error('the audit append returned no entry');
    return audit[0];
  }

  async readAudit(query: AuditQuery): Promise<AuditEntry[]> {
    // Entries stored with their events and not chained yet are chained first (migration 8).
    await this.#settle();
    let n = 0;
    const { where, values } = auditQuery(query, () => `$${++n}`);
    const rows = await this.#query<AuditRow>(`SELECT * FROM audit_log ${where} ORDER BY seq LIMIT $${++n}`, [...values, Math.min(query.limit ?? AUDIT_LIMITS.page, AUDIT_LIMITS.page)]);
    return rows.map(decodeAudit);
  }

  /**
   * Probe rate limits shared by every replica (the probes' RateStore): one row per counted hit, each
   * decision in one transaction holding an advisory lock on the key, so two replicas never both take
   * the last slot (the table comes with the store's migrations).
   */
  rates(): RateStore {
    let ready: Promise<unknown> | undefined;
    return {
      hit: async (key, windowMs, max, now = Date.now()) => {
        await (ready ??= this.migrate().catch((err: unknown) => {
          ready = undefined;
          throw err;
        }));
        return this.#transaction(async (c): Promise<{ commit: boolean; value: RateDecision }> => {
          await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`ehlo-rate:${this.#schema}:${key}`]);
          await c.query('DELETE FROM probe_rate_hits WHERE key = $1 AND at <= $2', [key, now - windowMs]);
          const { rows } = await c.query<{ n: string; oldest: string | null }>('SELECT count(*) AS n, min(at) AS oldest FROM probe_rate_hits WHERE key = $1', [key]);
          const n = Number(rows[0]?.n ?? 0);
          if (n >= max) return { commit: true, value: { allowed: false, retryAfterMs: Math.max(1, windowMs - (now - Number(rows[0]?.oldest ?? now))) } };
          await c.query('INSERT INTO probe_rate_hits (key, at) VALUES ($1, $2)', [key, now]);
          return { commit: true, value: { allowed: true, retryAfterMs: 0 } };
        });
      },
    };
  }

  async health(): Promise<StoreHealth> {
    try {
      const [row] = await this.#query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
      return { ok: true, kind: this.kind, where: this.where, version: Number(row?.version ?? 0) };
    } catch (err) {
      return { ok: false, kind: this.kind, where: this.where, message: errorText(err) };
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#settleTimer) await this.#settle().catch(() => undefined);
    await Promise.allSettled([...this.#cleanups]);
    await Promise.all([this.#pool.end(), this.#locks.end()]);
  }
}
