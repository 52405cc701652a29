// The matcher for `ehlo match`, started from one snapshot file: the validated catalog, the compiled
// term index (src/match/compiled.ts) and the tables the Matcher constructor builds (src/match/tables.ts:
// conditions registered, phrase trie, lexicon bound) in a single v8.serialize'd file beside the other
// caches, read synchronously and checked by a checksum of its words, so a warm start compiles,
// registers and binds nothing. It is trusted while nothing it was built from changed: the fingerprint
// is the name, size, change time and inode of every catalog file and of the sources that validate and
// compile it, and of this file (stat calls only, no file read, no hash, no YAML parser, zod, node:crypto
// or node:zlib loaded). Any
// change, a missing, short or corrupt file, another Node version: the usual path (loadCatalog, the
// content-hashed caches) builds the matcher and writes a new snapshot. Unwritable: just not cached.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { Catalog } from '../catalog/load.ts';
import { consistent, type CompiledMatcher } from '../match/compiled.ts';
import type { TextIndexData } from '../match/freetext.ts';
import { Matcher } from '../match/matcher.ts';
import type { MatcherTables } from '../match/tables.ts';

/** Bump when what the snapshot holds changes shape (3: the word checksum replaced zlib's CRC-32). */
const FORMAT = 3;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
// node:fs through require: its ESM facade would evaluate fs.promises (readline, os …) at every start.
const fs = require('node:fs') as typeof import('node:fs');

/**
 * A 32-bit checksum of the bytes: FNV-1a's step over 32-bit words, then the tail bytes and the length.
 * Each step is a bijection of the running value, so a change to any one word (a flipped bit) changes
 * the result; about 1 ms for the 4 MB snapshot, where node:zlib's CRC-32 first costs loading zlib.
 */
export function checksum(data: Uint8Array): number {
  const words = data.byteLength >>> 2;
  const view = data.byteOffset % 4 === 0 ? new Int32Array(data.buffer, data.byteOffset, words) : new Int32Array(data.slice(0, words * 4).buffer);
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < words; i++) h = Math.imul(h ^ (view[i] as number), 16777619);
  for (let i = words * 4; i < data.byteLength; i++) h = Math.imul(h ^ (data[i] as number), 16777619);
  return Math.imul(h ^ data.byteLength, 16777619) >>> 0;
}

interface Snapshot {
  format: number;
  fingerprint: string;
  catalog: Catalog;
  /**
   * The compiled term index without its document words (the tables' lexicon holds them) and without
   * the compiled conditions (the tables hold their ids; an intent's are compiled when a paste ranks it).
   */
  text: TextIndexData;
  tables: MatcherTables;
}

/** The file: the checksum of the rest (4 bytes, little-endian), then the v8-serialized Snapshot. */
const SUM_BYTES = 4;

function snapshotFile(root: string): string {
  return join(root, 'node_modules', '.cache', 'ehlo', 'warm-matcher.v8');
}

/** What the fingerprint stats: each folder's files that `keep` takes (sorted by name), and single files. */
interface Sources {
  dirs: { dir: string; keep: (name: string) => boolean }[];
  files: string[];
}

function sourcesOf(root: string): Sources {
  const yaml = (n: string) => n.endsWith('.yaml') || n.endsWith('.yml');
  const ts = (n: string) => n.endsWith('.ts');
  return {
    dirs: [
      { dir: join(root, 'intents'), keep: yaml },
      { dir: join(root, 'playbooks'), keep: yaml },
      // The telling-apart questions are part of the catalog too (src/catalog/questions.ts).
      { dir: join(root, 'questions'), keep: yaml },
      { dir: join(ROOT, 'src', 'catalog'), keep: ts },
      { dir: join(ROOT, 'src', 'match'), keep: ts },
      // This file writes and reads the snapshot: a change to it is a change of what the snapshot holds.
      { dir: join(ROOT, 'src', 'cli'), keep: (n) => n === 'warm-matcher.ts' },
    ],
    files: ['natural/lib/natural/stemmers/porter_stemmer', 'natural/lib/natural/util/stopwords'].map((m) => require.resolve(m)),
  };
}

/** A file's line: name, size, change and modification time, inode ('-' when it cannot be stat'ed). */
function statLine(file: string, s: import('node:fs').Stats | undefined): string {
  return s ? `${file} ${s.size} ${s.ctimeMs} ${s.mtimeMs} ${s.ino}` : `${file} -`;
}

function header(root: string): string {
  return `${FORMAT} ${process.version} ${root}`;
}

/** What the snapshot was built from, as stat() sees it: the catalog, its validation, the matcher's code. */
export function fingerprint(root: string = ROOT): string {
  const { dirs, files } = sourcesOf(root);
  const out = [header(root)];
  const stat = (file: string): string => {
    try {
      return statLine(file, fs.statSync(file));
    } catch {
      return statLine(file, undefined);
    }
  };
  for (const { dir, keep } of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter(keep).sort();
    } catch {
      out.push(`${dir} -`);
      continue;
    }
    for (const n of names) out.push(stat(`${dir}/${n}`));
  }
  for (const f of files) out.push(stat(f));
  return out.join('\n');
}

/** The snapshot file's contents, checked by its checksum and deserialized, or undefined. */
function readBody(root: string): Snapshot | undefined {
  try {
    const buf = fs.readFileSync(snapshotFile(root));
    if (buf.length <= SUM_BYTES || checksum(buf.subarray(SUM_BYTES)) !== buf.readUInt32LE(0)) return undefined;
    return deserialize(buf.subarray(SUM_BYTES)) as Snapshot;
  } catch {
    return undefined;
  }
}

/** The snapshot's matcher when the snapshot is for `print` and restores whole, else undefined. */
function fromSnapshot(snap: Snapshot | undefined, print: string): Matcher | undefined {
  if (!snap || snap.format !== FORMAT || snap.fingerprint !== print) return undefined;
  const { catalog, text, tables } = snap;
  if (!catalog || !Array.isArray(catalog.intents) || !Array.isArray(catalog.playbooks) || !(catalog.playbookById instanceof Map)) return undefined;
  try {
    // A snapshot of another shape (a field missing) throws here rather than half-working; tables that
    // do not restore make the constructor build instead (slower, same answers).
    if (!text || !consistent(text, false) || !tables) return undefined;
    const m = new Matcher(catalog, { text, conditions: [] }, tables);
    return m.restored ? m : undefined;
  } catch {
    return undefined;
  }
}

/** The snapshot's matcher, or undefined when it is missing, stale or not to be trusted. */
export function readSnapshot(root: string = ROOT, print: string = fingerprint(root)): Matcher | undefined {
  return fromSnapshot(readBody(root), print);
}

/** Snapshots a matcher just built (before any paste: see Matcher.tables()) with its compiled index; written atomically. */
export function writeSnapshot(root: string, print: string, matcher: Matcher, compiled: CompiledMatcher): void {
  const tables = matcher.tables();
  if (!tables) return;
  const file = snapshotFile(root);
  try {
    fs.mkdirSync(join(file, '..'), { recursive: true });
    // The document words are there for a lexicon to adopt: the tables hold the bound lexicon instead.
    const text: TextIndexData = { ...compiled.text, words: [], wordClass: new Int32Array(0), wordHashes: new Uint32Array(0), wordChars: new Int32Array(0), wordStarts: Int32Array.of(0) };
    const body = serialize({ format: FORMAT, fingerprint: print, catalog: matcher.catalog, text, tables } satisfies Snapshot);
    const head = Buffer.alloc(SUM_BYTES);
    head.writeUInt32LE(checksum(body), 0);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.concat([head, body]));
    fs.renameSync(tmp, file);
  } catch {
    // A read-only installation takes the usual path at each start.
  }
}

/**
 * The matcher of the catalog under root: from its snapshot when that is current, else built the usual
 * way (the content-hashed caches) and snapshotted for the next start.
 */
export async function matcherAt(root: string): Promise<Matcher> {
  const print = fingerprint(root);
  const warm = fromSnapshot(readBody(root), print);
  if (warm) return warm;
  const { defaultMatcher } = await import('../match/index.ts');
  const { readCompiled } = await import('../match/compiled.ts');
  const { loadCatalog } = await import('../catalog/load.ts');
  const built = root === ROOT ? defaultMatcher() : new Matcher(loadCatalog(root));
  const { catalog } = built;
  const compiled = catalog.key ? readCompiled(catalog.root, catalog.key) : undefined;
  if (compiled) writeSnapshot(root, print, built, compiled);
  return built;
}

let shared: Promise<Matcher> | undefined;

/** The project's matcher (see matcherAt). */
export function warmMatcher(): Promise<Matcher> {
  shared ??= matcherAt(ROOT);
  return shared;
}
