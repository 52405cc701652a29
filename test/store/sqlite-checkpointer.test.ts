// The write-ahead log of a SQLite store is checkpointed on a thread of its own (sqlite-checkpointer.ts):
// the writer's commits stop doing it, the thread copies the log into the file, closing the store folds
// the log in, and a thread that cannot checkpoint hands the work back.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Checkpointer } from '../../src/store/sqlite-checkpointer.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import type { AuditFields } from '../../src/audit/chain.ts';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function newPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ehlo-ckpt-'));
  dirs.push(dir);
  return join(dir, 'ehlo.sqlite');
}

function open(path: string, options: { backgroundCheckpoints?: boolean } = {}): SqliteStore {
  const s = new SqliteStore({ path, ...options });
  stores.push(s);
  return s;
}

const entry = (i: number): AuditFields => ({
  at: new Date(Date.UTC(2026, 11, 7, 0, 0, i)).toISOString(), actorPlatform: 'teams', actorId: `u${i}`, actorName: 'Tester',
  thread: `t-${i % 7}`, session: '', step: '', action: 'note', detail: JSON.stringify({ n: i, pad: 'x'.repeat(600) }),
});

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('background checkpoints of a SQLite store', () => {
  it('a file store hands its checkpoints to a thread after the first write, which copies the log into the file', async () => {
    const path = newPath();
    const store = open(path);
    await store.migrate();
    expect(store.checkpoints).toBeDefined();
    for (let i = 0; i < 300; i++) await store.appendAudit(entry(i));
    store.checkpoints?.now();
    await until('the thread copied frames', () => (store.checkpoints?.copied ?? 0) > 0);
    expect(store.checkpoints?.lastLog).toBeGreaterThan(0);
    // Everything committed is there, read through the writer's connection.
    expect((await store.readAudit({ limit: 1000 })).length).toBe(300);
  });

  it('closing the store stops the thread first, so the last close folds the log into the file', async () => {
    const path = newPath();
    const store = open(path);
    await store.migrate();
    for (let i = 0; i < 50; i++) await store.appendAudit(entry(i));
    expect(existsSync(`${path}-wal`)).toBe(true);
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const again = open(path);
    const read = await again.readAudit({ limit: 100 });
    expect(read.length).toBe(50);
    expect(read.some((e) => e.actorId === 'u49')).toBe(true);
  });

  it('the log stays bounded while the writer keeps committing', async () => {
    const path = newPath();
    const store = open(path);
    await store.migrate();
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 200; i++) await store.appendAudit(entry(round * 200 + i));
      const before = store.checkpoints?.copied ?? 0;
      store.checkpoints?.now();
      await until('a checkpoint after the round', () => (store.checkpoints?.copied ?? 0) > before);
    }
    // 1,200 commits of ~1 KB each: without checkpoints the log would hold every page written (several MB);
    // checkpointed after every 200, the writer starts it over and it never grows past a round's pages.
    expect(statSync(`${path}-wal`).size).toBeLessThan(4 * 1024 * 1024);
    const tail = await store.readAudit({ afterSeq: 1100, limit: 1000 });
    expect(tail.length).toBe(100);
    expect(tail.at(-1)?.seq).toBe(1200);
  });

  it('backgroundCheckpoints: false keeps SQLite checkpointing in the commits; so does an in-memory store', async () => {
    const path = newPath();
    const store = open(path, { backgroundCheckpoints: false });
    await store.migrate();
    await store.appendAudit(entry(1));
    expect(store.checkpoints).toBeUndefined();
    const memory = open(':memory:');
    await memory.migrate();
    await memory.appendAudit(entry(2));
    expect(memory.checkpoints).toBeUndefined();
  });

  it('a store used again after close opens its file without a thread (nothing would stop it)', async () => {
    const path = newPath();
    const store = open(path);
    await store.migrate();
    await store.appendAudit(entry(1));
    expect(store.checkpoints).toBeDefined();
    await store.close();
    await store.appendAudit(entry(2));
    expect(store.checkpoints).toBeUndefined();
    expect((await store.readAudit({ limit: 10 })).length).toBe(2);
  });

  it('a thread whose store file was removed stops and creates no file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-ckpt-'));
    dirs.push(dir);
    const path = join(dir, 'gone.sqlite');
    const reasons: string[] = [];
    const c = new Checkpointer(path, { busyMs: 10, idleMs: 10, onFail: (r) => reasons.push(r) });
    await until('the failure is reported', () => reasons.length > 0);
    await c.stop();
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a thread that cannot checkpoint says so once (the writer then checkpoints for itself)', async () => {
    const path = newPath();
    writeFileSync(path, 'this is not a SQLite database, only text long enough to have a header.'.repeat(20));
    const reasons: string[] = [];
    const c = new Checkpointer(path, { busyMs: 10, idleMs: 10, onFail: (r) => reasons.push(r) });
    c.now();
    await until('the failure is reported', () => reasons.length > 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/not a database|file is not|malformed/i);
    await c.stop();
  });
});
