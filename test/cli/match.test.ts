import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.ts';

const OOF = '432 4.2.0 STOREDRV.Deliver; Agent transient failure during message resubmission [Agent: Mailbox Rules Agent]';

describe('ehlo match (the DESIGN.md contract)', () => {
  it('prints one JSON object with the contract fields for a paste on stdin', async () => {
    const r = await runCli(['match', '--json'], OOF);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).slice(0, 4)).toEqual(['kind', 'signals', 'verdict', 'matches']);
    for (const k of ['replyCodes', 'statusCodes', 'components', 'hosts', 'ips', 'emails', 'eventIds', 'kbs']) expect(Array.isArray(out.signals[k]), k).toBe(true);
    expect(out.signals.statusCodes).toEqual(['4.2.0']);
    expect(out.signals.components).toEqual(['STOREDRV.Deliver']);
    expect(out.verdict).toBe('match');
    const m = out.matches[0];
    expect(m.playbook).toBe('oof-mailbox-rules-agent-legacyinterop');
    expect(m.topics).toEqual(['mailbox-rules-agent-oof']);
    expect(m.confidence).toBe('high');
    expect(m.score).toBeGreaterThan(0.75);
    const status = m.why.find((w: { evidence: string }) => w.evidence === 'status code 4.2.0');
    expect(OOF.slice(status.span[0], status.span[1])).toBe('4.2.0');
  });

  it('reads a file, and answers none (exit 0) for text that is no error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-cli-'));
    writeFileSync(join(dir, 'ok.txt'), '250 2.0.0 OK');
    const r = await runCli(['match', join(dir, 'ok.txt'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe('none');
  });

  it('scores a JSONL file in order, keeping ids, with an error line for a bad line (exit 1, reported on stderr)', async () => {
    const input = [JSON.stringify({ id: 'a', text: OOF }), 'not json', JSON.stringify({ id: 'c', text: '250 2.0.0 OK' })].join('\n');
    const r = await runCli(['match', '--jsonl'], input);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 2: not a JSON object/);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/1 of 3 line\(s\) could not be matched/);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', null, 'c']);
    expect(lines[0].verdict).toBe('match');
    expect(lines[1].error).toMatch(/JSON/);
    expect(lines[2].verdict).toBe('none');
  });

  it('exits 2 with a message for usage errors', async () => {
    const unknown = await runCli(['match', '--nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option/);
    const missing = await runCli(['match', '/definitely/not/here.txt']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });

  it('explains in words for people with the diagnosis card the console and the chat channels show', async () => {
    const r = await runCli(['match'], OOF);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^━━ Diagnosis: Out-of-office replies not sent/);
    expect(r.stdout).toMatch(/Paste +smtp-reply/);
    expect(r.stdout).toMatch(/transport agent Mailbox Rules Agent — “Mailbox Rules Agent”/);
    expect(r.stdout).toMatch(/Read it: ehlo playbooks show oof-mailbox-rules-agent-legacyinterop/);
    expect(r.stdout).not.toMatch(/\[1\] Start walkthrough/);
  });
});

describe('ehlo help and catalog commands', () => {
  it('has --help on every subcommand', async () => {
    for (const sub of [['match'], ['lint'], ['playbooks'], ['playbooks', 'show'], ['probe'], ['start']]) {
      const r = await runCli([...sub, '--help']);
      expect(r.code, sub.join(' ')).toBe(0);
      expect(r.stdout, sub.join(' ')).toMatch(/Usage: ehlo/);
    }
  });

  it('shows a playbook as a person reads it and says when an id is unknown', async () => {
    const r = await runCli(['playbooks', 'show', 'oof-mailbox-rules-agent-legacyinterop']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/What it means/);
    expect(r.stdout).toMatch(/CHANGES \(medium risk\)/);
    const bad = await runCli(['playbooks', 'show', 'nope-nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no playbook "nope-nope"/);
  });
});
