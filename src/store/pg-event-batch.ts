// Group commit for PostgreSQL: the events' writes (conversation/state/commit.ts) that arrive while
// one statement is on its way go together in the next one, so sixteen events in flight share one
// commit instead of queueing for the audit chain's lock one commit (one disk flush) at a time. Each
// event's part stays all-or-nothing: its delivery claim and audit entries are gated on its own
// thread write (a conflict writes nothing of it and nothing else changes); the entries of all of
// them go through one ehlo_audit_append (migration 5) in event order, or, for an event that does not
// need them back (EventWrites.auditLater), go in as one audit_pending row the next append chains
// (migration 8). An event written without the thread lock (EventWrites.first) has its thread gated on
// its delivery being unknown and the rest on its claim.
import type { EventCommit, EventWrites } from '../conversation/state/commit.ts';
import { encodeReply, OUTBOX_LEASE_MS } from '../conversation/state/outbox.ts';
import { encodeThread } from '../conversation/state/thread-state.ts';

/** Events per statement at most (a few parameters each, far under PostgreSQL's 65,535). */
export const MAX_BATCH = 32;

interface Statement {
  sql: string;
  values: unknown[];
  decode(row: Record<string, unknown> | undefined): EventCommit[];
}

/** A first write without the thread lock, as EventWrites.first describes it (anything else is written as usual). */
function isFirst(w: EventWrites): w is EventWrites & { thread: NonNullable<EventWrites['thread']>; claim: NonNullable<EventWrites['claim']> } {
  return w.first === true && w.thread?.expectedVersion === 0 && w.claim !== undefined;
}

/** One statement for the writes of several events (each thread and delivery at most once). */
export function batchStatement(batch: readonly EventWrites[], auditLockKey: string): Statement {
  const values: unknown[] = [];
  const p = (v: unknown): string => {
    values.push(v);
    return `$${values.length}`;
  };
  const parts: string[] = [];
  const cols: string[] = [];
  const audited: string[] = [];
  batch.forEach((w, i) => {
    const first = isFirst(w);
    // Written without the thread lock: the thread only if the delivery is not stored either, the claim
    // only with the thread, and the rest only with the claim (a claim another copy wrote meanwhile).
    const gate = first ? ` FROM d${i}` : w.thread ? ` FROM t${i}` : '';
    if (first) {
      const { doc } = w.thread;
      const key = p(w.claim.key);
      const at = p(w.claim.at.toISOString());
      parts.push(`t${i} AS (INSERT INTO threads (thread_key, version, doc, updated_at) SELECT ${p(doc.thread)}::text, ${p(doc.version)}::int, ${p(encodeThread(doc))}::text, ${p(doc.updatedAt)}::text WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE key = ${key}::text) ON CONFLICT DO NOTHING RETURNING 1)`);
      parts.push(`d${i} AS (INSERT INTO deliveries (key, claimed_at, done_at) SELECT ${key}::text, ${at}::text, ${w.claim.done ? `${at}::text` : 'NULL::text'} FROM t${i} ON CONFLICT (key) DO NOTHING RETURNING 1)`);
      cols.push(`(SELECT count(*) FROM t${i})::int AS s${i}`, `(SELECT count(*) FROM d${i})::int AS c${i}`);
    } else if (w.thread) {
      const { doc, expectedVersion } = w.thread;
      const text = encodeThread(doc);
      parts.push(expectedVersion === 0
        ? `t${i} AS (INSERT INTO threads (thread_key, version, doc, updated_at) VALUES (${p(doc.thread)}, ${p(doc.version)}, ${p(text)}, ${p(doc.updatedAt)}) ON CONFLICT DO NOTHING RETURNING 1)`
        : `t${i} AS (UPDATE threads SET version = ${p(doc.version)}, doc = ${p(text)}, updated_at = ${p(doc.updatedAt)} WHERE thread_key = ${p(doc.thread)} AND version = ${p(expectedVersion)} RETURNING 1)`);
      cols.push(`(SELECT count(*) FROM t${i})::int AS s${i}`);
    }
    if (w.claim && !first) {
      parts.push(`d${i} AS (INSERT INTO deliveries (key, claimed_at) SELECT ${p(w.claim.key)}::text, ${p(w.claim.at.toISOString())}::text${gate} ON CONFLICT (key) DO UPDATE SET claimed_at = EXCLUDED.claimed_at WHERE deliveries.done_at IS NULL RETURNING 1)`);
      cols.push(`(SELECT count(*) FROM d${i})::int AS c${i}`);
    }
    if (w.outbox?.length) {
      // One INSERT per event, rows in the event's order (the identity column numbers them in that order).
      const rows = w.outbox.map((o, n) => `(${p(o.id)}::text, ${p(o.thread)}::text, ${p(o.op)}::text, ${p(encodeReply(o.reply))}::text, ${p(o.address ?? null)}::text, ${p(o.at.toISOString())}::text, ${p(new Date(o.at.getTime() + OUTBOX_LEASE_MS).toISOString())}::text, ${n})`);
      parts.push(`o${i} AS (INSERT INTO reply_outbox (id, thread, op, reply, address, created_at, lease_until) SELECT v.id, v.thread, v.op, v.reply, v.address, v.created_at, v.lease_until FROM (VALUES ${rows.join(', ')}) AS v(id, thread, op, reply, address, created_at, lease_until, n)${gate ? `, ${first ? 'd' : 't'}${i}` : ''} ORDER BY v.n RETURNING 1)`);
      cols.push(`(SELECT count(*) FROM o${i})::int AS o${i}`);
    }
    if (w.audit?.length && w.auditLater) {
      // Stored with the commit and chained after it (migration 8): no audit lock in this statement.
      parts.push(`q${i} AS (INSERT INTO audit_pending (entries) SELECT ${p(JSON.stringify(w.audit))}::jsonb${gate})`);
    } else if (w.audit?.length) audited.push(`SELECT ${p(JSON.stringify(w.audit))}::jsonb AS e, ${i} AS n${gate}`);
  });
  if (audited.length) {
    parts.push(`g AS (${audited.join(' UNION ALL ')})`);
    const entries = "(SELECT coalesce(jsonb_agg(x.value ORDER BY g.n, x.ord), '[]'::jsonb) FROM g, jsonb_array_elements(g.e) WITH ORDINALITY AS x(value, ord))";
    parts.push(`a AS (SELECT ehlo_audit_append(${p(auditLockKey)}, ${entries}) AS r WHERE EXISTS (SELECT 1 FROM g))`);
    cols.push('(SELECT r FROM a) AS audit');
  }
  const sql = parts.length ? `WITH ${parts.join(', ')} SELECT ${cols.join(', ')}` : 'SELECT 1';
  return {
    sql,
    values,
    decode(row) {
      const appended = ((row?.audit as Array<{ seq: number; prevHash: string; hash: string }> | null | undefined) ?? []).values();
      return batch.map((w, i): EventCommit => {
        const saved = !w.thread || (row?.[`s${i}`] === 1 && (!isFirst(w) || row?.[`c${i}`] === 1));
        const audit = saved && !w.auditLater ? (w.audit ?? []).map((f) => {
          const a = appended.next().value;
          if (!a) throw new Error('the audit append returned fewer entries than were given');
          return { ...f, seq: Number(a.seq), prevHash: a.prevHash, hash: a.hash };
        }) : [];
        return { ...(w.thread && { thread: saved ? 'saved' : 'conflict' }), audit };
      });
    },
  };
}

interface Waiting {
  writes: EventWrites;
  resolve(c: EventCommit): void;
  reject(err: unknown): void;
}

/**
 * One statement on its way at a time; what arrives meanwhile goes in the next (up to MAX_BATCH, and
 * never two writes of one thread or one delivery in one statement). A statement that fails for
 * another reason than the server being away is retried one event at a time, so one event's bad
 * write fails that event only.
 */
export class EventBatcher {
  readonly #run: (sql: string, values: unknown[]) => Promise<Record<string, unknown> | undefined>;
  readonly #auditLockKey: string;
  readonly #isUnavailable: (err: unknown) => boolean;
  #queue: Waiting[] = [];
  #busy = false;

  constructor(options: { run: (sql: string, values: unknown[]) => Promise<Record<string, unknown> | undefined>; auditLockKey: string; isUnavailable: (err: unknown) => boolean }) {
    this.#run = options.run;
    this.#auditLockKey = options.auditLockKey;
    this.#isUnavailable = options.isUnavailable;
  }

  submit(writes: EventWrites): Promise<EventCommit> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ writes, resolve, reject });
      if (!this.#busy) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#busy = true;
    try {
      while (this.#queue.length) await this.#send(this.#take());
    } finally {
      this.#busy = false;
    }
  }

  /** The next batch: in arrival order, skipping (for the next batch) a thread or delivery already in it. */
  #take(): Waiting[] {
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const keys = new Set<string>();
    for (const w of this.#queue) {
      // A thread's outbox rows of two events in one statement could be numbered in either order.
      const outboxThreads = (w.writes.outbox ?? []).map((o) => `o:${o.thread}`);
      const mine = [w.writes.thread && `t:${w.writes.thread.doc.thread}`, w.writes.claim && `d:${w.writes.claim.key}`, ...new Set(outboxThreads)].filter((k): k is string => !!k);
      if (batch.length >= MAX_BATCH || mine.some((k) => keys.has(k))) {
        rest.push(w);
        continue;
      }
      for (const k of mine) keys.add(k);
      batch.push(w);
    }
    this.#queue = rest;
    return batch;
  }

  async #send(batch: Waiting[]): Promise<void> {
    const statement = batchStatement(batch.map((w) => w.writes), this.#auditLockKey);
    let results: EventCommit[];
    try {
      results = statement.decode(await this.#run(statement.sql, statement.values));
    } catch (err) {
      if (batch.length === 1 || this.#isUnavailable(err)) {
        for (const w of batch) w.reject(err);
        return;
      }
      for (const w of batch) await this.#send([w]);
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i]!));
  }
}
