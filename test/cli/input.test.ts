import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_INPUT_BYTES, readInput } from '../../src/cli/input.ts';
import { UsageError } from '../../src/cli/exit.ts';

describe('readInput (a file read at once, a pipe as a stream, both bounded)', () => {
  it('reads a regular file whole up to the limit and cuts one byte past it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-input-'));
    try {
      const small = join(dir, 'small.txt');
      writeFileSync(small, '550 5.1.1 not found\n');
      expect(await readInput(small)).toEqual({ text: '550 5.1.1 not found\n', cut: false, format: 'text' });
      const exact = join(dir, 'exact.txt');
      writeFileSync(exact, Buffer.alloc(MAX_INPUT_BYTES, 'a'));
      // (The decoded text is bounded again, in characters, by src/paste/decode.ts; the flag says whether bytes were left unread.)
      const e = await readInput(exact);
      expect([e.text.slice(0, 3), e.cut]).toEqual(['aaa', false]);
      const over = join(dir, 'over.txt');
      writeFileSync(over, Buffer.alloc(MAX_INPUT_BYTES + 1, 'b'));
      const o = await readInput(over);
      expect([o.text.slice(0, 3), o.cut]).toEqual(['bbb', true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong with a missing file or a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-input-'));
    try {
      await expect(readInput(join(dir, 'none.txt'))).rejects.toThrow(/no such file/);
      await expect(readInput(dir)).rejects.toBeInstanceOf(UsageError);
      await expect(readInput(dir)).rejects.toThrow(/is a directory/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a named pipe through the stream path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-input-'));
    try {
      const fifo = join(dir, 'paste.fifo');
      execFileSync('mkfifo', [fifo]);
      const reading = readInput(fifo);
      const w = createWriteStream(fifo);
      w.end('432 4.2.0 STOREDRV.Deliver\n');
      await once(w, 'close');
      expect(await reading).toEqual({ text: '432 4.2.0 STOREDRV.Deliver\n', cut: false, format: 'text' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
