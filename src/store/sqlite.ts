// The default store: one SQLite file under ./data/ through the built-in node:sqlite, in WAL mode.
// DatabaseSync is synchronous, so a transaction here never interleaves with another call of this
// process; other processes on the same file wait on busy_timeout.
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { EventCommit, EventWrites } from '../conversation/state/commit.ts';
import type { DeliveryCheck, Meanwhile, Prefetched } from '../conversation/state/locks.ts';
import { decodeThread, encodeThread, type PutResult, type ThreadDoc } from '../conversation/state/thread-state.ts';
import type { Session } from '../walkthrough/session.ts';
import { StoreUnavailableError, type CompanionWrite, type OutcomeRecord, type SaveResult, type StoredOutcome } from '../walkthrough/store.ts';
import { decodeOutcome, decodeSession, listLimit, sessionParams } from './codec.ts';
import { errorText } from './errors.ts';
import { prepareFile, secureFile } from './files.ts';
import { LATEST_VERSION, MIGRATIONS_TABLE, pendingMigrations, statementsFor, type MigrationReport } from './migrations.ts';
import { entryHash, GENESIS, type AuditEntry, type AuditFields } from '../audit/chain.ts';
import { AUDIT_LIMITS, type AuditQuery } from '../audit/log.ts';
import { auditQuery, decodeAudit, type AuditRow } from './audit-rows.ts';
import type { OutcomeRow, SessionRow, Store, StoreHealth, ThreadRow } from './store.ts';
import { enableWal } from './sqlite-wal.ts';
import { Checkpointer } from './sqlite-checkpointer.ts';
import { encodeReply, OUTBOX_LEASE_MS, type OutboxRow } from '../conversation/state/outbox.ts';
import { decodeOutboxRows, type OutboxDbRow } from './outbox-rows.ts';

export const DEFAULT_SQLITE_PATH = 'data/ehlo.sqlite';

/** Longest a delivery's "handled" mark waits to go with the next event's transaction before it is written alone. */
export const FINISH_DELAY_MS = 25;

export interface SqliteOptions {
  /** A file path (its folder is created), or ":memory:". Default data/ehlo.sqlite. */
  path?: string;
  busyTimeoutMs?: number;
  /**
   * Checkpoint the write-ahead log on a thread of its own (sqlite-checkpointer.ts) rather than inside
   * the commit that fills it. Default true for a file; false keeps SQLite's own automatic checkpoints.
   */
  backgroundCheckpoints?: boolean;
}

/** SQLite primary result codes that mean "cannot use the database now", not "bug in the query". */
const UNAVAILABLE_CODES = new Set([5 /* BUSY */, 6 /* LOCKED */, 8 /* READONLY */, 10 /* IOERR */, 11 /* CORRUPT */, 13 /* FULL */, 14 /* CANTOPEN */, 26 /* NOTADB */]);

/** Why an existing store file (or its folder) cannot be written, or undefined when it can. */
function notWritable(path: string): NodeJS.ErrnoException | undefined {
  if (!existsSync(path)) return undefined;
  for (const p of [path, dirname(path)]) {
    try {
      accessSync(p, constants.W_OK);
    } catch (err) {
      return err as NodeJS.ErrnoException;
    }
  }
  return undefined;
}

function sqliteErrcode(err: unknown): number | undefined {
  const code = (err as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
}

export class SqliteStore implements Store {
  /** An event that starts its thread is applied without the thread lock; its first write tells (EventWrites.first), and holds its claim. */
  readonly unlockedFirstWrite = true as const;
  readonly kind = 'sqlite' as const;
  readonly where: string;
  readonly #path: string;
  readonly #busyTimeoutMs: number;
  readonly #backgroundCheckpoints: boolean;
  #db: DatabaseSync | undefined;
  /** The checkpoint thread, started with the first write; undefined before, or once it failed (then SQLite checkpoints in the commits again). */
  #checkpointer: Checkpointer | undefined;
  #checkpointerFailed = false;
  /** Closed once: a use after that opens the file again, but without a checkpoint thread (nothing would stop it). */
  #closed = false;
  #readOnly: string | undefined;
  readonly #statements = new Map<string, StatementSync>();
  /** Deliveries finished on release whose mark is not written yet: key → done_at. */
  readonly #finishing = new Map<string, string>();
  #finishTimer: NodeJS.Timeout | undefined;
  /** Events given to commitEvent that wait for the end of this turn of the event loop, to share its transaction. */
  readonly #pendingEvents: Array<{ writes: EventWrites; resolve(c: EventCommit): void; reject(err: unknown): void }> = [];

  constructor(options: SqliteOptions = {}) {
    this.#path = options.path ?? DEFAULT_SQLITE_PATH;
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.#backgroundCheckpoints = (options.backgroundCheckpoints ?? true) && this.#path !== ':memory:';
    this.where = `SQLite ${this.#path}`;
  }

  #unavailable(err: unknown): StoreUnavailableError {
    const hint = this.#readOnly
      ? `It is open read-only (${this.#readOnly}): open walkthroughs can be shown but not changed. Make the folder and file writable by the user running ehlo.`
      : 'Check that the folder exists, is writable and the disk is not full (or set DATABASE_URL for PostgreSQL).';
    return new StoreUnavailableError('sqlite', this.where, errorText(err), hint, err);
  }

  /** Why the store is open read-only (the folder or file cannot be written), or undefined. */
  get readOnly(): string | undefined {
    return this.#readOnly;
  }

  #open(): DatabaseSync {
    if (this.#db) return this.#db;
    let db: DatabaseSync | undefined;
    try {
      if (this.#path !== ':memory:') prepareFile(this.#path);
      const denied = this.#path === ':memory:' ? undefined : notWritable(this.#path);
      if (denied) {
        const readOnly = this.#openReadOnly(denied);
        if (readOnly) return readOnly;
      }
      db = new DatabaseSync(this.#path);
      if (this.#path !== ':memory:') secureFile(this.#path);
      db.exec(`PRAGMA busy_timeout = ${this.#busyTimeoutMs}`);
      enableWal(db, this.#busyTimeoutMs);
      // WAL + NORMAL: a killed process loses nothing committed; only a power cut may lose the last commits.
      db.exec('PRAGMA synchronous = NORMAL');
      this.#db = db;
      return db;
    } catch (err) {
      if (db?.isOpen) db.close();
      const readOnly = this.#openReadOnly(err);
      if (readOnly) return readOnly;
      throw this.#unavailable(err);
    }
  }

  /** A store that exists but cannot be written (a read-only folder or file): open it to read, so open walkthroughs can still be shown. */
  #openReadOnly(cause: unknown): DatabaseSync | undefined {
    const code = sqliteErrcode(cause);
    const denied = (cause as NodeJS.ErrnoException | null)?.code === 'EACCES' || (cause as NodeJS.ErrnoException | null)?.code === 'EROFS';
    if (this.#path === ':memory:' || !existsSync(this.#path) || !(code === 8 || code === 14 || denied)) return undefined;
    try {
      // immutable: a WAL database in a folder we cannot write has no shared-memory file to make; we
      // cannot write it either way, and a writer elsewhere is shown as of the moment it was opened.
      const url = pathToFileURL(resolve(this.#path));
      url.searchParams.set('immutable', '1');
      const db = new DatabaseSync(url, { readOnly: true });
      db.exec(`PRAGMA busy_timeout = ${this.#busyTimeoutMs}`);
      db.prepare('SELECT COUNT(*) FROM schema_migrations').get();
      this.#readOnly = errorText(cause);
      this.#db = db;
      return db;
    } catch {
      return undefined;
    }
  }

  /** Run a unit of work, mapping "cannot use the database" errors to StoreUnavailableError. */
  #run<T>(work: (db: DatabaseSync) => T): T {
    const db = this.#open();
    try {
      return work(db);
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      const code = sqliteErrcode(err);
      if (code !== undefined && UNAVAILABLE_CODES.has(code)) throw this.#unavailable(err);
      throw err;
    }
  }

  #prepare(db: DatabaseSync, sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * BEGIN IMMEDIATE takes the write lock up front, so two writers queue instead of failing midway.
   * The work decides whether to commit; an exception rolls back.
   */
  #transaction<T>(db: DatabaseSync, work: () => { commit: boolean; value: T }): T {
    db.exec('BEGIN IMMEDIATE');
    try {
      const { commit, value } = work();
      db.exec(commit ? 'COMMIT' : 'ROLLBACK');
      if (commit && !this.#checkpointer && !this.#checkpointerFailed && !this.#closed && this.#backgroundCheckpoints) this.#startCheckpointer(db);
      return value;
    } catch (err) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }

  /** Hand the log's checkpoints to their own thread; the writer's connection stops making them. */
  #startCheckpointer(db: DatabaseSync): void {
    try {
      this.#checkpointer = new Checkpointer(this.#path, {
        onFail: () => {
          this.#checkpointer = undefined;
          this.#checkpointerFailed = true;
          if (this.#db === db && db.isOpen) db.exec('PRAGMA wal_autocheckpoint = 1000');
        },
      });
      db.exec('PRAGMA wal_autocheckpoint = 0');
    } catch {
      this.#checkpointerFailed = true;
    }
  }

  /** The checkpoint thread's figures (tests, health): undefined when the commits checkpoint for themselves. */
  get checkpoints(): { copied: number; lastLog: number; now(): void } | undefined {
    const c = this.#checkpointer;
    return c && { copied: c.copied, lastLog: c.lastLog, now: () => c.now() };
  }

  async migrate(): Promise<MigrationReport> {
    const db = this.#open();
    if (this.#readOnly) {
      const rows = this.#run(() => db.prepare('SELECT version FROM schema_migrations').all()) as Array<{ version: number }>;
      if (pendingMigrations(rows.map((r) => r.version), this.where).length) throw this.#unavailable(new Error('its schema needs an upgrade, which cannot be written'));
      return { applied: [], version: LATEST_VERSION };
    }
    return this.#run((db) =>
      this.#transaction(db, () => {
        db.exec(MIGRATIONS_TABLE);
        const rows = db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>;
        const pending = pendingMigrations(rows.map((r) => r.version), this.where);
        for (const m of pending) {
          for (const sql of statementsFor(m, 'sqlite')) db.exec(sql);
          db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
        }
        return { commit: true, value: { applied: pending.map((m) => m.version), version: LATEST_VERSION } };
      }),
    );
  }

  async getSession(id: string): Promise<Session | undefined> {
    const row = this.#run((db) => this.#prepare(db, 'SELECT doc FROM sessions WHERE id = ?').get(id)) as SessionRow | undefined;
    return row ? decodeSession(row.doc, this.where) : undefined;
  }

  async getSessionByThread(threadKey: string): Promise<Session | undefined> {
    const sql = "SELECT doc FROM sessions WHERE thread_key = ? ORDER BY (status = 'active') DESC, created_at DESC LIMIT 1";
    const row = this.#run((db) => this.#prepare(db, sql).get(threadKey)) as SessionRow | undefined;
    return row ? decodeSession(row.doc, this.where) : undefined;
  }

  async listOpenSessions(limit?: number): Promise<Session[]> {
    const sql = "SELECT doc FROM sessions WHERE status = 'active' ORDER BY updated_at LIMIT ?";
    const rows = this.#run((db) => this.#prepare(db, sql).all(listLimit(limit))) as unknown as SessionRow[];
    return rows.map((r) => decodeSession(r.doc, this.where));
  }

  #write(db: DatabaseSync, session: Session, expectedVersion: number): boolean {
    const p = sessionParams(session);
    if (expectedVersion === 0) {
      const sql = 'INSERT INTO sessions (id, thread_key, playbook_id, status, version, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING';
      return this.#prepare(db, sql).run(...p).changes === 1;
    }
    const sql = 'UPDATE sessions SET status = ?, version = ?, doc = ?, updated_at = ? WHERE id = ? AND version = ?';
    return this.#prepare(db, sql).run(session.status, session.version, p[5], session.updatedAt, session.id, expectedVersion).changes === 1;
  }

  #insertOutcome(db: DatabaseSync, key: string, sessionId: string | null, outcome: unknown, at: string): boolean {
    const sql = 'INSERT INTO outcomes (key, session_id, outcome, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING';
    return this.#prepare(db, sql).run(key, sessionId, JSON.stringify(outcome), at).changes === 1;
  }

  #readOutcome(db: DatabaseSync, key: string): StoredOutcome | undefined {
    const row = this.#prepare(db, 'SELECT key, session_id, outcome, created_at FROM outcomes WHERE key = ?').get(key) as OutcomeRow | undefined;
    return row ? decodeOutcome(row) : undefined;
  }

  async save(session: Session, expectedVersion: number, record?: OutcomeRecord, companion?: CompanionWrite): Promise<SaveResult> {
    return this.#run((db) =>
      this.#transaction(db, (): { commit: boolean; value: SaveResult } => {
        if (record && !this.#insertOutcome(db, record.key, session.id, record.outcome, record.at)) {
          return { commit: false, value: { status: 'duplicate', outcome: this.#readOutcome(db, record.key)! } };
        }
        if (!this.#write(db, session, expectedVersion)) return { commit: false, value: { status: 'conflict' } };
        if (companion && !this.#writeThread(db, companion)) return { commit: false, value: { status: 'conflict' } };
        return { commit: true, value: { status: 'saved' } };
      }),
    );
  }

  #writeThread(db: DatabaseSync, w: CompanionWrite): boolean {
    if (w.expectedVersion === 0) {
      return this.#prepare(db, 'INSERT INTO threads (thread_key, version, doc, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(w.key, w.version, w.doc, w.updatedAt).changes === 1;
    }
    return this.#prepare(db, 'UPDATE threads SET version = ?, doc = ?, updated_at = ? WHERE thread_key = ? AND version = ?').run(w.version, w.doc, w.updatedAt, w.key, w.expectedVersion).changes === 1;
  }

  async getThread(thread: string): Promise<ThreadDoc | undefined> {
    const row = this.#run((db) => this.#prepare(db, 'SELECT doc FROM threads WHERE thread_key = ?').get(thread)) as ThreadRow | undefined;
    return row ? decodeThread(row.doc) : undefined;
  }

  async putThread(doc: ThreadDoc, expectedVersion: number): Promise<PutResult> {
    const write: CompanionWrite = { key: doc.thread, doc: encodeThread(doc), version: doc.version, expectedVersion, updatedAt: doc.updatedAt };
    return this.#run((db) => (this.#writeThread(db, write) ? 'saved' : 'conflict'));
  }

  async claimDelivery(key: string, leaseMs: number, now: Date): Promise<boolean> {
    const at = now.toISOString();
    return this.#run((db) => {
      if (this.#prepare(db, 'INSERT INTO deliveries (key, claimed_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(key, at).changes === 1) return true;
      const expired = new Date(now.getTime() - leaseMs).toISOString();
      return this.#prepare(db, 'UPDATE deliveries SET claimed_at = ? WHERE key = ? AND done_at IS NULL AND claimed_at < ?').run(at, key, expired).changes === 1;
    });
  }

  async finishDelivery(key: string, now: Date): Promise<void> {
    this.#run((db) => this.#prepare(db, 'UPDATE deliveries SET done_at = ? WHERE key = ?').run(now.toISOString(), key));
  }

  async pruneDeliveries(before: Date): Promise<number> {
    return this.#run((db) => Number(this.#prepare(db, 'DELETE FROM deliveries WHERE claimed_at < ?').run(before.toISOString()).changes));
  }

  /**
   * One process per SQLite file: the core's per-thread queues already order events. The thread's state
   * is read as the work starts (as the lazy read would); the delivery is not looked up here (the ledger's
   * claim does that, atomically across processes). A delivery finished on release has its mark written
   * with the next event's transaction, or alone FINISH_DELAY_MS later: one write transaction per event
   * fewer. Until it is written its claim stands, which drops any copy within the lease; a process that
   * dies before then leaves the claim to its lease, as one that dies between its reply and the mark does.
   */
  async withThreadLock<T>(thread: string, work: (prefetched?: Prefetched) => Promise<T>, _delivery?: DeliveryCheck, meanwhile?: Meanwhile): Promise<T> {
    meanwhile?.();
    const row = this.#run((db) => this.#prepare(db, 'SELECT doc FROM threads WHERE thread_key = ?').get(thread)) as ThreadRow | undefined;
    return work({ doc: row ? decodeThread(row.doc) : undefined, finishOnRelease: (key, at) => this.#finishLater(key, at) });
  }

  #finishLater(key: string, at: Date): void {
    this.#finishing.set(key, at.toISOString());
    if (this.#finishTimer) return;
    this.#finishTimer = setTimeout(() => {
      this.#finishTimer = undefined;
      try {
        this.#run((db) => this.#transaction(db, () => ({ commit: true, value: this.#writeFinishing(db) })));
      } catch {
        // Unwritten marks leave their claims to expire after the lease (as PostgreSQL's unlock does).
        this.#finishing.clear();
      }
    }, FINISH_DELAY_MS);
    this.#finishTimer.unref();
  }

  /** Write the pending "handled" marks in the caller's transaction; they count as written once it commits. */
  #writeFinishing(db: DatabaseSync): void {
    if (!this.#finishing.size) return;
    const update = this.#prepare(db, 'UPDATE deliveries SET done_at = ? WHERE key = ?');
    for (const [key, at] of this.#finishing) update.run(at, key);
    this.#finishing.clear();
  }

  async getOutcome(key: string): Promise<StoredOutcome | undefined> {
    return this.#run((db) => this.#readOutcome(db, key));
  }

  async putOutcome(key: string, sessionId: string | null, record: Omit<OutcomeRecord, 'key'>): Promise<StoredOutcome> {
    return this.#run((db) => {
      this.#insertOutcome(db, key, sessionId, record.outcome, record.at);
      return this.#readOutcome(db, key)!;
    });
  }

  async pruneOutcomes(before: Date): Promise<number> {
    return this.#run((db) => Number(this.#prepare(db, 'DELETE FROM outcomes WHERE created_at < ?').run(before.toISOString()).changes));
  }

  /** Entries chained after the current last one, in the caller's transaction. */
  #appendAudit(db: DatabaseSync, entries: AuditFields[]): AuditEntry[] {
    const last = this.#prepare(db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    let seq = last?.seq ?? 0;
    let prevHash = last?.hash ?? GENESIS;
    const insert = this.#prepare(db, 'INSERT INTO audit_log (seq, at, actor_platform, actor_id, actor_name, thread, session, step, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    return entries.map((f) => {
      seq += 1;
      const hash = entryHash(seq, prevHash, f);
      insert.run(seq, f.at, f.actorPlatform, f.actorId, f.actorName, f.thread, f.session, f.step, f.action, f.detail, prevHash, hash);
      const entry = { ...f, seq, prevHash, hash };
      prevHash = hash;
      return entry;
    });
  }

  async appendAudit(fields: AuditFields): Promise<AuditEntry> {
    return this.#run((db) => this.#transaction(db, () => ({ commit: true, value: this.#appendAudit(db, [fields])[0]! })));
  }

  /**
   * One event's writes, all or nothing (a thread conflict rolls back the claim and the entries too).
   * Events that arrive in the same turn of the event loop share one transaction, each in a savepoint
   * of its own: one WAL commit for all of them instead of one each (at sixteen events in flight about
   * a tenth of the process's CPU went to BEGIN and COMMIT), while one event's conflict or failure
   * undoes its own part only. An event alone waits for nothing but the end of the current turn.
   */
  commitEvent(w: EventWrites): Promise<EventCommit> {
    if (!w.thread && !w.claim && !w.audit?.length && !w.outbox?.length) return Promise.resolve({ audit: [] });
    return new Promise((resolve, reject) => {
      this.#pendingEvents.push({ writes: w, resolve, reject });
      if (this.#pendingEvents.length === 1) setImmediate(() => this.#commitPending());
    });
  }

  /** The events waiting in commitEvent, in one transaction (see there). */
  #commitPending(): void {
    const batch = this.#pendingEvents.splice(0);
    if (!batch.length) return;
    let outcomes: Array<{ ok: true; value: EventCommit } | { ok: false; err: unknown }>;
    try {
      outcomes = this.#run((db) => {
        if (batch.length === 1) return [{ ok: true as const, value: this.#transaction(db, () => this.#eventWrites(db, batch[0]!.writes)) }];
        return this.#transaction(db, () => {
          const out: Array<{ ok: true; value: EventCommit } | { ok: false; err: unknown }> = [];
          for (const e of batch) {
            db.exec('SAVEPOINT ehlo_event');
            try {
              const { commit, value } = this.#eventWrites(db, e.writes);
              db.exec(commit ? 'RELEASE ehlo_event' : 'ROLLBACK TO ehlo_event; RELEASE ehlo_event');
              out.push({ ok: true, value });
            } catch (err) {
              // The database itself failing ends the whole transaction (every event is told); a bad write undoes its own event only.
              const code = sqliteErrcode(err);
              if (code !== undefined && UNAVAILABLE_CODES.has(code)) throw err;
              db.exec('ROLLBACK TO ehlo_event; RELEASE ehlo_event');
              out.push({ ok: false, err });
            }
          }
          return { commit: true, value: out };
        });
      });
    } catch (err) {
      for (const e of batch) e.reject(err);
      return;
    }
    batch.forEach((e, i) => {
      const o = outcomes[i]!;
      if (o.ok) e.resolve(o.value);
      else e.reject(o.err);
    });
  }

  /** One event's writes in the caller's transaction; commit false: a conflict, nothing of it is to stay. */
  #eventWrites(db: DatabaseSync, w: EventWrites): { commit: boolean; value: EventCommit } {
    const conflict = { commit: false, value: { thread: 'conflict' as const, audit: [] } };
    // Written without the thread lock (EventWrites.first): nothing unless neither the thread nor the delivery is stored.
    const first = w.first === true && w.thread?.expectedVersion === 0 && w.claim !== undefined;
    if (first && this.#prepare(db, 'SELECT 1 AS x FROM deliveries WHERE key = ?').get(w.claim!.key)) return conflict;
    if (w.thread) {
      const { doc, expectedVersion } = w.thread;
      const write: CompanionWrite = { key: doc.thread, doc: encodeThread(doc), version: doc.version, expectedVersion, updatedAt: doc.updatedAt };
      if (!this.#writeThread(db, write)) return conflict;
    }
    if (first) {
      const at = w.claim!.at.toISOString();
      this.#prepare(db, 'INSERT INTO deliveries (key, claimed_at, done_at) VALUES (?, ?, ?)').run(w.claim!.key, at, w.claim!.done ? at : null);
    } else if (w.claim) {
      this.#prepare(db, 'INSERT INTO deliveries (key, claimed_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at WHERE deliveries.done_at IS NULL').run(w.claim.key, w.claim.at.toISOString());
    }
    const audit = w.audit?.length ? this.#appendAudit(db, w.audit) : [];
    this.#writeFinishing(db);
    for (const o of w.outbox ?? []) {
      this.#prepare(db, 'INSERT INTO reply_outbox (id, thread, op, reply, address, created_at, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?)').run(o.id, o.thread, o.op, encodeReply(o.reply), o.address ?? null, o.at.toISOString(), new Date(o.at.getTime() + OUTBOX_LEASE_MS).toISOString());
    }
    return { commit: true, value: { ...(w.thread && { thread: 'saved' as const }), audit } };
  }

  async outboxDone(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    this.#run((db) => this.#transaction(db, () => {
      for (const id of ids) this.#prepare(db, 'DELETE FROM reply_outbox WHERE id = ?').run(id);
      return { commit: true, value: undefined };
    }));
  }

  async outboxRenew(ids: readonly string[], until: Date): Promise<void> {
    if (!ids.length) return;
    this.#run((db) => this.#transaction(db, () => {
      for (const id of ids) this.#prepare(db, 'UPDATE reply_outbox SET lease_until = ? WHERE id = ?').run(until.toISOString(), id);
      return { commit: true, value: undefined };
    }));
  }

  async outboxStale(now: Date, limit: number): Promise<string[]> {
    const rows = this.#run((db) => this.#prepare(db, 'SELECT DISTINCT thread FROM (SELECT thread FROM reply_outbox WHERE lease_until < ? ORDER BY lease_until LIMIT ?)').all(now.toISOString(), limit)) as Array<{ thread: string }>;
    return rows.map((r) => r.thread);
  }

  async outboxTake(thread: string, now: Date, until: Date): Promise<OutboxRow[]> {
    // One transaction of this process (DatabaseSync is synchronous; another process waits on the write lock).
    const rows = this.#run((db) => this.#transaction(db, () => {
      const found = this.#prepare(db, 'SELECT seq, id, thread, op, reply, address, created_at FROM reply_outbox WHERE thread = ? AND lease_until < ? ORDER BY seq').all(thread, now.toISOString()) as unknown as OutboxDbRow[];
      for (const r of found) this.#prepare(db, 'UPDATE reply_outbox SET lease_until = ? WHERE id = ?').run(until.toISOString(), r.id);
      return { commit: true, value: found };
    }));
    const taken = decodeOutboxRows(rows);
    if (taken.length < rows.length) await this.outboxDone(rows.filter((r) => !taken.some((t) => t.id === r.id)).map((r) => r.id));
    return taken;
  }

  async rememberMessage(replyId: string, thread: string, messageId: string, at: Date): Promise<void> {
    this.#run((db) => this.#prepare(db, 'INSERT INTO reply_messages (reply_id, thread, message_id, at) VALUES (?, ?, ?, ?) ON CONFLICT (reply_id) DO UPDATE SET message_id = excluded.message_id, at = excluded.at').run(replyId, thread, messageId, at.toISOString()));
  }

  async messageOf(replyId: string): Promise<string | undefined> {
    const row = this.#run((db) => this.#prepare(db, 'SELECT message_id FROM reply_messages WHERE reply_id = ?').get(replyId)) as { message_id: string } | undefined;
    return row?.message_id;
  }

  async pruneMessages(before: Date): Promise<number> {
    return Number(this.#run((db) => this.#prepare(db, 'DELETE FROM reply_messages WHERE at < ?').run(before.toISOString())).changes);
  }

  async readAudit(query: AuditQuery): Promise<AuditEntry[]> {
    const { where, values } = auditQuery(query, () => '?');
    const sql = `SELECT * FROM audit_log ${where} ORDER BY seq LIMIT ?`;
    const rows = this.#run((db) => db.prepare(sql).all(...(values as Array<string | number>), Math.min(query.limit ?? AUDIT_LIMITS.page, AUDIT_LIMITS.page))) as unknown as AuditRow[];
    return rows.map(decodeAudit);
  }

  async health(): Promise<StoreHealth> {
    try {
      const row = this.#run((db) => db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get()) as { version: number | null } | undefined;
      return { ok: true, kind: this.kind, where: this.where, version: row?.version ?? 0 };
    } catch (err) {
      return { ok: false, kind: this.kind, where: this.where, message: errorText(err) };
    }
  }

  async close(): Promise<void> {
    // Events already given to commitEvent are written (or refused) before the file closes.
    if (this.#pendingEvents.length && this.#db?.isOpen) this.#commitPending();
    for (const e of this.#pendingEvents.splice(0)) e.reject(this.#unavailable(new Error('the store was closed')));
    clearTimeout(this.#finishTimer);
    this.#finishTimer = undefined;
    if (this.#finishing.size && this.#db?.isOpen && !this.#readOnly) {
      try {
        this.#run((db) => this.#transaction(db, () => ({ commit: true, value: this.#writeFinishing(db) })));
      } catch {
        // left to the lease, as above
      }
    }
    this.#finishing.clear();
    this.#statements.clear();
    // Its connection closed first, so that the last connection's close folds the log into the file.
    const checkpointer = this.#checkpointer;
    this.#checkpointer = undefined;
    this.#closed = true;
    await checkpointer?.stop();
    const db = this.#db;
    this.#db = undefined;
    this.#readOnly = undefined;
    if (db?.isOpen) db.close();
  }
}
