// Aho–Corasick over ASCII patterns: every pattern found in one pass over the text, whatever their
// number. The automaton is a full DFA over the patterns' own characters (one column each, column 0
// for any other character, which leads back to the root), so each character costs two loads.

export class Automaton {
  readonly patterns: readonly string[];
  /** ASCII character -> its column (0 for a character no pattern has: it leads back to the root). */
  private readonly column = new Uint8Array(128);
  private readonly width: number;
  /** delta[state * width + column]: the next state, or -1 until first needed. */
  private readonly delta: Int32Array;
  /** The trie (child[state * width + column], -1: none) and its failure links. */
  private readonly child: Int32Array;
  private readonly fail: Int32Array;
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
    const childrenOf: number[][] = [];
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
          (childrenOf[s] ??= []).push(this.column[p.charCodeAt(i)] as number, next);
        }
        s = next;
      }
      (ends[s] as number[]).push(pi);
    });
    // Failure links breadth first, over each state's own children (no pass over every column).
    const fail = new Int32Array(states);
    const out: number[][] = ends;
    const queue = new Int32Array(states);
    let tail = 0;
    for (let c = 1; c < width; c++) {
      const u = child[c] as number;
      if (u >= 0) queue[tail++] = u;
    }
    for (let head = 0; head < tail; head++) {
      const s = queue[head] as number;
      const f0 = fail[s] as number;
      if ((out[f0] as number[]).length) (out[s] as number[]).push(...(out[f0] as number[]));
      const kids = childrenOf[s];
      if (!kids) continue;
      for (let k = 0; k < kids.length; k += 2) {
        const c = kids[k] as number;
        const u = kids[k + 1] as number;
        let f = f0;
        while (f > 0 && (child[f * width + c] as number) < 0) f = fail[f] as number;
        const v = child[f * width + c] as number;
        fail[u] = s !== 0 && v >= 0 && v !== u ? v : 0;
        queue[tail++] = u;
      }
    }
    this.child = child;
    this.fail = fail;
    // Transitions are computed on first use and remembered (-1: not yet).
    this.delta = new Int32Array(states * width).fill(-1);
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

  /** The transition from state s on column col (following failure links), remembered. */
  private step(s: number, col: number): number {
    const width = this.width;
    let f = s;
    while (f > 0 && (this.child[f * width + col] as number) < 0) f = this.fail[f] as number;
    const v = this.child[f * width + col] as number;
    const next = v >= 0 ? v : 0;
    this.delta[s * width + col] = next;
    return next;
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
    let s = prefix >= 0 && prefix < 128 ? this.step(0, column[prefix] as number) : 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128) {
        s = 0;
        continue;
      }
      const col = column[c] as number;
      const next = delta[s * width + col] as number;
      s = next >= 0 ? next : this.step(s, col);
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
