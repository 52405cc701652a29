// Aho–Corasick over ASCII patterns: every pattern found in one pass over the text, whatever their
// number. The automaton is a full DFA over the patterns' own characters (one column each, column 0
// for any other character, which leads back to the root), so each character costs two loads.

/** An automaton's tables (Automaton.state()), for a warm start to take over. */
export interface AutomatonState {
  patterns: string[];
  column: Uint8Array<ArrayBuffer>;
  width: number;
  /** Uint16Array when states · width ≤ 65536 (every row offset fits in two bytes), else Int32Array. */
  delta: Uint16Array<ArrayBuffer> | Int32Array<ArrayBuffer>;
  outStart: Uint32Array<ArrayBuffer>;
  outList: Uint32Array<ArrayBuffer>;
  emits: Uint8Array<ArrayBuffer>;
}

export class Automaton {
  readonly patterns: readonly string[];
  /** Code unit -> its column (0 for a character no pattern has, every non-ASCII one: it leads back to the root). */
  private readonly column: Uint8Array<ArrayBuffer>;
  private readonly width: number;
  /**
   * delta[state · width + column]: the next state, stored as its row offset (state · width), so the scan
   * adds a column to it without a multiplication; every transition is computed at construction. Two
   * bytes an entry when every offset fits (every automaton of the matcher: half the cache lines), else four.
   */
  private readonly delta: Uint16Array<ArrayBuffer> | Int32Array<ArrayBuffer>;
  /** The patterns that end in each state (its own and its suffixes'), flattened. */
  private readonly outStart: Uint32Array<ArrayBuffer>;
  private readonly outList: Uint32Array<ArrayBuffer>;
  /** At a state's row offset: 1 when some pattern ends in it (most states: none, and the scan reads no list). */
  private readonly emits: Uint8Array<ArrayBuffer>;
  /** The row offset from which every state emits and before which none does (the states are numbered so). */
  private readonly emitFrom: number;

  /**
   * `prebuilt`: the tables state() gave for these same patterns (a warm start), taken over when they
   * fit (same patterns, consistent lengths); otherwise, or without, the automaton is built.
   */
  constructor(patterns: readonly string[], prebuilt?: AutomatonState) {
    this.patterns = patterns;
    const emitFrom = prebuilt && fits(prebuilt, patterns) ? emittingFrom(prebuilt) : -1;
    if (prebuilt && emitFrom >= 0) {
      this.column = prebuilt.column;
      this.width = prebuilt.width;
      this.delta = prebuilt.delta;
      this.outStart = prebuilt.outStart;
      this.outList = prebuilt.outList;
      this.emits = prebuilt.emits;
      this.emitFrom = emitFrom;
      return;
    }
    this.column = new Uint8Array(65536);
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
    // The states renumbered, those where no pattern ends first (the root among them, as state 0): the
    // scan then tells an emitting state by its row offset alone (emitFrom), with no table read per character.
    const newOf = new Int32Array(states);
    const oldOf = new Int32Array(states);
    let next = 0;
    for (let st = 0; st < states; st++) if ((out[st] as number[]).length === 0) oldOf[(newOf[st] = next++)] = st;
    const quiet = next;
    for (let st = 0; st < states; st++) if ((out[st] as number[]).length !== 0) oldOf[(newOf[st] = next++)] = st;
    // Every transition computed now, in the new numbering, stored as the next state's row offset: breadth
    // first, so a state's failure state is done before it. A state's row is its failure state's row (copied
    // natively, not one column at a time) with its own children written over it; the root's leads to the
    // root for every character it has no child for (and for column 0, any other character).
    const delta = new Int32Array(states * width);
    for (let c = 1; c < width; c++) delta[c] = (newOf[Math.max(0, child[c] as number)] as number) * width;
    for (let head = 0; head < tail; head++) {
      const s = queue[head] as number;
      const row = (newOf[s] as number) * width;
      const from = (newOf[fail[s] as number] as number) * width;
      delta.copyWithin(row, from, from + width);
      const kids = childrenOf[s];
      if (kids) for (let k = 0; k < kids.length; k += 2) delta[row + (kids[k] as number)] = (newOf[kids[k + 1] as number] as number) * width;
    }
    this.outStart = new Uint32Array(states + 1);
    const flat: number[] = [];
    for (let ns = 0; ns < states; ns++) {
      this.outStart[ns] = flat.length;
      const o = out[oldOf[ns] as number] as number[];
      for (let k = 0; k < o.length; k++) if (o.indexOf(o[k] as number) === k) flat.push(o[k] as number);
    }
    this.outStart[states] = flat.length;
    this.outList = Uint32Array.from(flat);
    // Two bytes an entry when every row offset fits (a state() snapshot keeps whichever type it is).
    this.delta = states * width <= 65536 ? Uint16Array.from(delta) : delta;
    this.emits = new Uint8Array(states * width);
    for (let ns = quiet; ns < states; ns++) this.emits[ns * width] = 1;
    this.emitFrom = quiet * width;
  }

  /** The tables, copied. */
  state(): AutomatonState {
    return { patterns: [...this.patterns], column: this.column.slice(), width: this.width, delta: this.delta.slice(), outStart: this.outStart.slice(), outList: this.outList.slice(), emits: this.emits.slice() };
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
    const emitFrom = this.emitFrom;
    let count = 0;
    // s is the current state's row offset (state · width).
    let s = prefix >= 0 ? (delta[column[prefix] as number] as number) : 0;
    for (let i = from; i < to; i++) {
      s = delta[s + (column[text.charCodeAt(i)] as number)] as number;
      if (s < emitFrom) continue;
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

/**
 * Whether prebuilt tables are for these patterns and of consistent lengths (their entries as state() wrote
 * them), the transitions in the type the build would choose (two bytes only when every row offset fits),
 * each one a row offset inside the table (a scan never leaves it).
 */
function fits(t: AutomatonState, patterns: readonly string[]): boolean {
  if (!Array.isArray(t.patterns) || t.patterns.length !== patterns.length || t.patterns.some((p, i) => p !== patterns[i])) return false;
  if (!(t.outStart instanceof Uint32Array) || !(t.outList instanceof Uint32Array) || !(t.column instanceof Uint8Array) || !(t.emits instanceof Uint8Array)) return false;
  const states = t.outStart.length - 1;
  const delta = t.delta;
  const cells = states * t.width;
  if (!(cells <= 65536 ? delta instanceof Uint16Array : delta instanceof Int32Array)) return false;
  if (!(t.column.length === 65536 && Number.isInteger(t.width) && t.width >= 1 && states >= 1 && delta.length === cells &&
    t.emits.length === cells && t.outStart[0] === 0 && t.outStart[states] === t.outList.length)) return false;
  for (let k = 0; k < cells; k++) {
    const v = delta[k] as number;
    if (v < 0 || v >= cells || v % t.width !== 0) return false;
  }
  return true;
}

/**
 * The row offset from which the prebuilt tables' states all emit (and before which none does), or -1
 * when they are not numbered so (tables of an older build: then the automaton is built).
 */
function emittingFrom(t: AutomatonState): number {
  const states = t.outStart.length - 1;
  let quiet = 0;
  while (quiet < states && t.outStart[quiet + 1] === t.outStart[quiet]) quiet++;
  for (let st = 0; st < states; st++) {
    const emits = (t.outStart[st + 1] as number) > (t.outStart[st] as number);
    if (emits !== st >= quiet || (t.emits[st * t.width] === 1) !== emits) return -1;
  }
  return quiet * t.width;
}
