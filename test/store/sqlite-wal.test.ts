// enableWal: the WAL switch is tried again while another process holds the file, and gives up with
// SQLite's own error once the timeout has passed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enableWal } from '../../src/store/sqlite-wal.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A child process that holds an exclusive lock on `path` for `ms`, resolving once it holds it. */
function holdLock(path: string, ms: number): Promise<ChildProcess> {
  const code = `import { DatabaseSync } from 'node:sqlite';
const db = new DatabaseSync(${JSON.stringify(path)});
db.exec('CREATE TABLE IF NOT EXISTS t (x)');
db.exec('BEGIN EXCLUSIVE');
db.exec('INSERT INTO t VALUES (1)');
process.stdout.write('locked\\n');
setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${ms});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) resolve(child);
    });
    child.on('error', reject);
    child.on('exit', (c) => reject(new Error(`lock holder exited ${c} before locking`)));
  });
}

function newFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ehlo-wal-'));
  dirs.push(dir);
  return join(dir, 'x.sqlite');
}

describe('enableWal', () => {
  it('waits for another process to let go of the file, then switches to WAL', async () => {
    const path = newFile();
    await holdLock(path, 300);
    const db = new DatabaseSync(path);
    db.exec('PRAGMA busy_timeout = 0');
    enableWal(db, 5_000);
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    db.close();
  });

  it("gives up with SQLite's error once the timeout has passed", async () => {
    const path = newFile();
    await holdLock(path, 3_000);
    const db = new DatabaseSync(path);
    db.exec('PRAGMA busy_timeout = 0');
    expect(() => enableWal(db, 50)).toThrow(/database is locked/);
    db.close();
  });
});
