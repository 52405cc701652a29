// A cache of the validated catalog, keyed by a hash of every intent and playbook file. Parsing ~200
// YAML files costs a few hundred milliseconds; reading one JSON file costs a few. A missing, stale,
// corrupt or unwritable cache only means the YAML is parsed again.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Intent, Playbook } from './schema.ts';
import type { TellingQuestion } from './settle.ts';

/** Bump when the shape of what is cached (or the schema that validated it) changes. */
export const CACHE_FORMAT = 2;

export interface CachedCatalog {
  format: number;
  key: string;
  playbooks: Array<{ file: string; value: Playbook }>;
  intents: Array<{ file: string; value: Intent }>;
  questions?: TellingQuestion[];
}

/** Hash of the file names and contents under intents/, playbooks/ and questions/, plus the schema source. */
export function catalogKey(root: string, schemaSource: string): string {
  const h = createHash('sha256').update(`${CACHE_FORMAT}\n`).update(schemaSource);
  for (const dir of ['intents', 'playbooks', 'questions']) {
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

// Compiled forms of the catalog (the matcher's term index) beside catalog.json, in one binary file
// each: a JSON header and the typed arrays as raw bytes, so a warm start maps them in without
// parsing numbers. Layout: "EHLC", format (u32), header length (u32), SHA-1 of the rest (20 bytes),
// the header JSON, padding to 8 bytes, then each array at the offset the header gives. A file that
// is short, has the wrong format, key or checksum, or does not parse is ignored.

export type Packed = Int32Array | Uint32Array | Float64Array | Uint8Array;
const PACKED = { Int32Array, Uint32Array, Float64Array, Uint8Array } as const;
type PackedName = keyof typeof PACKED;

const MAGIC = 0x434c4845; // "EHLC" little-endian
const BLOB_FORMAT = 1;
const PREFIX = 32;

interface BlobHeader {
  key: string;
  meta: unknown;
  arrays: Array<{ name: string; type: PackedName; offset: number; length: number }>;
}

function blobFile(root: string, name: string): string {
  return join(root, 'node_modules', '.cache', 'ehlo', `${name}.bin`);
}

const pad8 = (n: number) => (n + 7) & ~7;

export function writeBlob(root: string, name: string, key: string, meta: unknown, arrays: Record<string, Packed>): void {
  const entries = Object.entries(arrays);
  const layout: BlobHeader['arrays'] = [];
  let offset = 0;
  for (const [n, a] of entries) {
    layout.push({ name: n, type: a.constructor.name as PackedName, offset, length: a.length });
    offset = pad8(offset + a.byteLength);
  }
  const header = Buffer.from(JSON.stringify({ key, meta, arrays: layout } satisfies BlobHeader));
  const dataStart = pad8(PREFIX + header.length);
  const buf = Buffer.alloc(dataStart + offset);
  buf.writeUInt32LE(MAGIC, 0);
  buf.writeUInt32LE(BLOB_FORMAT, 4);
  buf.writeUInt32LE(header.length, 8);
  header.copy(buf, PREFIX);
  entries.forEach(([, a], i) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(buf, dataStart + (layout[i] as BlobHeader['arrays'][number]).offset));
  createHash('sha1').update(buf.subarray(PREFIX)).digest().copy(buf, 12);
  const file = blobFile(root, name);
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, buf);
    renameSync(tmp, file);
  } catch {
    // A read-only installation compiles at each start.
  }
}

export function readBlob(root: string, name: string, key: string): { meta: unknown; arrays: Record<string, Packed> } | undefined {
  try {
    let buf = readFileSync(blobFile(root, name));
    if (buf.length < PREFIX || buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(4) !== BLOB_FORMAT) return undefined;
    const headerLength = buf.readUInt32LE(8);
    if (PREFIX + headerLength > buf.length) return undefined;
    if (!createHash('sha1').update(buf.subarray(PREFIX)).digest().equals(buf.subarray(12, 32))) return undefined;
    const header = JSON.parse(buf.subarray(PREFIX, PREFIX + headerLength).toString('utf8')) as BlobHeader;
    if (header.key !== key || !Array.isArray(header.arrays)) return undefined;
    // Typed arrays need aligned offsets; a pooled (small) buffer may not start at one.
    if (buf.byteOffset % 8 !== 0) buf = Buffer.from(buf);
    const dataStart = pad8(PREFIX + headerLength);
    const arrays: Record<string, Packed> = {};
    for (const a of header.arrays) {
      const Type = PACKED[a.type];
      if (!Type || !Number.isInteger(a.offset) || !Number.isInteger(a.length) || a.offset < 0 || a.length < 0) return undefined;
      const start = dataStart + a.offset;
      if (start + a.length * Type.BYTES_PER_ELEMENT > buf.length) return undefined;
      arrays[a.name] = new Type(buf.buffer, buf.byteOffset + start, a.length);
    }
    return { meta: header.meta, arrays };
  } catch {
    return undefined;
  }
}
