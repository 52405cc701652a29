// Aho–Corasick over ASCII patterns: every pattern found in one pass over the text, whatever their
// number. The automaton is a full DFA over the patterns' own characters (one column each, column 0
// for any other character, which leads back to the root), so each character costs two loads.

export class Automaton {
  readonly patterns: readonly string[];
  /** Code unit -> its column (0 for a character no pattern has, every non-ASCII one: it leads back to the root). */
  private readonly column = new Uint8Array(65536);
  private readonly width: number;
  /**
   * delta[state · width + column]: the next state, stored as its row offset (state · width), so the scan
   * adds a column to it without a multiplication; every transition is computed at construction. Two
   * bytes an entry when every offset fits (every automaton of the matcher: half the cache lines), else four.
   */
  private readonly delta: Uint16Array | Int32Array;
  /** The patterns that end in each state (its own and its suffixes'), flattened. */
  private readonly outStart: Uint32Array;
  private readonly outList: Uint32Array;
  /** At a state's row offset: 1 when some pattern ends in it (most states: none, and the scan reads no list). */
  private readonly emits: Uint8Array;

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
    // Every transition computed now (breadth first, so a state's failure state is done before it).
    const delta = new Int32Array(states * width);
    for (let c = 0; c < width; c++) delta[c] = Math.max(0, child[c] as number);
    delta[0] = 0;
    for (let head = 0; head < tail; head++) {
      const s = queue[head] as number;
      const f = fail[s] as number;
      for (let c = 0; c < width; c++) {
        const v = child[s * width + c] as number;
        delta[s * width + c] = c !== 0 && v >= 0 ? v : (delta[f * width + c] as number);
      }
    }
    this.outStart = new Uint32Array(states + 1);
    const flat: number[] = [];
    for (let s = 0; s < states; s++) {
      this.outStart[s] = flat.length;
      const o = out[s] as number[];
      for (let k = 0; k < o.length; k++) if (o.indexOf(o[k] as number) === k) flat.push(o[k] as number);
    }
    this.outStart[states] = flat.length;
    this.outList = Uint32Array.from(flat);
    for (let k = 0; k < delta.length; k++) delta[k] = (delta[k] as number) * width;
    this.delta = states * width <= 65536 ? Uint16Array.from(delta) : delta;
    this.emits = new Uint8Array(states * width);
    for (let s = 0; s < states; s++) if ((this.outStart[s + 1] as number) > (this.outStart[s] as number)) this.emits[s * width] = 1;
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
    const emits = this.emits;
    let count = 0;
    // s is the current state's row offset (state · width).
    let s = prefix >= 0 ? (delta[column[prefix] as number] as number) : 0;
    for (let i = from; i < to; i++) {
      s = delta[s + (column[text.charCodeAt(i)] as number)] as number;
      if (emits[s] === 0) continue;
      const state = s / width;
      const b = outStart[state + 1] as number;
      for (let k = outStart[state] as number; k < b; k++) {
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
