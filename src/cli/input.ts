// Reading a paste from a file or stdin, bounded: ehlo never holds more than MAX_INPUT_BYTES of it.
import { open } from 'node:fs/promises';
import { UsageError } from './exit.ts';

export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export interface Input {
  text: string;
  /** True when the source held more than MAX_INPUT_BYTES and only the start was read. */
  cut: boolean;
}

async function readBounded(chunks: AsyncIterable<Buffer | string>): Promise<Input> {
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
  return { text: Buffer.concat(parts, size).toString('utf8'), cut };
}

/** FILE, or stdin for '-' / no argument. Binary bytes are decoded with replacement characters. */
export async function readInput(file: string | undefined): Promise<Input> {
  if (!file || file === '-') return readBounded(process.stdin);
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${code ?? String(err)}`);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new UsageError(`${file} is a directory; give a file of pastes or use --jsonl`);
    return await readBounded(handle.createReadStream());
  } finally {
    await handle.close().catch(() => undefined);
  }
}
