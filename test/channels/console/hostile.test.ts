// The console against what people and machines really do to it: a 20 KB single-line paste typed into
// a real terminal (a pseudo-terminal made by util-linux `script`, whose line mode would cut it at
// 4,095 bytes), a thousand lines pasted without the empty line and then `status`, the files it
// writes (owner-only), and a store file someone truncated to 0 bytes.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENV_SETTINGS } from '../../../src/config.ts';
import { EHLO_BIN, runCli } from '../../helpers/run-cli.ts';
import { ConsoleDriver } from './driver.ts';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ehlo-console-hostile-'));
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

const SCRIPT = '/usr/bin/script';

describe('the console in a real terminal', () => {
  // Needs util-linux `script` for a pseudo-terminal; skipped where it is absent.
  it.runIf(existsSync(SCRIPT))('reads a 20 KB single-line paste whole (the terminal line mode would cut it at 4,095 bytes)', async () => {
    const line = `${'filler '.repeat(2900)} 550 5.1.1 RESOLVER.ADR.RecipNotFound; not found`;
    expect(line.length).toBeGreaterThan(20_000);
    const child = spawn(SCRIPT, ['-qfec', `${process.execPath} ${EHLO_BIN} start`, '/dev/null'], { cwd: dir, env: { ...process.env, ...env, COLUMNS: '120' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const until = async (pattern: RegExp): Promise<void> => {
      for (let i = 0; i < 400 && !pattern.test(out); i++) await sleep(25);
    };
    await until(/Paste an error/);
    child.stdin.write(`${line}\r\r`);
    await until(/Diagnosis: Recipient address not|No playbook matches/);
    child.stdin.write('quit\r');
    await Promise.race([closed, sleep(5000)]);
    child.kill();
    expect(out).toMatch(/Diagnosis: Recipient address not/);
    const log = readFileSync(join(dir, 'data', 'ehlo.log'), 'utf8');
    expect(log).toMatch(new RegExp(`"chars":${line.length}\\b`));
  });
});

describe('the console over a pipe', () => {
  it('answers status after a thousand pasted lines that never got their empty line', async () => {
    const driver = new ConsoleDriver([], env, dir);
    await driver.waitFor(/Paste an error/);
    driver.write(`${Array.from({ length: 1000 }, (_, i) => `queue line ${i}: 451 4.4.0 Primary target IP address responded with: "421 4.4.2 Connection dropped"`).join('\n')}\n`);
    await sleep(800);
    const answered = await driver.send('status', /No walkthrough in this thread yet/);
    expect(answered).toMatch(/Diagnosis|No playbook/);
    expect(await driver.close()).toBe(0);
  });

  it('writes its store and log owner-only (0600) in an owner-only folder', async () => {
    const driver = new ConsoleDriver([], env, dir);
    await driver.waitFor(/Paste an error/);
    await driver.send('550 5.1.1 RESOLVER.ADR.RecipNotFound; not found\n', /Diagnosis/);
    expect(await driver.close()).toBe(0);
    for (const f of ['ehlo.sqlite', 'ehlo.log']) expect((statSync(join(dir, 'data', f)).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(join(dir, 'data')).mode & 0o777).toString(8)).toBe('700');
  });

  it('refuses a store file truncated to 0 bytes instead of silently starting empty, and says what to do', async () => {
    const driver = new ConsoleDriver([], env, dir);
    await driver.waitFor(/Paste an error/);
    expect(await driver.close()).toBe(0);
    writeFileSync(join(dir, 'data', 'ehlo.sqlite'), '');
    rmSync(join(dir, 'data', 'ehlo.sqlite-wal'), { force: true });
    rmSync(join(dir, 'data', 'ehlo.sqlite-shm'), { force: true });
    // Truncated a while ago: not a file another process is creating right now.
    const old = new Date(Date.now() - 120_000);
    utimesSync(join(dir, 'data', 'ehlo.sqlite'), old, old);
    const r = await runCli(['config', 'check', '--store'], '', env);
    expect(`${r.stdout}${r.stderr}`).toMatch(/is empty \(0 bytes\).*move it aside/s);
    expect(statSync(join(dir, 'data', 'ehlo.sqlite')).size).toBe(0);
  });
});
