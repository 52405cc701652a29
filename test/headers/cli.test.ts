// `ehlo headers` and `ehlo match` on header pastes, through the real command (DESIGN.md section 4).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/run-cli.ts';

const fixture = (f: string) => fileURLToPath(new URL(`../fixtures/headers/${f}`, import.meta.url));

describe('ehlo headers', () => {
  it('--json prints the contract: hops, authentication, antispam, findings, verdict, matches', async () => {
    const r = await runCli(['headers', fixture('pp-sample-1197.txt'), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & { hops: Array<Record<string, unknown>>; matches: Array<{ playbook: string; topics: string[] }>; findings: Array<{ severity: string; code: string; span: [number, number] | null }> };
    for (const k of ['hops', 'authentication', 'antispam', 'findings', 'verdict', 'matches']) expect(out, k).toHaveProperty(k);
    expect(out.hops.map((h) => [h.from ?? null, h.by, h.time, h.delaySeconds])).toEqual([
      ['DESKTOP-KUIID83', 'smtp.gmail.com', '2023-07-31T23:37:38Z', 0],
      [null, 'mail-qk1-f196.google.com', '2023-08-01T01:35:55Z', 7097],
      ['mail-qk1-f196.google.com', 'mailin013.protonmail.ch', '2023-08-01T01:35:55Z', 0],
    ]);
    expect(out.hops[1]?.share).toBe(1);
    expect(out.verdict).toBe('match');
    expect(out.matches[0]?.topics).toEqual(['delivery-delayed']);
    const delay = out.findings.find((f) => f.code === 'hop-delay-long');
    expect(delay?.severity).toBe('fail');
    const text = readFileSync(fixture('pp-sample-1197.txt'), 'utf8');
    expect(text.slice(delay?.span?.[0], delay?.span?.[1]).startsWith('Received: by mail-qk1-f196.google.com with SMTP id')).toBe(true);
  });

  it('reads stdin and prints the hops table with delay bars', async () => {
    const r = await runCli(['headers'], readFileSync(fixture('pp-sample-1197.txt'), 'utf8'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Hops (3, 1 h 58 min in all), oldest first:');
    expect(r.stdout).toContain('1 h 58 min ████████████████████ 100%');
    expect(r.stdout).toContain('Read it: ehlo playbooks show delivery-delayed-dsn');
  });

  it('a missing file is a usage error', async () => {
    const r = await runCli(['headers', '/nonexistent/headers.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file');
  });
});

describe('ehlo match on a header paste', () => {
  it('returns the header diagnosis, not the text match', async () => {
    const r = await runCli(['match', fixture('pp-sample-1004.txt'), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { kind: string; verdict: string; matches: Array<{ playbook: string; why: Array<{ evidence: string }> }> };
    expect(out.kind).toBe('headers');
    expect(out.verdict).toBe('match');
    expect(out.matches[0]?.playbook).toBe('eop-inbound-spoof-compauth-fail');
    expect(out.matches[0]?.why.map((w) => w.evidence)).toContain('dmarc=fail action=quarantine for cyber.net.pk: the From domain\'s DMARC policy was applied');
  });

  it('a clean header block answers none', async () => {
    const r = await runCli(['match', fixture('pp-sample-1110.txt'), '--json']);
    const out = JSON.parse(r.stdout) as { verdict: string; matches: unknown[] };
    expect(out.verdict).toBe('none');
    expect(out.matches).toEqual([]);
  });
});
