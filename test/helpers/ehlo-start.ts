// An `ehlo start` process serving Slack and/or Teams on a free loopback port: spawned with the given
// environment, resolved once its banner names the port (or rejected with its stderr when it exits or
// stays silent). Which channels it opens is the environment's business (as for `ehlo start`).
import { spawn, type ChildProcess } from 'node:child_process';
import { ENV_SETTINGS } from '../../src/config.ts';
import { PG_URL } from './pg.ts';
import { EHLO_BIN } from './run-cli.ts';

export interface StartedEhlo {
  child: ChildProcess;
  /** The Slack events endpoint. */
  url: string;
  /** The Teams endpoint (POST /api/messages), when the environment configures Teams. */
  teamsUrl: string;
  port: number;
  exited: Promise<number | null>;
  stderr(): string;
}

export async function spawnReplica(env: NodeJS.ProcessEnv, name = 'ehlo start'): Promise<StartedEhlo> {
  const child = spawn(process.execPath, [EHLO_BIN, 'start'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not listen: ${stderr}`)), 30_000);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      // "ehlo: slack listening on …", "ehlo: slack and teams listening on …"
      const m = /ehlo: [a-z ]+ listening on 127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then((code) => reject(new Error(`${name} exited ${code}: ${stderr}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return { child, url: `${base}/slack/events`, teamsUrl: `${base}/api/messages`, port, exited, stderr: () => stderr };
}

/** A replica configured for Slack only (the runner tests and bench/replicas.ts). */
export const spawnSlackReplica = spawnReplica;

/**
 * The environment of a test replica on PostgreSQL: every ehlo setting of the caller's environment
 * cleared, a free loopback port, the schema, warn-level JSON logs; then `extra` (channels, zones…).
 */
export function replicaEnv(schema: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...Object.fromEntries(ENV_SETTINGS.map((e) => [e.name, ''])),
    EHLO_CONFIG: '',
    PORT: '0',
    EHLO_HTTP_HOST: '127.0.0.1',
    DATABASE_URL: PG_URL,
    EHLO_DB_SCHEMA: schema,
    EHLO_LOG_LEVEL: 'warn',
    EHLO_LOG_FORMAT: 'json',
    ...extra,
  };
}
