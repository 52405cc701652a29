// The matcher for `ehlo match`, started from one snapshot file: the validated catalog, the compiled
// term index (src/match/compiled.ts) and the tables the Matcher constructor builds (src/match/tables.ts:
// conditions registered, phrase trie, lexicon bound) in a single v8.serialize'd file beside the other
// caches, read synchronously and checked by its CRC-32, so a warm start compiles, registers and binds
// nothing. It is trusted while nothing it was built from changed: the fingerprint is the
// name, size, change time and inode of every catalog file and of the sources that validate and compile
// it, and of this file (stat calls only, no file read, no hash, no YAML parser, zod or node:crypto loaded). Any
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

/** Bump when what the snapshot holds changes shape. */
const FORMAT = 2;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
// node:fs through require: its ESM facade would evaluate fs.promises (readline, os …) at every start.
const { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs') as typeof import('node:fs');
/** node:zlib's CRC-32, through require (an ESM import of node:zlib builds a facade over all its exports first). */
const crc32 = (data: Uint8Array): number => (require('node:zlib') as typeof import('node:zlib')).crc32(data);

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

/** The file: the CRC-32 of the rest (4 bytes, little-endian), then the v8-serialized Snapshot. */
const CRC_BYTES = 4;

function snapshotFile(root: string): string {
  return join(root, 'node_modules', '.cache', 'ehlo', 'warm-matcher.v8');
}

/** One line per file of dir (sorted): name, size, change and modification time, inode. */
function statLines(dir: string, keep: (name: string) => boolean, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter(keep).sort();
  } catch {
    out.push(`${dir} -`);
    return;
  }
  for (const n of names) {
    const file = `${dir}/${n}`;
    const s = statSync(file);
    out.push(`${file} ${s.size} ${s.ctimeMs} ${s.mtimeMs} ${s.ino}`);
  }
}

/** What the snapshot was built from, as stat() sees it: the catalog, its validation, the matcher's code. */
export function fingerprint(root: string = ROOT): string {
  const out = [`${FORMAT} ${process.version} ${root}`];
  const yaml = (n: string) => n.endsWith('.yaml') || n.endsWith('.yml');
  const ts = (n: string) => n.endsWith('.ts');
  statLines(join(root, 'intents'), yaml, out);
  statLines(join(root, 'playbooks'), yaml, out);
  // The telling-apart questions are part of the catalog too (src/catalog/questions.ts).
  statLines(join(root, 'questions'), yaml, out);
  statLines(join(ROOT, 'src', 'catalog'), ts, out);
  statLines(join(ROOT, 'src', 'match'), ts, out);
  // This file writes and reads the snapshot: a change to it is a change of what the snapshot holds.
  statLines(join(ROOT, 'src', 'cli'), (n) => n === 'warm-matcher.ts', out);
  for (const m of ['natural/lib/natural/stemmers/porter_stemmer', 'natural/lib/natural/util/stopwords']) {
    const file = require.resolve(m);
    const s = statSync(file);
    out.push(`${file} ${s.size} ${s.ctimeMs} ${s.mtimeMs} ${s.ino}`);
  }
  return out.join('\n');
}

/** The snapshot's matcher, or undefined when it is missing, stale or not to be trusted. */
export function readSnapshot(root: string = ROOT, print: string = fingerprint(root)): Matcher | undefined {
  let snap: Snapshot;
  try {
    const buf = readFileSync(snapshotFile(root));
    if (buf.length <= CRC_BYTES || crc32(buf.subarray(CRC_BYTES)) !== buf.readUInt32LE(0)) return undefined;
    snap = deserialize(buf.subarray(CRC_BYTES)) as Snapshot;
  } catch {
    return undefined;
  }
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

/** Snapshots a matcher just built (before any paste: see Matcher.tables()) with its compiled index; written atomically. */
export function writeSnapshot(root: string, print: string, matcher: Matcher, compiled: CompiledMatcher): void {
  const tables = matcher.tables();
  if (!tables) return;
  const file = snapshotFile(root);
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    // The document words are there for a lexicon to adopt: the tables hold the bound lexicon instead.
    const text: TextIndexData = { ...compiled.text, words: [], wordClass: new Int32Array(0), wordHashes: new Uint32Array(0), wordChars: new Int32Array(0), wordStarts: Int32Array.of(0) };
    const body = serialize({ format: FORMAT, fingerprint: print, catalog: matcher.catalog, text, tables } satisfies Snapshot);
    const head = Buffer.alloc(CRC_BYTES);
    head.writeUInt32LE(crc32(body), 0);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([head, body]));
    renameSync(tmp, file);
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
  const warm = readSnapshot(root, print);
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
