// Kill the process in the middle of a walkthrough (SIGKILL), start it again: the session resumes
// where it was, nothing lost, nothing applied twice. Against both stores.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createStore, type StoreConfig } from '../../src/store/create.ts';
import { modelOutcome, modelPlaybook } from './fixtures/playbooks.ts';
import { pressScript } from './fixtures/press-script.ts';

const WORKER = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));
const THREAD = 'slack:C0CRASH:1700000000.000100';
const playbook = modelPlaybook();
const presses = pressScript(playbook);
const expectedNotes = presses.flatMap((p) => (p.kind === 'act' && p.action.type === 'note' ? [p.action.text] : []));

interface Line {
  i: number;
  kind: string;
  replayed?: boolean;
  rejection?: string;
  message?: string;
}

interface Run {
  lines: Line[];
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/** Run the worker; with `killAfter`, SIGKILL it as soon as it has reported that many outcomes. */
function runWorker(config: StoreConfig, killAfter?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, JSON.stringify({ ...config, threadKey: THREAD })], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Line[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (text) => {
      lines.push(JSON.parse(text) as Line);
      if (lines.length === killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ lines, signal, code, stderr }));
  });
}

async function storedSession(config: StoreConfig) {
  const store = createStore(config);
  try {
    return await store.getSessionByThread(THREAD);
  } finally {
    await store.close();
  }
}

/** Whatever was acknowledged is stored; the notes are exactly a prefix of the script (no gap, no double). */
async function expectNothingLost(config: StoreConfig, acknowledged: number): Promise<void> {
  const session = await storedSession(config);
  expect(session).toBeDefined();
  expect(session!.version).toBeGreaterThanOrEqual(acknowledged);
  const notes = session!.notes.map((n) => n.text);
  expect(notes).toEqual(expectedNotes.slice(0, notes.length));
  expect(session!.timeline.length).toBe(session!.version + (session!.status === 'finished' ? 1 : 0));
}

async function crashAndResume(config: StoreConfig): Promise<void> {
  const first = await runWorker(config, 20);
  expect(first.signal, first.stderr).toBe('SIGKILL');
  expect(first.lines.every((l) => l.kind === 'applied' && l.replayed === false)).toBe(true);
  await expectNothingLost(config, first.lines.length);

  const second = await runWorker(config, first.lines.length + 60);
  expect(second.signal, second.stderr).toBe('SIGKILL');
  expect(second.lines.slice(0, first.lines.length).every((l) => l.replayed === true)).toBe(true);
  await expectNothingLost(config, second.lines.filter((l) => l.kind === 'applied').length);

  const last = await runWorker(config);
  expect(last.code, last.stderr).toBe(0);
  expect(last.lines).toHaveLength(presses.length);
  expect(last.lines.filter((l) => l.kind !== 'applied')).toEqual([]);

  // Each press was applied (not replayed) by exactly one run, at most: never twice.
  const appliedBy = new Map<number, number>();
  for (const run of [first, second, last]) for (const l of run.lines) if (l.replayed === false) appliedBy.set(l.i, (appliedBy.get(l.i) ?? 0) + 1);
  expect([...appliedBy.values()].every((n) => n === 1)).toBe(true);

  const session = await storedSession(config);
  expect(session).toMatchObject({ status: 'finished', cursor: null, version: presses.length });
  expect(session!.notes.map((n) => n.text)).toEqual(expectedNotes);
  expect(Object.values(session!.steps).map((s) => s.status)).toEqual(playbook.steps.map((s) => modelOutcome(s.id)));
  expect(session!.timeline.filter((e) => e.action === 'done')).toHaveLength(playbook.steps.filter((s) => modelOutcome(s.id) === 'done').length);
}

/** Two processes (two replicas) receive every press at once, as a platform retry racing the original would. */
async function raceTwoProcesses(config: StoreConfig): Promise<void> {
  const runs = await Promise.all([runWorker(config), runWorker(config)]);
  for (const run of runs) {
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines.filter((l) => l.kind !== 'applied')).toEqual([]);
  }
  const firsts = runs.flatMap((run) => run.lines.filter((l) => l.replayed === false).map((l) => l.i));
  expect(firsts.sort((a, b) => a - b)).toEqual(presses.map((_, i) => i));
  const session = await storedSession(config);
  expect(session).toMatchObject({ status: 'finished', version: presses.length });
  expect(session!.notes.map((n) => n.text)).toEqual(expectedNotes);
}

describe('a walkthrough survives SIGKILL on SQLite', () => {
  it('resumes where it was, nothing lost, nothing applied twice', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-crash-'));
    try {
      await crashAndResume({ sqlitePath: join(dir, 'ehlo.sqlite') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('two processes pressing the same buttons at once on SQLite', () => {
  it('apply each press exactly once between them', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-race-'));
    try {
      await raceTwoProcesses({ sqlitePath: join(dir, 'ehlo.sqlite') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(process.env.DATABASE_URL)('two processes pressing the same buttons at once on PostgreSQL', () => {
  it('apply each press exactly once between them', { timeout: 60_000 }, async () => {
    const url = process.env.DATABASE_URL!;
    const schema = `ehlo_race_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    try {
      await raceTwoProcesses({ databaseUrl: url, schema });
    } finally {
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    }
  });
});

describe.runIf(process.env.DATABASE_URL)('a walkthrough survives SIGKILL on PostgreSQL', () => {
  it('resumes where it was, nothing lost, nothing applied twice', { timeout: 60_000 }, async () => {
    const url = process.env.DATABASE_URL!;
    const schema = `ehlo_crash_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    try {
      await crashAndResume({ databaseUrl: url, schema });
    } finally {
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    }
  });
});
