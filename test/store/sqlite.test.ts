import { LATEST_VERSION, MIGRATIONS } from '../../src/store/migrations.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/create.ts';
import { StoreUnavailableError } from '../../src/walkthrough/store.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { startSession } from '../../src/walkthrough/start.ts';
import { alice, minute, modelPlaybook } from '../walkthrough/fixtures/playbooks.ts';
import { storeContract } from './contract.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ehlo-sqlite-'));
}

storeContract('sqlite', async () => {
  const dir = tempDir();
  const blocker = join(dir, 'not-a-folder');
  writeFileSync(blocker, 'a file where the database folder should be');
  return {
    open: () => new SqliteStore({ path: join(dir, 'data', 'ehlo.sqlite') }),
    unreachable: () => new SqliteStore({ path: join(blocker, 'ehlo.sqlite') }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('SQLite specifics', () => {
  it('creates its folder and runs in WAL mode', async () => {
    const dir = tempDir();
    const path = join(dir, 'nested', 'ehlo.sqlite');
    const store = new SqliteStore({ path });
    await store.migrate();
    await store.close();
    const db = new DatabaseSync(path);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives up with StoreUnavailableError when another process holds the write lock past the busy timeout', async () => {
    const dir = tempDir();
    const path = join(dir, 'ehlo.sqlite');
    const store = new SqliteStore({ path, busyTimeoutMs: 50 });
    await store.migrate();
    const other = new DatabaseSync(path);
    other.exec('BEGIN IMMEDIATE');
    const r = startSession(modelPlaybook(), { id: 's1', threadKey: 't', actor: alice, at: minute(0) });
    if (!r.ok) throw new Error(r.rejection.message);
    const err = await store.save(r.session, 0).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as Error).message).toContain('database is locked');
    other.exec('ROLLBACK');
    expect(await store.save(r.session, 0)).toEqual({ status: 'saved' });
    other.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a database whose schema is newer than this code', async () => {
    const dir = tempDir();
    const path = join(dir, 'ehlo.sqlite');
    const store = new SqliteStore({ path });
    await store.migrate();
    const db = new DatabaseSync(path);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x')").run();
    db.close();
    await expect(store.migrate()).rejects.toThrow('schema version 99, newer than this ehlo knows');
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is what createStore returns without a DATABASE_URL, with :memory: allowed', async () => {
    const store = createStore({ sqlitePath: ':memory:' });
    expect(store.kind).toBe('sqlite');
    expect(await store.migrate()).toEqual({ applied: MIGRATIONS.map((m) => m.version), version: LATEST_VERSION });
    expect(createStore({ databaseUrl: '' }).where).toBe('SQLite data/ehlo.sqlite');
    await store.close();
  });
});

describe('an empty store file', () => {
  it('is refused when it was truncated a while ago, and opened when another process is creating it or its pages are in the WAL', async () => {
    const { prepareFile } = await import('../../src/store/files.ts');
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-empty-'));
    try {
      const path = join(dir, 'ehlo.sqlite');
      writeFileSync(path, '');
      expect(() => prepareFile(path)).not.toThrow();
      expect(() => prepareFile(path, Date.now() + 120_000)).toThrow(/is empty \(0 bytes\)/);
      writeFileSync(`${path}-wal`, 'pages not yet checkpointed');
      expect(() => prepareFile(path, Date.now() + 120_000)).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
