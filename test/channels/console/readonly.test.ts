// A store folder the console's user cannot write (a read-only mount, wrong owner): the console says
// so in one line, shows the open walkthrough, refuses to change it with a clear message, and prints
// no stack trace. Needs root (to hand the files to another user) and util-linux `setpriv`; skipped
// elsewhere.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENV_SETTINGS } from '../../../src/config.ts';
import { EHLO_BIN } from '../../helpers/run-cli.ts';
import { ConsoleDriver } from './driver.ts';

const SETPRIV = '/usr/bin/setpriv';
const canDropPrivileges = process.getuid?.() === 0 && existsSync(SETPRIV);

function asNobody(env: NodeJS.ProcessEnv, cwd: string, input: string): Promise<{ out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(SETPRIV, ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, EHLO_BIN, 'start'], { cwd, env: { ...process.env, ...env, HOME: cwd }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', () => resolve({ out, err }));
    child.stdin.end(input);
  });
}

describe.runIf(canDropPrivileges)('the console on a store it cannot write', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ehlo-readonly-'));
    chmodSync(dir, 0o755);
    env = {
      ...Object.fromEntries(ENV_SETTINGS.map((e) => [e.name, ''])),
      EHLO_SQLITE_PATH: join(dir, 'data', 'ehlo.sqlite'),
      EHLO_LOG_FILE: join(dir, 'data', 'ehlo.log'),
      EHLO_USER: 'Alice',
      EHLO_CONFIG: '',
      NO_COLOR: '1',
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the open walkthrough, refuses changes with what to do, and prints no stack trace', async () => {
    const first = new ConsoleDriver([], env, dir);
    await first.waitFor(/Paste an error/);
    await first.send('550 5.1.1 RESOLVER.ADR.RecipNotFound; not found\n', /\[1\] Start walkthrough/);
    await first.send('1', /Step 1 of \d+/);
    expect(await first.close()).toBe(0);
    // The files stay root's, readable by all; the folder is not writable by the next user.
    chmodSync(join(dir, 'data'), 0o555);
    for (const f of readdirSync(join(dir, 'data'))) chmodSync(join(dir, 'data', f), 0o444);

    const { out, err } = await asNobody(env, dir, 'done\n');
    const all = `${out}${err}`;
    expect(out).toMatch(/READ-ONLY/);
    expect(out).toMatch(/Resuming the walkthrough of “Recipient address not found”/);
    expect(out).toMatch(/Step 1 of \d+/);
    expect(out).toMatch(/open read-only .*open walkthroughs can be shown but not changed/s);
    expect(all).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
