// A cache of the validated catalog, keyed by a hash of every intent and playbook file. Parsing ~200
// YAML files costs a few hundred milliseconds; reading one JSON file costs a few. A missing, stale,
// corrupt or unwritable cache only means the YAML is parsed again.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Intent, Playbook } from './schema.ts';

/** Bump when the shape of what is cached (or the schema that validated it) changes. */
const CACHE_FORMAT = 1;

export interface CachedCatalog {
  format: number;
  key: string;
  playbooks: Array<{ file: string; value: Playbook }>;
  intents: Array<{ file: string; value: Intent }>;
}

/** Hash of the file names and contents under intents/ and playbooks/, plus the schema source. */
export function catalogKey(root: string, schemaSource: string): string {
  const h = createHash('sha256').update(`${CACHE_FORMAT}\n`).update(schemaSource);
  for (const dir of ['intents', 'playbooks']) {
    let names: string[];
    try {
      names = readdirSync(join(root, dir)).sort();
    } catch {
      names = [];
    }
    for (const n of names) h.update(`${dir}/${n}\n`).update(readFileSync(join(root, dir, n)));
  }
  return h.digest('hex');
}

function cacheFile(root: string): string {
  return join(root, 'node_modules', '.cache', 'ehlo', 'catalog.json');
}

export function readCache(root: string, key: string): CachedCatalog | undefined {
  try {
    const data = JSON.parse(readFileSync(cacheFile(root), 'utf8')) as CachedCatalog;
    return data.format === CACHE_FORMAT && data.key === key ? data : undefined;
  } catch {
    return undefined;
  }
}

export function writeCache(root: string, data: CachedCatalog): void {
  const file = cacheFile(root);
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, file);
  } catch {
    // A read-only installation simply parses the YAML each time.
  }
}
