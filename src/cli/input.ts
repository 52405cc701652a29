// Reading a paste from a file or stdin, bounded: ehlo never holds more than MAX_INPUT_BYTES of it.
import { createRequire } from 'node:module';
import type { FileHandle } from 'node:fs/promises';
import { UsageError } from './exit.ts';
import { decodeFile } from '../paste/decode.ts';

// node:fs through require: an ESM import of it builds a facade that evaluates fs.promises (readline,
// os, the promises API: a few ms of every `ehlo match`).
const { closeSync, fstatSync, openSync, readSync, statSync } = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');

export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export interface Input {
  text: string;
  /** True when the source held more than MAX_INPUT_BYTES and only the start was read. */
  cut: boolean;
  /** How the bytes were read: plain text, a MIME message (.eml) or an Outlook .msg. */
  format?: 'text' | 'eml' | 'msg';
}

async function readBounded(chunks: AsyncIterable<Buffer | string>): Promise<{ bytes: Buffer; cut: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  let cut = false;
  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (size + buf.length > MAX_INPUT_BYTES) {
      parts.push(buf.subarray(0, MAX_INPUT_BYTES - size));
      size = MAX_INPUT_BYTES;
      cut = true;
      break;
    }
    parts.push(buf);
    size += buf.length;
  }
  return { bytes: Buffer.concat(parts, size), cut };
}

/**
 * The paste as text: MIME (.eml) and Outlook .msg files decoded (src/paste/decode.ts). A binary file
 * that is neither is a usage error naming what it looks like; it is never matched as free text.
 */
async function decoded(raw: { bytes: Buffer; cut: boolean }, name: string): Promise<Input> {
  const d = await decodeFile(raw.bytes);
  if (!d.ok) throw new UsageError(`${name} looks like ${d.looksLike}; ehlo reads text, .eml and .msg files`);
  return { text: d.text, cut: raw.cut, format: d.format };
}

/** The usage error for a file that cannot be opened (no such file, cannot read). */
function cannotOpen(file: string, err: unknown): UsageError {
  const code = (err as NodeJS.ErrnoException).code;
  return new UsageError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${code ?? String(err)}`);
}

/** Open a file to read, or a usage error that names it (no such file, cannot read). */
async function openForReading(file: string): Promise<FileHandle> {
  const { open } = await import('node:fs/promises');
  try {
    return await open(file, 'r');
  } catch (err) {
    throw cannotOpen(file, err);
  }
}

/**
 * A regular file's bytes, at most MAX_INPUT_BYTES of them, read synchronously (one paste of a few KB:
 * no stream, no promise per chunk); undefined for what is no regular file (a pipe, a device, a
 * directory, a missing file), which the stream path reads or reports.
 */
function readFileBounded(file: string): { bytes: Buffer; cut: boolean } | undefined {
  // Looked at before opening: opening a named pipe waits for its writer, which must not block here.
  let regular = false;
  try {
    regular = statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    // Not to be looked at (a path it may not search): the stream path says why.
  }
  if (!regular) return undefined;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw cannotOpen(file, err);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    // Room for one byte past the limit (so a longer file is known to be cut), grown if the file grew.
    let buf = Buffer.allocUnsafe(Math.min(stat.size, MAX_INPUT_BYTES) + 1);
    let size = 0;
    for (;;) {
      if (size === buf.length) {
        if (size > MAX_INPUT_BYTES) break;
        const bigger = Buffer.allocUnsafe(Math.min(size * 2, MAX_INPUT_BYTES + 1));
        buf.copy(bigger, 0, 0, size);
        buf = bigger;
      }
      const n = readSync(fd, buf, size, buf.length - size, null);
      if (n === 0) break;
      size += n;
    }
    return size > MAX_INPUT_BYTES ? { bytes: buf.subarray(0, MAX_INPUT_BYTES), cut: true } : { bytes: buf.subarray(0, size), cut: false };
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  } finally {
    closeSync(fd);
  }
}

/** FILE, or stdin for '-' / no argument, decoded to paste text (see decoded). */
export async function readInput(file: string | undefined): Promise<Input> {
  if (!file || file === '-') return decoded(await readBounded(process.stdin), 'the input');
  const whole = readFileBounded(file);
  if (whole) return decoded(whole, file);
  const handle = await openForReading(file);
  try {
    if ((await handle.stat()).isDirectory()) throw new UsageError(`${file} is a directory`);
    return await decoded(await readBounded(handle.createReadStream()), file);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** A line of a JSONL input longer than this is reported as bad and skipped, never held whole. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface Line {
  /** 1-based line number in the input. */
  number: number;
  /** The line without its '\n' (undefined when it was longer than MAX_LINE_BYTES). */
  text: string | undefined;
  /** Its length in bytes (for an overlong line, the bytes seen). */
  bytes: number;
}

/**
 * The lines of a byte stream, one at a time, in order, holding at most one line (and one chunk) in
 * memory. Split at '\n' bytes, which never occur inside a multi-byte UTF-8 character; a final line
 * without '\n' is a line too.
 */
export async function* readLines(chunks: AsyncIterable<Buffer | string>, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let overlong = false;
  let number = 0;
  const finish = (): Line => {
    number++;
    const line: Line = { number, text: overlong ? undefined : Buffer.concat(parts, size).toString('utf8'), bytes: size };
    parts = [];
    size = 0;
    overlong = false;
    return line;
  };
  const add = (b: Buffer) => {
    if (b.length === 0) return;
    size += b.length;
    if (size > maxLineBytes) {
      overlong = true;
      parts = [];
    } else if (!overlong) parts.push(b);
  };
  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let from = 0;
    for (let nl = buf.indexOf(10, from); nl >= 0; nl = buf.indexOf(10, from)) {
      add(buf.subarray(from, nl));
      yield finish();
      from = nl + 1;
    }
    // Copy the tail: a chunk's buffer may be reused by the stream once we return.
    if (from < buf.length) add(Buffer.from(buf.subarray(from)));
  }
  if (size > 0 || overlong) yield finish();
}

/** The byte stream of FILE, or stdin for '-' / no argument. */
export async function openStream(file: string | undefined): Promise<AsyncIterable<Buffer | string>> {
  if (!file || file === '-') return process.stdin;
  const handle = await openForReading(file);
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw new UsageError(`${file} is a directory; --jsonl reads one file of lines (give the folder without --jsonl to match each file in it)`);
  }
  return handle.createReadStream({ highWaterMark: 256 * 1024 });
}

/** Paste files that `ehlo match DIR` reads. */
export const PASTE_EXTENSIONS = ['.txt', '.eml', '.msg'];

/** Every paste file under dir (sub-folders too), sorted by path; symbolic links are not followed. */
export async function listPasteFiles(dir: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && PASTE_EXTENSIONS.some((x) => e.name.toLowerCase().endsWith(x))) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

/** Whether path names a directory (false when it does not exist or cannot be read). */
export async function isDirectory(path: string | undefined): Promise<boolean> {
  if (!path || path === '-') return false;
  // One stat call: synchronous (no node:fs/promises loaded for it).
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
