// Lines into inputs: an empty line ends a paste only once the burst settles; a lone command is taken
// at once; end of input flushes. Each burst is written synchronously, so a settle timer can only
// fire after the whole burst, as with a real paste.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PasteReader } from '../../../src/channels/console/reader.ts';

const SETTLE = 30;

function reader(maxChars?: number): { r: PasteReader; inputs: string[]; overflow: number[] } {
  const inputs: string[] = [];
  const overflow: number[] = [];
  const r = new PasteReader({ settleMs: SETTLE, maxChars, isQuick: (l) => /^(status|\d+)$/.test(l.trim()), onInput: (t) => inputs.push(t), onOverflow: (n) => overflow.push(n) });
  return { r, inputs, overflow };
}

const burst = (r: PasteReader, text: string): void => text.split('\n').forEach((l) => r.push(l));

describe('PasteReader', () => {
  it('keeps a pasted NDR with empty lines in one input', async () => {
    const { r, inputs } = reader();
    burst(r, 'Delivery has failed to these recipients or groups:\n\nuser@contoso.com\n\nDiagnostic information for administrators:\n\n550 5.1.1\n');
    await sleep(SETTLE * 4);
    expect(inputs).toEqual(['Delivery has failed to these recipients or groups:\n\nuser@contoso.com\n\nDiagnostic information for administrators:\n\n550 5.1.1']);
  });

  it('waits for the empty line when a paste ends without one, and takes it when it comes', async () => {
    const { r, inputs } = reader();
    burst(r, 'line one\nline two');
    await sleep(SETTLE * 4);
    expect(inputs).toEqual([]);
    expect(r.pending).toBe(true);
    r.push('');
    await sleep(SETTLE * 4);
    expect(inputs).toEqual(['line one\nline two']);
  });

  it('takes a paste that never got its empty line when a command comes after the burst settled', async () => {
    const { r, inputs } = reader();
    burst(r, Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n'));
    await sleep(SETTLE * 3);
    expect(inputs).toEqual([]);
    r.push('status');
    await sleep(SETTLE * 4);
    expect(inputs).toHaveLength(2);
    expect(inputs[0]?.split('\n')).toHaveLength(1000);
    expect(inputs[1]).toBe('status');
  });

  it('keeps a command-looking line inside a burst as part of the paste', async () => {
    const { r, inputs } = reader();
    burst(r, 'Remote server returned\nstatus\nmore\n');
    await sleep(SETTLE * 4);
    expect(inputs).toEqual(['Remote server returned\nstatus\nmore']);
  });

  it('takes a lone command or button number without an empty line', async () => {
    const { r, inputs } = reader();
    r.push('status');
    await sleep(SETTLE * 4);
    r.push('2');
    await sleep(SETTLE * 4);
    expect(inputs).toEqual(['status', '2']);
  });

  it('ignores empty lines with nothing before them, and flushes the rest at the end of input', () => {
    const { r, inputs } = reader();
    burst(r, '\n\n\n550 5.1.1 User unknown');
    r.flush();
    expect(inputs).toEqual(['550 5.1.1 User unknown']);
  });

  it('bounds an oversized paste and reports what it left out', async () => {
    const { r, inputs, overflow } = reader(100);
    burst(r, `${'a'.repeat(60)}\n${'b'.repeat(60)}\n${'c'.repeat(10)}`);
    await sleep(SETTLE * 4);
    expect(inputs).toEqual([`${'a'.repeat(60)}\n${'c'.repeat(10)}`]);
    expect(overflow).toEqual([61]);
  });
});
