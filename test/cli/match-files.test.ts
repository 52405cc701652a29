import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ehlo-files-'));
const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });

describe('ehlo match FILE decodes .eml and refuses binaries', () => {
  it('matches the decoded text of a base64 .eml, not its encoded body', () => {
    const body = Buffer.from("Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'").toString('base64');
    const file = join(dir, 'bounce.eml');
    writeFileSync(file, `From: postmaster@contoso.com\r\nSubject: Undeliverable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n`);
    const r = run('match', file, '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { verdict: string; signals: { components: string[] } };
    expect(out.signals.components).toContain('RESOLVER.ADR.RecipNotFound');
  });

  it('says a binary file is one and exits 2, without matching it', () => {
    const file = join(dir, 'screenshot.png');
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]));
    const r = run('match', file, '--json');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/looks like a PNG image/);
  });
});
