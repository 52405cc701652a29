// The matcher for `ehlo match`, started from one snapshot file: the validated catalog and the
// compiled matcher (src/match/compiled.ts) in a single v8.serialize'd file beside the other caches,
// read synchronously. It is trusted while nothing it was built from changed: the fingerprint is the
// name, size, change time and inode of every catalog file and of the sources that validate and compile
// it (stat calls only, no file read, no hash, no YAML parser, zod or node:crypto loaded). Any
// change, a missing, short or corrupt file, another Node version: the usual path (loadCatalog, the
// content-hashed caches) builds the matcher and writes a new snapshot. Unwritable: just not cached.
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { Catalog } from '../catalog/load.ts';
import { consistent, type CompiledMatcher } from '../match/compiled.ts';
import { Matcher } from '../match/matcher.ts';

/** Bump when what the snapshot holds changes shape. */
const FORMAT = 1;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

interface Snapshot {
  format: number;
  fingerprint: string;
  catalog: Catalog;
  compiled: CompiledMatcher;
}

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
    const s = statSync(join(dir, n));
    out.push(`${dir}/${n} ${s.size} ${s.ctimeMs} ${s.mtimeMs} ${s.ino}`);
  }
}

/** What the snapshot was built from, as stat() sees it: the catalog, its validation, the matcher's code. */
export function fingerprint(root: string = ROOT): string {
  const out = [`${FORMAT} ${process.version} ${root}`];
  const yaml = (n: string) => n.endsWith('.yaml') || n.endsWith('.yml');
  const ts = (n: string) => n.endsWith('.ts');
  statLines(join(root, 'intents'), yaml, out);
  statLines(join(root, 'playbooks'), yaml, out);
  statLines(join(ROOT, 'src', 'catalog'), ts, out);
  statLines(join(ROOT, 'src', 'match'), ts, out);
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
    snap = deserialize(readFileSync(snapshotFile(root))) as Snapshot;
  } catch {
    return undefined;
  }
  if (!snap || snap.format !== FORMAT || snap.fingerprint !== print) return undefined;
  const { catalog, compiled } = snap;
  if (!catalog || !Array.isArray(catalog.intents) || !Array.isArray(catalog.playbooks) || !(catalog.playbookById instanceof Map)) return undefined;
  try {
    // A snapshot of another shape (a field missing) throws here rather than half-working.
    if (!compiled || !Array.isArray(compiled.conditions) || !compiled.text || !consistent(compiled.text)) return undefined;
    return new Matcher(catalog, compiled);
  } catch {
    return undefined;
  }
}

export function writeSnapshot(root: string, print: string, catalog: Catalog, compiled: CompiledMatcher): void {
  const file = snapshotFile(root);
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, serialize({ format: FORMAT, fingerprint: print, catalog, compiled } satisfies Snapshot));
    renameSync(tmp, file);
  } catch {
    // A read-only installation takes the usual path at each start.
  }
}

let shared: Matcher | undefined;

/** The project's matcher: from the snapshot when it is current, else built the usual way (and snapshotted). */
export async function warmMatcher(): Promise<Matcher> {
  if (shared) return shared;
  const print = fingerprint(ROOT);
  shared = readSnapshot(ROOT, print);
  if (shared) return shared;
  const { defaultMatcher } = await import('../match/index.ts');
  const { readCompiled } = await import('../match/compiled.ts');
  shared = defaultMatcher();
  const { catalog } = shared;
  const compiled = catalog.key ? readCompiled(catalog.root, catalog.key) : undefined;
  if (compiled) writeSnapshot(ROOT, print, catalog, compiled);
  return shared;
}
