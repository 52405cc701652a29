// The audit log on real SQLite and (with DATABASE_URL) real PostgreSQL: appends chain, the database
// refuses updates and deletes, and `ehlo audit verify` (the real command) names the first entry an
// edit or a deletion broke; `ehlo audit export` writes jsonl and csv.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/log.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/store.ts';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/pg.ts';
import { runCli } from '../helpers/run-cli.ts';

const alice = { id: 'U0ALICE', name: 'Alice' };

async function fill(store: Store, n: number): Promise<void> {
  const log = new AuditLog(store, { clock: () => new Date('2026-12-03T10:00:00Z') });
  for (let i = 1; i <= n; i++) {
    await log.record({ action: i === 1 ? 'walkthrough-started' : 'press', thread: 'slack:T0:C0:1.1', actor: alice, session: 's1', step: `step-${i}`, detail: { choice: 'done', n: i, by: 'jane.doe@contoso.com' } });
  }
}

interface Db {
  store: Store;
  env: NodeJS.ProcessEnv;
  exec(sql: string): Promise<void>;
  dispose(): Promise<void>;
}

function suite(name: string, make: () => Promise<Db>): void {
  describe(`audit log on ${name}`, () => {
    let db: Db;
    beforeEach(async () => {
      db = await make();
      await db.store.migrate();
    });
    afterEach(async () => {
      await db.store.close();
      await db.dispose();
    });

    it('chains every entry to the one before, and verify says it is intact', async () => {
      await fill(db.store, 5);
      const entries = await db.store.readAudit({});
      expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
      expect(entries[0]!.detail).toContain('[email]@contoso.com');
      expect(entries[0]!.detail).not.toContain('jane.doe');
      expect(entries[0]).toMatchObject({ actorPlatform: 'slack', actorId: 'U0ALICE', thread: 'slack:T0:C0:1.1', session: 's1', step: 'step-1', action: 'walkthrough-started' });
      const r = await runCli(['audit', 'verify'], '', db.env);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/audit log intact .*: 5 entries/);
      expect(r.code).toBe(0);
    });

    it('keeps one chain when many appends race', async () => {
      await Promise.all(Array.from({ length: 20 }, () => new AuditLog(db.store).record({ action: 'press', thread: 'slack:T0:C0:1.1', actor: alice })));
      const r = await runCli(['audit', 'verify'], '', db.env);
      expect(r.stdout).toMatch(/intact .*: 20 entries/);
    });

    it('the database refuses to update or delete an entry', async () => {
      await fill(db.store, 2);
      await expect(db.exec("UPDATE audit_log SET actor_id = 'U0MAL' WHERE seq = 1")).rejects.toThrow(/append-only/);
      await expect(db.exec('DELETE FROM audit_log WHERE seq = 1')).rejects.toThrow(/append-only/);
    });

    it('verify names an edited entry (exit 1)', async () => {
      await fill(db.store, 6);
      await db.exec(name === 'SQLite' ? 'DROP TRIGGER audit_log_no_update' : 'ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change');
      await db.exec("UPDATE audit_log SET actor_id = 'U0MAL' WHERE seq = 4");
      const r = await runCli(['audit', 'verify'], '', db.env);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/BROKEN at entry 4 .*entry 4 was edited/);
      expect(r.stdout).toContain('Entries before 4 are intact');
    });

    it('verify names a deleted entry (exit 1), and an edit that recomputed its own hash', async () => {
      await fill(db.store, 6);
      await db.exec(name === 'SQLite' ? 'DROP TRIGGER audit_log_no_delete' : 'ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change');
      await db.exec('DELETE FROM audit_log WHERE seq = 3');
      const r = await runCli(['audit', 'verify'], '', db.env);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/BROKEN at entry 4 .*entry 3 is missing \(deleted\)/);
    });

    it('verify catches an entry removed and the rest renumbered', async () => {
      await fill(db.store, 4);
      await db.exec(name === 'SQLite' ? 'DROP TRIGGER audit_log_no_delete' : 'ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change');
      if (name === 'SQLite') await db.exec('DROP TRIGGER audit_log_no_update');
      await db.exec('DELETE FROM audit_log WHERE seq = 2');
      await db.exec('UPDATE audit_log SET seq = seq - 1 WHERE seq > 2');
      const r = await runCli(['audit', 'verify'], '', db.env);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/BROKEN at entry 2 .*does not chain from entry 1/);
    });

    it('exports jsonl and csv, filtered by thread and time', async () => {
      await fill(db.store, 3);
      await new AuditLog(db.store).record({ action: 'paste-matched', thread: 'console:local:main', actor: { id: 'bob', name: '=cmd|calc' }, at: new Date('2026-12-03T12:00:00Z') });
      const jsonl = await runCli(['audit', 'export', '--thread', 'slack:T0:C0:1.1'], '', db.env);
      expect(jsonl.code).toBe(0);
      const lines = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l) as { seq: number; detail: { n: number } });
      expect(lines.map((l) => l.seq)).toEqual([1, 2, 3]);
      expect(lines[1]!.detail.n).toBe(2);
      const csv = await runCli(['audit', 'export', '--format', 'csv', '--since', '2026-12-03T11:00:00Z'], '', db.env);
      const rows = csv.stdout.trim().split('\n');
      expect(rows[0]).toBe('seq,at,actorPlatform,actorId,actorName,thread,session,step,action,detail,prevHash,hash');
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatch(/^4,[^,]+,console,bob,'=cmd\|calc,console:local:main,,,paste-matched,\{\},/);
      const bad = await runCli(['audit', 'export', '--format', 'xml'], '', db.env);
      expect(bad.code).toBe(2);
    });
  });
}

suite('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ehlo-audit-'));
  const path = join(dir, 'ehlo.sqlite');
  return {
    store: new SqliteStore({ path }),
    env: { EHLO_SQLITE_PATH: path, DATABASE_URL: '', EHLO_CONFIG: '' },
    exec: async (sql) => {
      const raw = new DatabaseSync(path);
      try {
        raw.exec(sql);
      } finally {
        raw.close();
      }
    },
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe.runIf(PG_URL)('PostgreSQL', () => {
  suite('PostgreSQL', async () => {
    const schema = uniqueSchema();
    return {
      store: new PostgresStore({ url: PG_URL, schema }),
      env: { DATABASE_URL: PG_URL, EHLO_DB_SCHEMA: schema, EHLO_CONFIG: '' },
      exec: async (sql) => {
        const pool = new pg.Pool({ connectionString: PG_URL, max: 1, options: `-c search_path=${schema}` });
        try {
          await pool.query(sql);
        } finally {
          await pool.end();
        }
      },
      dispose: () => dropSchema(schema),
    };
  });
});
