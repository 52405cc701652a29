import { describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matcher } from '../../src/match/matcher.ts';
import { readCompiled } from '../../src/match/compiled.ts';
import { checksum, fingerprint, matcherAt, readSnapshot, writeSnapshot } from '../../src/cli/warm-matcher.ts';
import { plainMatch } from '../../src/cli/main.ts';
import { loadCatalog, PROJECT_ROOT } from '../../src/catalog/load.ts';

const PASTES = [
  '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
  '432 4.2.0 STOREDRV.Deliver; Agent transient failure during message resubmission [Agent: Mailbox Rules Agent]',
  'Outlook keeps asking for my password since the mailbox moved to Exchange Online',
];

const snapshotFile = (root: string) => join(root, 'node_modules', '.cache', 'ehlo', 'warm-matcher.v8');

function copyCatalog(): string {
  const root = mkdtempSync(join(tmpdir(), 'ehlo-warm-root-'));
  for (const d of ['intents', 'playbooks', 'questions']) cpSync(join(PROJECT_ROOT, d), join(root, d), { recursive: true });
  return root;
}

describe('the warm snapshot of ehlo match', () => {
  it('gives a matcher that answers exactly as the one built the usual way, and only for its own fingerprint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-warm-'));
    try {
      const catalog = loadCatalog();
      const built = new Matcher(catalog);
      const compiled = readCompiled(built.catalog.root, built.catalog.key as string);
      expect(compiled).toBeDefined();
      writeSnapshot(dir, 'print-a', built, compiled!);
      const warm = readSnapshot(dir, 'print-a');
      expect(warm?.restored).toBe(true);
      for (const p of PASTES) expect(JSON.stringify(warm!.match(p))).toBe(JSON.stringify(built.match(p)));
      expect(readSnapshot(dir, 'print-b')).toBeUndefined();
      // A matcher that has learned words from a paste is not snapshotted: the file stays as it was.
      built.match('the vorpal frumious bandersnatch');
      const before = readFileSync(snapshotFile(dir));
      writeSnapshot(dir, 'print-c', built, compiled!);
      expect(readFileSync(snapshotFile(dir)).equals(before)).toBe(true);
      // A snapshot whose compiled index lacks a part (another version's shape) is refused.
      const { postDocs: _dropped, ...partial } = compiled!.text;
      writeSnapshot(dir, 'print-a', new Matcher(catalog), { ...compiled!, text: partial as NonNullable<typeof compiled>["text"] });
      expect(readSnapshot(dir, 'print-a')).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores a damaged, truncated or foreign file, and a later start rebuilds it', async () => {
    const root = copyCatalog();
    try {
      const reference = (await matcherAt(root)).match(PASTES[1] as string);
      const good = readFileSync(snapshotFile(root));
      expect(readSnapshot(root)?.restored).toBe(true);
      const flipped = Buffer.from(good);
      // A byte in the middle (the typed arrays' part), and one at the end.
      flipped[flipped.length >> 1] = (flipped[flipped.length >> 1] as number) ^ 0x40;
      const last = Buffer.from(good);
      last[last.length - 1] = (last[last.length - 1] as number) ^ 0x01;
      for (const bad of [flipped, last, good.subarray(0, good.length >> 1), good.subarray(0, 3), Buffer.from('not a snapshot'), Buffer.alloc(0)]) {
        writeFileSync(snapshotFile(root), bad);
        expect(readSnapshot(root)).toBeUndefined();
        expect((await matcherAt(root)).match(PASTES[1] as string)).toEqual(reference);
        // matcherAt wrote a good one again.
        expect(readSnapshot(root)?.restored).toBe(true);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('serves the new catalog once an intent changes: the edited intent is matched as it now reads', async () => {
    const root = copyCatalog();
    try {
      const paste = 'the zebra okapi giraffe handshake keeps failing on exchange';
      expect((await matcherAt(root)).match(paste).matches[0]?.intent).not.toBe('adaccess-topology-discovery-failed');
      expect(readSnapshot(root)?.restored).toBe(true);
      const file = join(root, 'intents', 'adaccess-topology-discovery-failed.yaml');
      const text = readFileSync(file, 'utf8');
      expect(text).toMatch(/^evidence:\n[^]*^requireAny:\n/m);
      const phrase = 'zebra okapi giraffe handshake';
      writeFileSync(file, text.replace(/^evidence:\n/m, `evidence:\n  - { phrase: ${phrase}, weight: 0.9 }\n`).replace(/^requireAny:\n/m, `requireAny:\n  - { phrase: ${phrase} }\n`));
      expect(readSnapshot(root)).toBeUndefined();
      const after = await matcherAt(root);
      expect(after.restored).toBe(false);
      expect(after.match(paste).matches[0]?.intent).toBe('adaccess-topology-discovery-failed');
      // The next start takes the new snapshot, and answers the same.
      const warm = readSnapshot(root);
      expect(warm?.restored).toBe(true);
      expect(warm!.match(paste)).toEqual(after.match(paste));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('has a checksum that any one flipped bit changes, at any offset and alignment', () => {
    const data = new Uint8Array(1031);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37 + 11) & 0xff;
    const base = checksum(data);
    for (const at of [0, 1, 2, 3, 4, 511, 1026, 1027, 1028, 1029, 1030]) {
      for (const bit of [0x01, 0x80]) {
        const copy = data.slice();
        copy[at] = (copy[at] as number) ^ bit;
        expect(checksum(copy), `byte ${at}`).not.toBe(base);
      }
    }
    // A view at an odd offset sums the same bytes the same way; a shorter view differs.
    const shifted = new Uint8Array(data.length + 3);
    shifted.set(data, 3);
    expect(checksum(shifted.subarray(3))).toBe(base);
    expect(checksum(data.subarray(0, data.length - 1))).not.toBe(base);
  });

  it('has a fingerprint that changes when a catalog file changes', () => {
    const root = copyCatalog();
    try {
      const before = fingerprint(root);
      expect(fingerprint(root)).toBe(before);
      appendFileSync(join(root, 'intents', 'adaccess-topology-discovery-failed.yaml'), '\n');
      const edited = fingerprint(root);
      expect(edited).not.toBe(before);
      // A telling-apart question is part of the catalog as well.
      const question = readdirSync(join(root, 'questions')).find((n) => n.endsWith('.yaml')) as string;
      appendFileSync(join(root, 'questions', question), '\n');
      expect(fingerprint(root)).not.toBe(edited);
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
