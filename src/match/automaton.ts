// Aho–Corasick over ASCII patterns: every pattern found in one pass over the text, whatever their
// number. The automaton is a full DFA (a dense 128-column table), so each character costs one load;
// a character outside ASCII (no pattern has one) sends it back to the root.

export class Automaton {
  readonly patterns: readonly string[];
  /** delta[state * 128 + c]: the next state. */
  private readonly delta: Uint32Array;
  /** The patterns that end in each state (its own and its suffixes'), flattened. */
  private readonly outStart: Uint32Array;
  private readonly outList: Uint32Array;

  constructor(patterns: readonly string[]) {
    this.patterns = patterns;
    const children: Array<Map<number, number>> = [new Map()];
    const ends: number[][] = [[]];
    patterns.forEach((p, pi) => {
      if (p.length === 0) throw new Error('empty pattern');
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        if (c >= 128) throw new Error(`pattern ${JSON.stringify(p)} is not ASCII`);
        let next = (children[s] as Map<number, number>).get(c);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          ends.push([]);
          (children[s] as Map<number, number>).set(c, next);
        }
        s = next;
      }
      (ends[s] as number[]).push(pi);
    });
    const n = children.length;
    const delta = new Uint32Array(n * 128);
    const fail = new Uint32Array(n);
    const out: number[][] = ends.map((e) => [...e]);
    const queue: number[] = [];
    for (let c = 0; c < 128; c++) {
      const next = (children[0] as Map<number, number>).get(c);
      if (next !== undefined) {
        delta[c] = next;
        queue.push(next);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi] as number;
      (out[s] as number[]).push(...(out[fail[s] as number] as number[]));
      for (let c = 0; c < 128; c++) {
        const next = (children[s] as Map<number, number>).get(c);
        const viaFail = delta[(fail[s] as number) * 128 + c] as number;
        if (next !== undefined) {
          fail[next] = viaFail;
          delta[s * 128 + c] = next;
          queue.push(next);
        } else {
          delta[s * 128 + c] = viaFail;
        }
      }
    }
    this.delta = delta;
    this.outStart = new Uint32Array(n + 1);
    const flat: number[] = [];
    for (let s = 0; s < n; s++) {
      this.outStart[s] = flat.length;
      flat.push(...new Set(out[s]));
    }
    this.outStart[n] = flat.length;
    this.outList = Uint32Array.from(flat);
  }

  /**
   * Marks found[i] = 1 for every pattern i that occurs in text[from, to), fed after `prefix` (one
   * character, e.g. '\n' so that "\nreceived:" also matches at the very start). Returns how many
   * distinct patterns were found.
   */
  scan(text: string, found: Uint8Array, from = 0, to = text.length, prefix = -1): number {
    const delta = this.delta;
    const outStart = this.outStart;
    const outList = this.outList;
    let count = 0;
    let s = prefix >= 0 && prefix < 128 ? (delta[prefix] as number) : 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      s = c < 128 ? (delta[s * 128 + c] as number) : 0;
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
