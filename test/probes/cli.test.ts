// `ehlo probe` as a user runs it: a child process, env overrides, exit codes and the exact JSON contract.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { DnsServer } from '../helpers/dns-server.ts';
import { startRawServer, startSmtp } from '../helpers/smtp.ts';
import type { Listening } from '../helpers/smtp.ts';

const BIN = join(import.meta.dirname, '../../bin/ehlo.js');
let dns: DnsServer;
let smtp: Listening;

beforeAll(async () => {
  dns = await startDnsServer([{ name: 'mail.example.test', type: 'A', data: '127.0.0.1' }]);
  smtp = await startSmtp({ name: 'mail.example.test' });
});
afterAll(async () => {
  await Promise.all([dns.close(), smtp.close()]);
});

function ehlo(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, EHLO_PROBE_ALLOW: '*.test,127.0.0.0/8', EHLO_DNS_SERVERS: dns.server, ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('ehlo probe', () => {
  it('prints the exact JSON contract and exits 0 when the probe ran', async () => {
    const r = await ehlo(['probe', 'smtp', `mail.example.test:${smtp.port}`, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['probe', 'target', 'startedAt', 'ms', 'status', 'findings', 'transcript']);
    expect(out).toMatchObject({ probe: 'smtp', target: `mail.example.test:${smtp.port}`, status: 'fail' });
    expect(new Date(out.startedAt).toISOString()).toBe(out.startedAt);
    expect(out.findings).toContainEqual(expect.objectContaining({ severity: 'fail', code: 'starttls-missing', playbook: 'starttls-required-forced-tls' }));
    for (const f of out.findings) expect(Object.keys(f).every((k) => ['severity', 'code', 'message', 'playbook'].includes(k))).toBe(true);
    expect(out.transcript[1]).toMatch(/^S: 220 mail\.example\.test/);
  });

  it('prints a readable findings list by default', async () => {
    const r = await ehlo(['probe', 'smtp', `mail.example.test:${smtp.port}`, '--quit-after', 'ehlo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^smtp mail\\.example\\.test:${smtp.port}: WARN \\(\\d+ ms\\)\\n  ✓ 220 greeting`));
    expect(r.stdout).toMatch(/^ {2}· offers: /m);
    expect(r.stdout).toMatch(/^ {2}! PLAIN LOGIN offered before STARTTLS/m);
  });

  it('exits 3 when the policy refuses, naming the rule', async () => {
    const r = await ehlo(['probe', 'http', 'http://169.254.169.254/latest/meta-data/', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'refused', findings: [{ code: 'policy-refused', message: expect.stringMatching(/^refused by rule address-class: 169\.254\.169\.254 is a metadata address/) }] });
  });

  it('exits 1 when the probe could not run', async () => {
    const gone = await startRawServer(() => undefined);
    await gone.close();
    const r = await ehlo(['probe', 'smtp', `127.0.0.1:${gone.port}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ 127\.0\.0\.1:\d+: connection refused → playbook smtp-connection-failed/);
  });

  it.each([
    [['probe', 'finger', 'example.test']],
    [['probe', 'ptr', 'not-an-ip']],
    [['probe', 'smtp', 'mail.example.test', '--port', '70000']],
    [['probe', 'smtp', 'mail.example.test', '--quit-after', 'data']],
    [['probe', 'smtp']],
  ])('exits 2 on usage errors: %j', async (args) => {
    const r = await ehlo(args);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toBe('');
  });

  it('exits 2 on a bad EHLO_PROBE_ALLOW entry, naming it', async () => {
    const r = await ehlo(['probe', 'dns', 'contoso.test'], { EHLO_PROBE_ALLOW: '10.0.0.0/99' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/environment EHLO_PROBE_ALLOW › probes\.allow\[0\]: allow entries are domains/);
  });

  it('reads a probes: section from --config, with the environment on top', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-probe-'));
    const file = join(dir, 'ehlo.yaml');
    writeFileSync(file, `probes:\n  allow: ["*.test"]\n  dnsblZones: [bl.example.test]\n`);
    const r = await ehlo(['probe', 'dnsbl', '127.0.0.2', '--config', file, '--json'], { EHLO_PROBE_ALLOW: '' });
    expect(r.code).toBe(3);
    const withEnv = await ehlo(['probe', 'dnsbl', '127.0.0.2', '--config', file, '--json']);
    expect(withEnv.code).toBe(0);
    expect(JSON.parse(withEnv.stdout).findings[0].message).toMatch(/not listed on 1 of 1 zone\(s\): bl\.example\.test/);
  });
});
