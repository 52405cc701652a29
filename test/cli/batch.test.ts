import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readLines } from '../../src/cli/input.ts';
import { EHLO_BIN, runCli } from '../helpers/run-cli.ts';

const OOF = '432 4.2.0 STOREDRV.Deliver; Agent transient failure during message resubmission [Agent: Mailbox Rules Agent]';

async function collect(chunks: Array<string | Buffer>, max?: number) {
  const out = [];
  for await (const l of readLines(Readable.from(chunks), max)) out.push(l);
  return out;
}

describe('readLines (the --jsonl reader)', () => {
  it('splits at newlines across chunk boundaries, keeps a last line without newline, and numbers them', async () => {
    const lines = await collect(['ab', 'c\nd', 'e\n\nf\r\n', 'g']);
    expect(lines.map((l) => [l.number, l.text])).toEqual([[1, 'abc'], [2, 'de'], [3, ''], [4, 'f\r'], [5, 'g']]);
  });

  it('never splits a multi-byte character, even when a chunk does', async () => {
    const bytes = Buffer.from('é€😀\nok');
    const lines = await collect([bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4)]);
    expect(lines.map((l) => l.text)).toEqual(['é€😀', 'ok']);
  });

  it('reports a line longer than the limit without holding it, and goes on', async () => {
    const lines = await collect(['x'.repeat(60), 'y'.repeat(50), '\nshort\n', 'z'.repeat(100), '\n', 'w'.repeat(101)], 100);
    expect(lines.map((l) => [l.number, l.text === undefined ? undefined : l.text.length, l.bytes])).toEqual([[1, undefined, 110], [2, 5, 5], [3, 100, 100], [4, undefined, 101]]);
  });
});

describe('ehlo match --jsonl streams any size and never drops a line', () => {
  it('answers every line of a generated 100 MB stream, in order, with each bad line on stderr', async () => {
    const big = `${OOF}\n${'Remote server returned an error. The mailbox is full and cannot accept messages now. '.repeat(50_000)}`.slice(0, 4 * 1024 * 1024);
    const bigLine = JSON.stringify({ id: 'big', text: big });
    let sent = 0;
    let bytes = 0;
    const badAt: number[] = [];
    function* lines() {
      for (let i = 0; bytes < 100 * 1024 * 1024; i++) {
        let line: string;
        if (i % 1000 === 999) {
          line = '{"id": "broken", "text": ';
          badAt.push(i + 1);
        } else if (i % 400 === 7) line = bigLine.replace('"big"', `"${i}"`);
        else line = JSON.stringify({ id: String(i), text: i % 3 ? `${OOF} #${i}` : `250 2.0.0 OK ${i}` });
        sent++;
        bytes += line.length + 1;
        yield `${line}\n`;
      }
    }
    const child = spawn(process.execPath, [EHLO_BIN, 'match', '--jsonl'], { stdio: ['pipe', 'pipe', 'pipe'] });
    Readable.from(lines()).pipe(child.stdin);
    let pending = '';
    let received = 0;
    let inOrder = true;
    let errors = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      pending += d;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const out = JSON.parse(pending.slice(0, nl)) as { id: string | null; error?: string };
        pending = pending.slice(nl + 1);
        if (out.error) errors++;
        else if (out.id !== String(received)) inOrder = false;
        received++;
      }
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(bytes).toBeGreaterThanOrEqual(100 * 1024 * 1024);
    expect(received).toBe(sent);
    expect(inOrder).toBe(true);
    expect(errors).toBe(badAt.length);
    const errLines = stderr.trim().split('\n');
    expect(errLines.slice(0, -1)).toEqual(badAt.map((n) => `ehlo: line ${n}: not a JSON object`));
    expect(errLines.at(-1)).toBe(`ehlo: ${badAt.length} of ${sent} line(s) could not be matched`);
    expect(code).toBe(1);
  }, 180_000);

  it('exits 0 when every line was good', async () => {
    const r = await runCli(['match', '--jsonl'], `${JSON.stringify({ id: 1, text: OOF })}\n\n${JSON.stringify({ id: 2, text: 'x' })}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual([1, 2]);
    expect(r.stderr).toBe('');
  });
});

describe('ehlo match DIR', () => {
  it('prints one JSON line per .txt/.eml/.msg file, with its path, in path order; no progress bar off a terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-dir-'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a.txt'), OOF);
    writeFileSync(join(dir, 'b', 'c.eml'), 'Subject: Undeliverable\n\n550 5.1.1 RESOLVER.ADR.RecipNotFound; not found');
    writeFileSync(join(dir, 'd.MSG'), '250 2.0.0 OK');
    writeFileSync(join(dir, 'e.png'), 'not a paste');
    const r = await runCli(['match', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.path)).toEqual([join(dir, 'a.txt'), join(dir, 'b', 'c.eml'), join(dir, 'd.MSG')]);
    expect(lines[0].matches[0].playbook).toBe('oof-mailbox-rules-agent-legacyinterop');
    expect(lines[2].verdict).toBe('none');
  });

  it('refuses --jsonl with a folder (usage error)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-dir-'));
    const r = await runCli(['match', dir, '--jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a folder/);
  });
});

describe('the progress bar of ehlo match DIR', () => {
  it('draws on a terminal (stderr) and ends cleared, leaving stdout JSON only', async () => {
    const { Writable } = await import('node:stream');
    const { matchFolder } = await import('../../src/cli/match.ts');
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-dir-'));
    for (let i = 0; i < 3; i++) writeFileSync(join(dir, `${i}.txt`), OOF);
    let out = '';
    let err = '';
    const stdout = new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) });
    const tty = Object.assign(new Writable({ write: (c, _e, cb) => ((err += String(c)), cb()) }), { isTTY: true });
    const code = await matchFolder(dir, stdout, tty as unknown as NodeJS.WriteStream);
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(3);
    expect(err).toContain('] 3/3 files');
    expect(err.endsWith('\r\x1b[2K')).toBe(true);
  });
});
