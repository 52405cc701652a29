// Rate limits: the RateStore implementations, and limits that hold across processes (the CLI runs one per probe).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryRateStore, ProbeLimiter, SqliteRateStore } from '../../src/probes/limits.ts';
import type { RateStore } from '../../src/probes/limits.ts';
import { defaultProbeConfig } from '../../src/probes/config.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { DnsServer } from '../helpers/dns-server.ts';
import { runCli } from '../helpers/run-cli.ts';

const LIMITS = fileURLToPath(new URL('../../src/probes/limits.ts', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'ehlo-limits-'));

describe.each([
  ['memory', () => new MemoryRateStore()],
  ['sqlite', () => new SqliteRateStore(join(tmp(), 'rates.sqlite'))],
] as const)('%s RateStore', (_name, make: () => RateStore) => {
  it('allows max hits per window, then says how long to wait', async () => {
    const store = make();
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(await store.hit('t:a', 60_000, 3, t0 + i)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await store.hit('t:a', 60_000, 3, t0 + 10)).toEqual({ allowed: false, retryAfterMs: 59_990 });
    expect((await store.hit('t:b', 60_000, 3, t0 + 10)).allowed).toBe(true);
    expect((await store.hit('t:a', 60_000, 3, t0 + 60_001)).allowed).toBe(true);
  });
});

describe('SqliteRateStore', () => {
  it('creates its file readable by the owner only', async () => {
    const path = join(tmp(), 'sub', 'rates.sqlite');
    await new SqliteRateStore(path).hit('k', 1000, 1);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('shares one limit between two processes hitting the same file at once', async () => {
    const path = join(tmp(), 'rates.sqlite');
    const child = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const code = `import { SqliteRateStore } from ${JSON.stringify(LIMITS)};
const s = new SqliteRateStore(${JSON.stringify(path)});
let ok = 0;
for (let i = 0; i < 40; i++) if ((await s.hit('t:mail.contoso.test', 60000, 50)).allowed) ok++;
process.stdout.write(String(ok));`;
        const p = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('error', reject);
        p.on('close', (c) => (c === 0 ? resolve(Number(out)) : reject(new Error(`child exited ${c}`))));
      });
    const [a, b] = await Promise.all([child(), child()]);
    expect(a + b).toBe(50);
  });

  it('lets ProbeLimiter refuse by rule with the time to wait', async () => {
    const limiter = new ProbeLimiter(new SqliteRateStore(join(tmp(), 'rates.sqlite')));
    const limits = { ...defaultProbeConfig().limits, perTargetPerMinute: 1 };
    const first = await limiter.acquire('mail.contoso.test', undefined, limits);
    expect('release' in first).toBe(true);
    const second = await limiter.acquire('mail.contoso.test', undefined, limits);
    expect(second).toMatchObject({ rule: 'limits.perTargetPerMinute' });
    expect((second as { message: string }).message).toMatch(/try again in \d+ s/);
  });
});

describe('ehlo probe across processes', () => {
  let dns: DnsServer;
  beforeAll(async () => {
    dns = await startDnsServer([]);
  });
  afterAll(() => dns.close());

  it('refuses the third back-to-back CLI probe of one target when the limit is 2 a minute', async () => {
    const dir = tmp();
    const config = join(dir, 'ehlo.config.yaml');
    writeFileSync(config, `probes:\n  allow: ['127.0.0.0/8']\n  dnsServers: ['${dns.server}']\n  limits: { perTargetPerMinute: 2 }\n`);
    const env = { EHLO_SQLITE_PATH: join(dir, 'data', 'ehlo.sqlite'), EHLO_PROBE_ALLOW: '', EHLO_DNS_SERVERS: '' };
    const run = () => runCli(['probe', 'ptr', '127.0.0.1', '--json', '--config', config], '', env);
    const first = await run();
    const second = await run();
    const third = await run();
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(third.code).toBe(3);
    expect(JSON.parse(third.stdout)).toMatchObject({ status: 'refused', findings: [{ code: 'policy-refused' }] });
    expect(JSON.parse(third.stdout).findings[0].message).toMatch(/limits\.perTargetPerMinute/);
    expect(statSync(join(dir, 'data', 'probe-limits.sqlite')).mode & 0o777).toBe(0o600);
  });
});
