// Aho–Corasick over ASCII patterns: every pattern found in one pass over the text, whatever their
// number. The automaton is a full DFA over the patterns' own characters (one column each, column 0
// for any other character, which leads back to the root), so each character costs two loads.

export class Automaton {
  readonly patterns: readonly string[];
  /** ASCII character -> its column (0 for a character no pattern has: it leads back to the root). */
  private readonly column = new Uint8Array(128);
  private readonly width: number;
  /** delta[state * width + column]: the next state. */
  private readonly delta: Uint32Array;
  /** The patterns that end in each state (its own and its suffixes'), flattened. */
  private readonly outStart: Uint32Array;
  private readonly outList: Uint32Array;

  constructor(patterns: readonly string[]) {
    this.patterns = patterns;
    let width = 1;
    let size = 1;
    for (const p of patterns) {
      if (p.length === 0) throw new Error('empty pattern');
      size += p.length;
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        if (c >= 128) throw new Error(`pattern ${JSON.stringify(p)} is not ASCII`);
        if (this.column[c] === 0) this.column[c] = width++;
      }
    }
    this.width = width;
    // The trie, as a dense table of children (-1: none).
    const child = new Int32Array(size * width).fill(-1);
    const ends: number[][] = [[]];
    let states = 1;
    patterns.forEach((p, pi) => {
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const k = s * width + (this.column[p.charCodeAt(i)] as number);
        let next = child[k] as number;
        if (next < 0) {
          next = states++;
          child[k] = next;
          ends.push([]);
        }
        s = next;
      }
      (ends[s] as number[]).push(pi);
    });
    const delta = new Uint32Array(states * width);
    const fail = new Uint32Array(states);
    const out: number[][] = ends;
    const queue = new Uint32Array(states);
    let tail = 0;
    for (let c = 1; c < width; c++) {
      const next = child[c] as number;
      if (next >= 0) {
        delta[c] = next;
        queue[tail++] = next;
      }
    }
    for (let head = 0; head < tail; head++) {
      const s = queue[head] as number;
      const f = fail[s] as number;
      if ((out[f] as number[]).length) (out[s] as number[]).push(...(out[f] as number[]));
      for (let c = 1; c < width; c++) {
        const next = child[s * width + c] as number;
        const viaFail = delta[f * width + c] as number;
        if (next >= 0) {
          fail[next] = viaFail;
          delta[s * width + c] = next;
          queue[tail++] = next;
        } else {
          delta[s * width + c] = viaFail;
        }
      }
    }
    this.delta = delta;
    this.outStart = new Uint32Array(states + 1);
    const flat: number[] = [];
    for (let s = 0; s < states; s++) {
      this.outStart[s] = flat.length;
      const o = out[s] as number[];
      for (let k = 0; k < o.length; k++) if (o.indexOf(o[k] as number) === k) flat.push(o[k] as number);
    }
    this.outStart[states] = flat.length;
    this.outList = Uint32Array.from(flat);
  }

  /**
   * Marks found[i] = 1 for every pattern i that occurs in text[from, to), fed after `prefix` (one
   * character, e.g. '\n' so that "\nreceived:" also matches at the very start). Returns how many
   * distinct patterns were found.
   */
  scan(text: string, found: Uint8Array, from = 0, to = text.length, prefix = -1): number {
    const delta = this.delta;
    const column = this.column;
    const width = this.width;
    const outStart = this.outStart;
    const outList = this.outList;
    let count = 0;
    let s = prefix >= 0 && prefix < 128 ? (delta[column[prefix] as number] as number) : 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      s = c < 128 ? (delta[s * width + (column[c] as number)] as number) : 0;
      const a = outStart[s] as number;
      const b = outStart[s + 1] as number;
      for (let k = a; k < b; k++) {
        const p = outList[k] as number;
        if (found[p] === 0) {
          found[p] = 1;
          count++;
        }
      }
    }
    return count;
  }
}
