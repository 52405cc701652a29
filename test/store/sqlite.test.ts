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
import { emptyThread } from '../../src/conversation/state/thread-state.ts';

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

  it('marks a delivery finished on release with the next transaction, alone soon after, or on close: a late copy is dropped', async () => {
    const dir = tempDir();
    const path = join(dir, 'ehlo.sqlite');
    const store = new SqliteStore({ path });
    await store.migrate();
    const lease = 60_000;
    const finish = (key: string) => store.withThreadLock('t-fin', (p) => Promise.resolve(p?.finishOnRelease?.(key, minute(1))));
    const lateCopy = (s: SqliteStore, key: string) => s.claimDelivery(key, lease, minute(10));
    for (const key of ['k-next', 'k-alone', 'k-close']) expect(await store.claimDelivery(key, lease, minute(0))).toBe(true);
    // The lock hands over the thread's state too (no read of its own afterwards).
    await store.putThread({ ...emptyThread('t-fin', minute(0)), version: 1 }, 0);
    expect((await store.withThreadLock('t-fin', (p) => Promise.resolve(p?.doc)))?.version).toBe(1);
    await finish('k-next');
    await store.commitEvent({ audit: [{ at: minute(1).toISOString(), actorPlatform: 'teams', actorId: 'a', actorName: 'A', thread: 't-fin', session: '', step: '', action: 'note', detail: '{}' }] });
    expect(await lateCopy(store, 'k-next')).toBe(false);
    await finish('k-alone');
    const peek = new DatabaseSync(path);
    let alone = true;
    for (let i = 0; i < 200 && alone; i++) {
      await new Promise((r) => setTimeout(r, 10));
      alone = (peek.prepare('SELECT done_at FROM deliveries WHERE key = ?').get('k-alone') as { done_at: string | null }).done_at === null;
    }
    peek.close();
    expect(alone).toBe(false);
    await finish('k-close');
    await store.close();
    const again = new SqliteStore({ path });
    expect(await lateCopy(again, 'k-close')).toBe(false);
    // A claim never finished is taken over once its lease ran out.
    expect(await again.claimDelivery('k-open', lease, minute(0))).toBe(true);
    expect(await lateCopy(again, 'k-open')).toBe(true);
    await again.close();
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
