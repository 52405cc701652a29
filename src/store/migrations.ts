// Versioned schema migrations, applied in order on start and recorded in schema_migrations.
// The SQL is the common subset of SQLite and PostgreSQL (TEXT, INTEGER, partial indexes).

export interface Migration {
  version: number;
  name: string;
  statements: string[];
  /** Statements for one database only, run after the common ones (triggers). */
  sqlite?: string[];
  postgres?: string[];
}

export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

function outboxTable(seq: string): string {
  return `CREATE TABLE reply_outbox (
    seq ${seq},
    id TEXT NOT NULL UNIQUE,
    thread TEXT NOT NULL,
    op TEXT NOT NULL,
    reply TEXT NOT NULL,
    address TEXT,
    created_at TEXT NOT NULL,
    lease_until TEXT NOT NULL
  )`;
}

const OUTBOX_REST = [
  'CREATE INDEX reply_outbox_by_thread ON reply_outbox (thread, seq)',
  'CREATE INDEX reply_outbox_by_lease ON reply_outbox (lease_until)',
  `CREATE TABLE reply_messages (
    reply_id TEXT PRIMARY KEY,
    thread TEXT NOT NULL,
    message_id TEXT NOT NULL,
    at TEXT NOT NULL
  )`,
  'CREATE INDEX reply_messages_by_age ON reply_messages (at)',
];

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions and idempotent outcomes',
    statements: [
      `CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        thread_key TEXT NOT NULL,
        playbook_id TEXT NOT NULL,
        status TEXT NOT NULL,
        version INTEGER NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      'CREATE INDEX sessions_by_thread ON sessions (thread_key, created_at)',
      // At most one active walkthrough per thread, even when two people start one at the same moment.
      "CREATE UNIQUE INDEX sessions_one_active_per_thread ON sessions (thread_key) WHERE status = 'active'",
      "CREATE INDEX sessions_open ON sessions (updated_at) WHERE status = 'active'",
      `CREATE TABLE outcomes (
        key TEXT PRIMARY KEY,
        session_id TEXT,
        outcome TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
      'CREATE INDEX outcomes_by_age ON outcomes (created_at)',
    ],
  },
  {
    version: 2,
    name: 'thread state and delivery ledger',
    statements: [
      `CREATE TABLE threads (
        thread_key TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        doc TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      'CREATE INDEX threads_by_age ON threads (updated_at)',
      `CREATE TABLE deliveries (
        key TEXT PRIMARY KEY,
        claimed_at TEXT NOT NULL,
        done_at TEXT
      )`,
      'CREATE INDEX deliveries_by_age ON deliveries (claimed_at)',
    ],
  },
  {
    version: 3,
    name: 'probe rate limits shared by replicas',
    statements: ['CREATE TABLE probe_rate_hits (key TEXT NOT NULL, at BIGINT NOT NULL)', 'CREATE INDEX probe_rate_hits_key_at ON probe_rate_hits (key, at)'],
  },
  {
    version: 4,
    name: 'append-only audit log with a hash chain',
    statements: [
      `CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor_platform TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        thread TEXT NOT NULL,
        session TEXT NOT NULL,
        step TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      )`,
      'CREATE INDEX audit_log_by_thread ON audit_log (thread, seq)',
      'CREATE INDEX audit_log_by_time ON audit_log (at)',
    ],
    // ehlo never updates or deletes an entry; the database refuses it too (a determined owner of the
    // database can still drop the trigger: that is what the hash chain is for).
    sqlite: [
      "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
      "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    ],
    postgres: [
      `CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`,
      'CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()',
    ],
  },
  {
    version: 5,
    name: 'audit entries appended in the same statement as the event\'s other writes',
    statements: [],
    // PostgreSQL: the append as one server-side call, so an event's thread write, delivery claim and
    // audit entries go in one statement (one round trip, one commit). It takes the same advisory
    // lock as the append before it (replicas of either version never fork the chain) and hashes
    // exactly as src/audit/chain.ts entryHash does (chain.ts verifies what it wrote).
    postgres: [
      `CREATE OR REPLACE FUNCTION ehlo_audit_part(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT octet_length(convert_to(v, 'UTF8'))::text || ':' || v || E'\\n' $$`,
      `CREATE OR REPLACE FUNCTION ehlo_audit_append(lock_key text, entries jsonb) RETURNS jsonb LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        s bigint;
        h text;
        nh text;
        e jsonb;
        appended jsonb := '[]'::jsonb;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext(lock_key));
        SELECT l.seq, l.hash INTO s, h FROM audit_log l ORDER BY l.seq DESC LIMIT 1;
        s := coalesce(s, 0);
        h := coalesce(h, repeat('0', 64));
        FOR e IN SELECT x.value FROM jsonb_array_elements(entries) WITH ORDINALITY AS x(value, n) ORDER BY x.n LOOP
          s := s + 1;
          nh := encode(sha256(convert_to('ehlo-audit-v1' || E'\\n' || s::text || E'\\n' || h || E'\\n'
            || ehlo_audit_part(e->>'at') || ehlo_audit_part(e->>'actorPlatform') || ehlo_audit_part(e->>'actorId') || ehlo_audit_part(e->>'actorName')
            || ehlo_audit_part(e->>'thread') || ehlo_audit_part(e->>'session') || ehlo_audit_part(e->>'step') || ehlo_audit_part(e->>'action')
            || ehlo_audit_part(e->>'detail'), 'UTF8')), 'hex');
          INSERT INTO audit_log (seq, at, actor_platform, actor_id, actor_name, thread, session, step, action, detail, prev_hash, hash)
            VALUES (s, e->>'at', e->>'actorPlatform', e->>'actorId', e->>'actorName', e->>'thread', e->>'session', e->>'step', e->>'action', e->>'detail', h, nh);
          appended := appended || jsonb_build_array(jsonb_build_object('seq', s, 'prevHash', h, 'hash', nh));
          h := nh;
        END LOOP;
        RETURN appended;
      END $$`,
    ],
  },
  {
    version: 6,
    name: 'reply outbox and the platform messages that show replies',
    statements: [],
    // The outbox's seq gives the commit order of a thread's rows (a thread's events commit one at a
    // time, holding its lock): SQLite's rowid, PostgreSQL's identity column; the rest is common.
    sqlite: [outboxTable('INTEGER PRIMARY KEY'), ...OUTBOX_REST],
    postgres: [outboxTable('BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY'), ...OUTBOX_REST],
  },
  {
    version: 7,
    name: 'the audit hash\'s parts inlined in the append',
    statements: [],
    // PostgreSQL inlines a SQL function into the expression that calls it only when the function's
    // body is no more volatile than the function says: convert_to is STABLE, so the IMMUTABLE
    // ehlo_audit_part of migration 5 ran as a function call of its own, nine per entry (about a
    // quarter of a millisecond an entry). Declared STABLE, it is inlined; its results are the same.
    postgres: ['ALTER FUNCTION ehlo_audit_part(text) STABLE'],
  },
  {
    version: 8,
    name: 'audit entries stored with an event and chained after it',
    statements: [],
    // PostgreSQL: an event's audit entries may be stored with its commit as one audit_pending row (an
    // INSERT, no lock) and chained after the reply has gone out, instead of holding the commit for the
    // chain's lock, hash and inserts. Every append, under the chain's lock, first chains the pending
    // rows committed so far, in their order, then its own entries; an append with no entries of its
    // own only settles the pending ones. What a crash leaves pending is chained by the next append of
    // any replica. A thread's events commit one after the other, so their entries keep their order.
    // A pending row that cannot be chained stays, marked stuck with the reason (never lost, never in
    // the way of the chain).
    postgres: [
      'CREATE TABLE audit_pending (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, entries JSONB NOT NULL, stuck TEXT)',
      `CREATE OR REPLACE FUNCTION ehlo_audit_append(lock_key text, entries jsonb) RETURNS jsonb LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        s bigint;
        h text;
        nh text;
        e jsonb;
        p record;
        s0 bigint;
        h0 text;
        appended jsonb := '[]'::jsonb;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext(lock_key));
        SELECT l.seq, l.hash INTO s, h FROM audit_log l ORDER BY l.seq DESC LIMIT 1;
        s := coalesce(s, 0);
        h := coalesce(h, repeat('0', 64));
        -- The pending rows first, each on its own: one that cannot be chained is kept, marked stuck
        -- with the reason, and never holds up the others (nor this append).
        FOR p IN SELECT q.seq, q.entries FROM audit_pending q WHERE q.stuck IS NULL ORDER BY q.seq LOOP
          s0 := s;
          h0 := h;
          BEGIN
            FOR e IN SELECT x.value FROM jsonb_array_elements(p.entries) WITH ORDINALITY AS x(value, n) ORDER BY x.n LOOP
              s := s + 1;
              nh := encode(sha256(convert_to('ehlo-audit-v1' || E'\\n' || s::text || E'\\n' || h || E'\\n'
                || ehlo_audit_part(e->>'at') || ehlo_audit_part(e->>'actorPlatform') || ehlo_audit_part(e->>'actorId') || ehlo_audit_part(e->>'actorName')
                || ehlo_audit_part(e->>'thread') || ehlo_audit_part(e->>'session') || ehlo_audit_part(e->>'step') || ehlo_audit_part(e->>'action')
                || ehlo_audit_part(e->>'detail'), 'UTF8')), 'hex');
              INSERT INTO audit_log (seq, at, actor_platform, actor_id, actor_name, thread, session, step, action, detail, prev_hash, hash)
                VALUES (s, e->>'at', e->>'actorPlatform', e->>'actorId', e->>'actorName', e->>'thread', e->>'session', e->>'step', e->>'action', e->>'detail', h, nh);
              h := nh;
            END LOOP;
            DELETE FROM audit_pending WHERE seq = p.seq;
          EXCEPTION WHEN OTHERS THEN
            s := s0;
            h := h0;
            UPDATE audit_pending SET stuck = SQLERRM WHERE seq = p.seq;
          END;
        END LOOP;
        FOR e IN SELECT x.value FROM jsonb_array_elements(entries) WITH ORDINALITY AS x(value, n) ORDER BY x.n LOOP
          s := s + 1;
          nh := encode(sha256(convert_to('ehlo-audit-v1' || E'\\n' || s::text || E'\\n' || h || E'\\n'
            || ehlo_audit_part(e->>'at') || ehlo_audit_part(e->>'actorPlatform') || ehlo_audit_part(e->>'actorId') || ehlo_audit_part(e->>'actorName')
            || ehlo_audit_part(e->>'thread') || ehlo_audit_part(e->>'session') || ehlo_audit_part(e->>'step') || ehlo_audit_part(e->>'action')
            || ehlo_audit_part(e->>'detail'), 'UTF8')), 'hex');
          INSERT INTO audit_log (seq, at, actor_platform, actor_id, actor_name, thread, session, step, action, detail, prev_hash, hash)
            VALUES (s, e->>'at', e->>'actorPlatform', e->>'actorId', e->>'actorName', e->>'thread', e->>'session', e->>'step', e->>'action', e->>'detail', h, nh);
          appended := appended || jsonb_build_array(jsonb_build_object('seq', s, 'prevHash', h, 'hash', nh));
          h := nh;
        END LOOP;
        RETURN appended;
      END $$`,
    ],
  },
];

/** The statements of a migration for one database. */
export function statementsFor(m: Migration, kind: 'sqlite' | 'postgres'): string[] {
  return [...m.statements, ...(m[kind] ?? [])];
}

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** The migrations still to apply, given the versions already recorded; refuses a database newer than this code. */
export function pendingMigrations(applied: readonly number[], where: string): Migration[] {
  const newest = Math.max(0, ...applied);
  if (newest > LATEST_VERSION) {
    throw new Error(`The database at ${where} has schema version ${newest}, newer than this ehlo knows (${LATEST_VERSION}). Upgrade ehlo or point it at another database.`);
  }
  const done = new Set(applied);
  return MIGRATIONS.filter((m) => !done.has(m.version));
}

export interface MigrationReport {
  /** Versions applied by this call (empty when the schema was already current). */
  applied: number[];
  version: number;
}
