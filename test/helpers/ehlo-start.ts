// An `ehlo start` process serving Slack on a free loopback port: spawned with the given environment,
// resolved once its banner names the port (or rejected with its stderr when it exits or stays silent).
import { spawn, type ChildProcess } from 'node:child_process';
import { EHLO_BIN } from './run-cli.ts';

export interface StartedEhlo {
  child: ChildProcess;
  /** The Slack events endpoint. */
  url: string;
  exited: Promise<number | null>;
  stderr(): string;
}

export async function spawnSlackReplica(env: NodeJS.ProcessEnv, name = 'ehlo start'): Promise<StartedEhlo> {
  const child = spawn(process.execPath, [EHLO_BIN, 'start'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not listen: ${stderr}`)), 30_000);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const m = /slack listening on 127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then((code) => reject(new Error(`${name} exited ${code}: ${stderr}`)));
  });
  return { child, url: `http://127.0.0.1:${port}/slack/events`, exited, stderr: () => stderr };
}
