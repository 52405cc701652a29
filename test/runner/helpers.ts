// Probe runners in tests: a real `ehlo runner` child process per runner (its own config file, so its
// own allowlist), a pg-boss schema per test file, a PostgreSQL role limited to that schema as README
// "Probe runners" documents, and a replica-side queue executor for the test's conversation cores.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg, { type Pool } from 'pg';
import pino from 'pino';
import { stringify } from 'yaml';
import { InProcessExecutor } from '../../src/probes/executor.ts';
import type { ProbeConfig } from '../../src/probes/config.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import { RunnersConfig, zoneMapOf } from '../../src/runner/config.ts';
import { QueueExecutor } from '../../src/runner/queue-executor.ts';
import { EHLO_BIN } from '../helpers/run-cli.ts';
import { PG_URL } from '../helpers/pg.ts';

/** Fast supervision and heartbeat refresh so failover and cancel happen within seconds in tests. */
export function testRunners(schema: string, over: Partial<RunnersConfig> = {}): RunnersConfig {
  return RunnersConfig.parse({ schema, superviseSeconds: 1, heartbeatRefreshSeconds: 0.3, pollMs: 50, deadlineMs: 20_000, ...over });
}

export function uniqueQueueSchema(): string {
  return `pgboss_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export function replicaExecutor(runners: RunnersConfig, probes: ProbeConfig): QueueExecutor {
  return new QueueExecutor({ url: PG_URL, runners, zones: zoneMapOf(runners), local: new InProcessExecutor(probes, new ProbeLimiter()), logger: pino({ level: 'silent' }) });
}

async function admin<T>(work: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

/**
 * A login role with only the grants README "Probe runners" lists, on the queue schema (installed by a
 * replica first); returns the runners' DATABASE_URL.
 */
export async function runnerRole(schema: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const role = `ehlo_runner_${Math.random().toString(36).slice(2, 10)}`;
  await admin(async (pool) => {
    await pool.query(`CREATE ROLE ${role} LOGIN`);
    await pool.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
    await pool.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
    await pool.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
    await pool.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO ${role}`);
    await pool.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
  });
  const u = new URL(PG_URL);
  u.username = role;
  u.password = '';
  return {
    url: u.toString(),
    drop: () =>
      admin(async (pool) => {
        await pool.query(`DROP OWNED BY ${role} CASCADE`).catch(() => undefined);
        await pool.query(`DROP ROLE IF EXISTS ${role}`);
      }),
  };
}

export async function dropQueueSchema(schema: string): Promise<void> {
  await admin((pool) => pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
}

export interface RunnerChild {
  name: string;
  zone: string;
  child: ChildProcess;
  port: number;
  stderr(): string;
  /** SIGTERM and wait for the exit (SIGKILL with `kill`). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface RunnerSpec {
  zone: string;
  name: string;
  url: string;
  runners: RunnersConfig;
  /** The runner's own probes section (its allowlist). */
  probes: Record<string, unknown>;
}

/** Start `ehlo runner --zone …` in a child process; resolves once it takes jobs. */
export async function startRunner(spec: RunnerSpec): Promise<RunnerChild> {
  const dir = mkdtempSync(join(tmpdir(), 'ehlo-runner-'));
  const file = join(dir, 'ehlo.config.yaml');
  const { databaseUrl: _ignored, ...runners } = spec.runners;
  void _ignored;
  writeFileSync(file, stringify({ probes: spec.probes, runners: { ...runners, databaseUrl: spec.url }, server: { port: 0, host: '127.0.0.1' }, logging: { level: 'info', format: 'json' } }));
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', EHLO_QUEUE_DATABASE_URL: '', EHLO_PROBE_ALLOW: '', EHLO_PROBE_ZONES: '', EHLO_QUEUE_SCHEMA: '', PORT: '', EHLO_HTTP_HOST: '', EHLO_LOG_LEVEL: '', EHLO_LOG_FORMAT: '' };
  const child = spawn(process.execPath, [EHLO_BIN, 'runner', '--zone', spec.zone, '--name', spec.name, '--config', file, '--grace', '2000'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`runner ${spec.name} did not start:\n${err}\n${out}`)), 30_000);
    const look = (): void => {
      const m = /GET \/livez \/readyz \/metrics on [\d.]+:(\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stderr!.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`runner ${spec.name} exited (${code}) before taking jobs:\n${err}\n${out}`));
    });
  });
  return {
    name: spec.name,
    zone: spec.zone,
    child,
    port,
    stderr: () => err + out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Wait for a condition (bounded): the tests' only waiting. */
export async function until(test: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
