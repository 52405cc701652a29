// Configuration: one YAML file with the environment on top, validated; problems name the setting
// and where it came from; `ehlo config check` prints what is in effect with secrets masked.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chosenChannels, ConfigError, ENV_SETTINGS, loadConfig, type ConfigProblem } from '../src/config.ts';
import { runCli } from './helpers/run-cli.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ehlo-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problems(fn: () => unknown): ConfigProblem[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses defaults when there is no file: SQLite, no probe targets allowed, info logs, console thread main', () => {
    const { config, file } = loadConfig({ env: {}, cwd: dir });
    expect(file).toBeUndefined();
    expect(config.store).toEqual({});
    expect(config.probes.allow).toEqual([]);
    expect(config.probes.timeouts.totalMs).toBe(30_000);
    expect(config.logging).toEqual({ level: 'info', format: 'auto' });
    expect(config.console.thread).toBe('main');
    expect(chosenChannels(config)).toEqual(['console']);
  });

  it('reads ehlo.config.yaml from the working folder, and the environment overrides it', () => {
    write('ehlo.config.yaml', 'store:\n  sqlitePath: state/ehlo.sqlite\nprobes:\n  allow: [contoso.com]\n  timeouts: { totalMs: 5000 }\nlogging:\n  level: debug\n');
    const { config, file, fromEnv } = loadConfig({ env: { EHLO_PROBE_ALLOW: '*.fabrikam.com, 203.0.113.0/24', EHLO_LOG_LEVEL: 'warn' }, cwd: dir });
    expect(file).toBe(join(dir, 'ehlo.config.yaml'));
    expect(config.store.sqlitePath).toBe('state/ehlo.sqlite');
    expect(config.probes.allow).toEqual(['*.fabrikam.com', '203.0.113.0/24']);
    expect(config.probes.timeouts.totalMs).toBe(5000);
    expect(config.logging.level).toBe('warn');
    expect([...fromEnv.entries()]).toEqual([['probes.allow', 'EHLO_PROBE_ALLOW'], ['logging.level', 'EHLO_LOG_LEVEL']]);
  });

  it('takes the PostgreSQL pool sizes from the file or the environment, and refuses a pool of none', () => {
    write('ehlo.config.yaml', 'store:\n  poolSize: 4\n');
    const { config } = loadConfig({ env: { EHLO_DB_LOCK_POOL: '6' }, cwd: dir });
    expect(config.store).toMatchObject({ poolSize: 4, lockPoolSize: 6 });
    expect(problems(() => loadConfig({ env: { EHLO_DB_POOL: '0' }, cwd: dir }))).toEqual([expect.objectContaining({ source: 'environment EHLO_DB_POOL', setting: 'store.poolSize' })]);
  });

  it('reads the file named by --config or EHLO_CONFIG, and says when it is missing', () => {
    const path = write('custom.yaml', 'console:\n  thread: ops\n');
    expect(loadConfig({ env: { EHLO_CONFIG: path }, cwd: dir }).config.console.thread).toBe('ops');
    expect(loadConfig({ file: 'custom.yaml', env: {}, cwd: dir }).config.console.thread).toBe('ops');
    expect(problems(() => loadConfig({ file: 'nope.yaml', env: {}, cwd: dir }))).toEqual([{ source: 'nope.yaml', setting: '', message: 'no such file' }]);
  });

  it('names every bad setting with its file or environment variable', () => {
    write('ehlo.config.yaml', 'probes:\n  timeouts:\n    totalMs: 999999999\n  colour: blue\nlogging:\n  format: xml\nstore:\n  databaseUrl: mysql://db\n');
    const found = problems(() => loadConfig({ env: { EHLO_DNS_SERVERS: '1.1.1.1,not-a-server', SLACK_BOT_TOKEN: 'xoxp-wrong' }, cwd: dir }));
    const text = found.map((p) => `${p.source} › ${p.setting}: ${p.message}`);
    expect(text).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ehlo\.config\.yaml › probes\.timeouts\.totalMs: Too big/),
        expect.stringMatching(/^ehlo\.config\.yaml › probes: Unrecognized key: "colour"/),
        expect.stringMatching(/^ehlo\.config\.yaml › logging\.format: Invalid option/),
        expect.stringMatching(/^ehlo\.config\.yaml › store\.databaseUrl: must be a PostgreSQL URL/),
        expect.stringMatching(/^environment EHLO_DNS_SERVERS › probes\.dnsServers\[1\]: DNS servers are ip or ip:port/),
        expect.stringMatching(/^environment SLACK_BOT_TOKEN › slack\.botToken: must be a bot token starting with xoxb-/),
      ]),
    );
    expect(found).toHaveLength(6);
  });

  it('reports YAML that does not parse, and a file that is not a mapping', () => {
    write('ehlo.config.yaml', 'probes:\n  allow: [a, b\n');
    expect(problems(() => loadConfig({ env: {}, cwd: dir }))[0]?.message).toMatch(/^not valid YAML/);
    write('ehlo.config.yaml', '- just\n- a list\n');
    expect(problems(() => loadConfig({ env: {}, cwd: dir }))[0]?.message).toMatch(/must be a mapping of sections/);
  });

  it('chooses a chat channel only when its credentials are complete', () => {
    const env = { SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef' };
    expect(chosenChannels(loadConfig({ env, cwd: dir }).config)).toEqual(['slack']);
    expect(chosenChannels(loadConfig({ env: { SLACK_BOT_TOKEN: 'xoxb-1-2-3' }, cwd: dir }).config)).toEqual(['console']);
  });
});

/** The child's environment without this machine's ehlo settings (an empty value counts as unset). */
const CLEAN = Object.fromEntries(['EHLO_CONFIG', ...ENV_SETTINGS.map((e) => e.name)].map((n) => [n, '']));

describe('ehlo config check', () => {
  it('prints the settings in effect with secrets masked, exit 0', async () => {
    const path = write('ok.yaml', 'store:\n  databaseUrl: postgres://ehlo:s3cret@db.internal:5432/ehlo\nprobes:\n  allow: ["*"]\n');
    const r = await runCli(['config', 'check', '--config', path], '', { ...CLEAN, SLACK_BOT_TOKEN: 'xoxb-123-456' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Configuration: ${path} + environment (SLACK_BOT_TOKEN)`);
    expect(r.stdout).toContain('PostgreSQL postgres://ehlo:***@db.internal:5432/ehlo');
    expect(r.stdout).toContain('bot token set');
    expect(r.stdout).not.toMatch(/s3cret|xoxb-123/);
    expect(r.stdout).toMatch(/ehlo start opens: console\nThe configuration is valid\./);
  });

  it('lists every problem with its setting and source, exit 2', async () => {
    const path = write('bad.yaml', 'logging:\n  level: loud\n');
    const r = await runCli(['config', 'check', '--config', path], '', { ...CLEAN, EHLO_PROBE_ALLOW: 'not a domain!' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2 configuration problem\(s\)/);
    expect(r.stderr).toContain(`bad.yaml › logging.level: Invalid option`);
    expect(r.stderr).toContain('environment EHLO_PROBE_ALLOW › probes.allow[0]: allow entries are domains');
  });

  it('with --store opens the store and reports its health', async () => {
    const r = await runCli(['config', 'check', '--store'], '', { ...CLEAN, EHLO_SQLITE_PATH: join(dir, 'h.sqlite') });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/store health: ok \(SQLite .*h\.sqlite, schema version \d+\)/);
  });
});
