import { describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMatcher } from '../../src/match/index.ts';
import { readCompiled } from '../../src/match/compiled.ts';
import { fingerprint, readSnapshot, writeSnapshot } from '../../src/cli/warm-matcher.ts';
import { plainMatch } from '../../src/cli/main.ts';
import { PROJECT_ROOT } from '../../src/catalog/load.ts';

const PASTES = [
  '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
  '432 4.2.0 STOREDRV.Deliver; Agent transient failure during message resubmission [Agent: Mailbox Rules Agent]',
  'Outlook keeps asking for my password since the mailbox moved to Exchange Online',
];

describe('the warm snapshot of ehlo match', () => {
  it('gives a matcher that answers exactly as the one built the usual way, and only for its own fingerprint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-warm-'));
    try {
      const built = defaultMatcher();
      const compiled = readCompiled(built.catalog.root, built.catalog.key as string);
      expect(compiled).toBeDefined();
      writeSnapshot(dir, 'print-a', built.catalog, compiled!);
      const warm = readSnapshot(dir, 'print-a');
      expect(warm).toBeDefined();
      for (const p of PASTES) expect(JSON.stringify(warm!.match(p))).toBe(JSON.stringify(built.match(p)));
      expect(readSnapshot(dir, 'print-b')).toBeUndefined();
      // A snapshot whose compiled index lacks a part (another version's shape) is refused.
      const { wordHashes: _dropped, ...partial } = compiled!.text;
      writeSnapshot(dir, 'print-a', built.catalog, { ...compiled!, text: partial as NonNullable<typeof compiled>["text"] });
      expect(readSnapshot(dir, 'print-a')).toBeUndefined();
      // A damaged file is refused, never half-used.
      writeFileSync(join(dir, 'node_modules', '.cache', 'ehlo', 'warm-matcher.v8'), 'not a snapshot');
      expect(readSnapshot(dir, 'print-a')).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has a fingerprint that changes when a catalog file changes', () => {
    const root = mkdtempSync(join(tmpdir(), 'ehlo-warm-root-'));
    try {
      for (const d of ['intents', 'playbooks']) cpSync(join(PROJECT_ROOT, d), join(root, d), { recursive: true });
      const before = fingerprint(root);
      expect(fingerprint(root)).toBe(before);
      appendFileSync(join(root, 'intents', 'adaccess-topology-discovery-failed.yaml'), '\n');
      expect(fingerprint(root)).not.toBe(before);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the plain forms of ehlo match run without commander', () => {
  it('takes a path and --json / --jsonl, and leaves everything else to commander', () => {
    expect(plainMatch(['match', 'a.txt', '--json'])).toEqual({ file: 'a.txt', opts: { json: true } });
    expect(plainMatch(['match', '--jsonl', 'a.jsonl'])).toEqual({ file: 'a.jsonl', opts: { jsonl: true } });
    expect(plainMatch(['match'])).toEqual({ file: undefined, opts: {} });
    for (const argv of [['match', '--help'], ['match', 'a', 'b'], ['match', '-'], ['match', '--json', '--json'], ['probe', 'x'], ['match', '--jsonx']]) {
      expect(plainMatch(argv), argv.join(' ')).toBeUndefined();
    }
  });
});
