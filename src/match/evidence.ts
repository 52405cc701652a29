// Evidence: one intent's condition compiled for lookup, and the paste's signals indexed to answer it.
import type { Condition, EvidenceKey, PasteKind } from '../catalog/schema.ts';

/** The evidence keys in schema.ts's order (a copy, so the matcher loads without zod; a test keeps them equal). */
export const EVIDENCE_KEYS: readonly EvidenceKey[] = ['status', 'reply', 'component', 'agent', 'phrase', 'eventId', 'kb', 'hresult', 'exception', 'cmdlet', 'http', 'kind'];
import { phraseWords } from './words.ts';
import { CjkPhraseIndex, isCjkPhrase, type CjkPhraseState } from './cjk.ts';
import type { Lexicon, WordBuf } from './lexicon.ts';
import { SIGNAL_TYPES, type Signal, type SignalType, type Span } from './types.ts';

export interface CompiledCondition {
  key: EvidenceKey;
  /** Lowercased value (status wildcard keeps its trailing '*'). */
  value: string;
  /** The words of a phrase. */
  words?: string[];
  /** How the condition reads in an explanation: "status code 5.1.1". */
  label: string;
}

const LABELS: Record<EvidenceKey, string> = {
  status: 'status code',
  reply: 'reply code',
  component: 'component',
  agent: 'transport agent',
  phrase: 'phrase',
  eventId: 'event ID',
  kb: 'KB',
  hresult: 'error code',
  exception: 'exception',
  cmdlet: 'cmdlet',
  http: 'HTTP status',
  kind: 'paste kind',
};

export function compileCondition(c: Condition): CompiledCondition {
  const key = EVIDENCE_KEYS.find((k) => c[k] !== undefined) as EvidenceKey;
  const raw = String(c[key]);
  const compiled: CompiledCondition = { key, value: raw.toLowerCase(), label: `${LABELS[key]} ${key === 'phrase' ? `"${raw}"` : raw}` };
  if (key === 'phrase') compiled.words = phraseWords(raw);
  if (key === 'component' && compiled.value.endsWith('.*')) compiled.value = compiled.value.slice(0, -2);
  return compiled;
}

const SIGNAL_FOR_KEY: Partial<Record<EvidenceKey, SignalType>> = {
  status: 'statusCode',
  reply: 'replyCode',
  component: 'component',
  agent: 'agent',
  eventId: 'eventId',
  kb: 'kb',
  hresult: 'hresult',
  exception: 'exception',
  cmdlet: 'cmdlet',
  http: 'http',
};

/**
 * Where each condition is met in a paste: condition id -> span (null for the paste kind). Typed
 * arrays stamped with a generation, reused from paste to paste (no map filled per paste).
 */
export class Found {
  private stamp: Int32Array;
  private start: Int32Array;
  private end: Int32Array;
  private generation = 0;
  /** The ids found, in the order they were found. */
  readonly ids: number[] = [];

  constructor(size: number) {
    this.stamp = new Int32Array(size);
    this.start = new Int32Array(size);
    this.end = new Int32Array(size);
  }

  /** Empty it for the next paste (and make room for `size` conditions). */
  reset(size: number): void {
    this.ids.length = 0;
    if (size > this.stamp.length) {
      this.stamp = new Int32Array(size);
      this.start = new Int32Array(size);
      this.end = new Int32Array(size);
      this.generation = 0;
    }
    if (++this.generation === 0x7fffffff) {
      this.generation = 1;
      this.stamp.fill(0);
    }
  }

  has(id: number): boolean {
    return this.stamp[id] === this.generation;
  }

  /** Records a condition met at [start, end), or with no span (start < 0). A later set of the same id replaces the span. */
  set(id: number, start: number, end: number): void {
    if (this.stamp[id] !== this.generation) {
      this.stamp[id] = this.generation;
      this.ids.push(id);
    }
    this.start[id] = start;
    this.end[id] = end;
  }

  /** The span, null when met without one, undefined when not met. */
  get(id: number): Span | null | undefined {
    if (this.stamp[id] !== this.generation) return undefined;
    const s = this.start[id] as number;
    return s < 0 ? null : [s, this.end[id] as number];
  }
}

/** A ConditionIndex as data (ConditionIndex.state()). */
export interface ConditionIndexState {
  count: number;
  exact: Array<{ type: SignalType; values: string[]; ids: Int32Array }>;
  loose: Array<{ type: SignalType; list: Array<{ id: number; c: CompiledCondition; prefix: string }> }>;
  kinds: Array<{ kind: string; id: number }>;
  phrases: PhraseIndexState;
  cjk: CjkPhraseState;
}

/**
 * Every distinct condition of the catalog, indexed so a paste is answered in time proportional to its
 * signals: exact values by hash lookup (one table per signal type), components by their dotted
 * prefixes, and only the few prefix-style conditions (status wildcards, exceptions, agents) checked
 * one by one against the signals of their type.
 */
export class ConditionIndex {
  private readonly ids = new Map<string, number>();
  /** By signal type (TYPE_INDEX): the exact values' table. */
  private readonly exact: Array<Map<string, number> | undefined> = SIGNAL_TYPES.map(() => undefined);
  /** The prefix-style conditions, by the type of signal they read (TYPE_INDEX). */
  private readonly loose: Array<Array<{ id: number; c: CompiledCondition; prefix: string }> | undefined> = SIGNAL_TYPES.map(() => undefined);
  // Per paste, reused: each signal's lowercased value, and the signals of each type as a linked list
  // (the first of each type by TYPE_INDEX, -1: none; no map cleared and filled per paste).
  private lowered: string[] = [];
  private nextOfType = new Int32Array(64);
  private readonly firstOfType = new Int32Array(SIGNAL_TYPES.length);
  private readonly kindIds = new Map<string, number>();
  readonly phrases = new PhraseIndex();
  /** Phrases in Chinese or Japanese, found as substrings of the paste's CJK words (cjk.ts). */
  readonly cjkPhrases = new CjkPhraseIndex();
  /** Reused by resolve(): valid until the next paste. */
  private readonly found = new Found(0);

  /** How many distinct conditions (ids 0 .. count - 1). */
  private count = 0;
  /** Restored from a snapshot (restore()): complete, nothing more to register. */
  private restored = false;

  get size(): number {
    return this.count;
  }

  /** The id of a condition, registering it on first sight. */
  register(c: CompiledCondition): number {
    if (this.restored) throw new Error('a restored condition index takes no new conditions');
    const key = `${c.key}\u0000${c.value}`;
    let id = this.ids.get(key);
    if (id !== undefined) return id;
    id = this.count++;
    this.ids.set(key, id);
    if (c.key === 'phrase') {
      if (isCjkPhrase(c.value)) this.cjkPhrases.add(c.value, id);
      else this.phrases.add(c, id);
    } else if (c.key === 'kind') {
      this.kindIds.set(c.value, id);
    } else {
      const type = TYPE_INDEX[SIGNAL_FOR_KEY[c.key] as SignalType];
      const loose = c.key === 'exception' || c.key === 'agent' || (c.key === 'status' && c.value.endsWith('*'));
      if (loose) {
        let list = this.loose[type];
        if (!list) this.loose[type] = list = [];
        list.push({ id, c, prefix: c.key === 'status' ? c.value.slice(0, -1) : c.value });
      }
      else {
        let table = this.exact[type];
        if (!table) this.exact[type] = table = new Map();
        table.set(c.value, id);
      }
    }
    return id;
  }

  /** What register() built, as plain data and typed arrays (a warm start restores it, see tables.ts). */
  state(): ConditionIndexState {
    return {
      count: this.count,
      exact: SIGNAL_TYPES.flatMap((type, t) => {
        const table = this.exact[t];
        return table ? [{ type, values: [...table.keys()], ids: Int32Array.from(table.values()) }] : [];
      }),
      loose: SIGNAL_TYPES.flatMap((type, t) => {
        const list = this.loose[t];
        return list ? [{ type, list: list.map((l) => ({ ...l })) }] : [];
      }),
      kinds: [...this.kindIds].map(([kind, id]) => ({ kind, id })),
      phrases: this.phrases.state(),
      cjk: this.cjkPhrases.state(),
    };
  }

  /** Into an empty index: what state() gave (false, and left unusable, when its shape is wrong). */
  restore(s: ConditionIndexState): boolean {
    if (this.count !== 0 || this.restored) throw new Error('restore() needs an empty condition index');
    this.restored = true;
    if (!Number.isInteger(s.count) || s.count < 0) return false;
    for (const { type, values, ids } of s.exact) {
      const t = SIGNAL_TYPES.indexOf(type);
      if (t < 0 || values.length !== ids.length) return false;
      const table = new Map<string, number>();
      for (let k = 0; k < ids.length; k++) table.set(values[k] as string, ids[k] as number);
      this.exact[t] = table;
    }
    for (const { type, list } of s.loose) {
      const t = SIGNAL_TYPES.indexOf(type);
      if (t < 0) return false;
      this.loose[t] = list;
    }
    for (const { kind, id } of s.kinds) this.kindIds.set(kind, id);
    if (!this.phrases.restore(s.phrases) || !this.cjkPhrases.restore(s.cjk)) return false;
    this.count = s.count;
    return true;
  }

  /** The conditions the paste meets; the answer is reused by the next call (read it first). */
  resolve(signals: readonly Signal[], kind: PasteKind, words: WordBuf): Found {
    const found = this.found;
    found.reset(this.count);
    const n = signals.length;
    if (this.nextOfType.length < n) this.nextOfType = new Int32Array(n * 2);
    const next = this.nextOfType;
    const first = this.firstOfType;
    first.fill(-1);
    // Linked from the last signal back, so each type's list runs in signal order.
    for (let k = n - 1; k >= 0; k--) {
      const type = TYPE_INDEX[(signals[k] as Signal).type];
      next[k] = first[type] as number;
      first[type] = k;
    }
    const lowered = this.lowered;
    lowered.length = n;
    for (let k = 0; k < n; k++) {
      const s = signals[k] as Signal;
      const v = s.value.toLowerCase();
      lowered[k] = v;
      const table = this.exact[TYPE_INDEX[s.type]];
      if (!table) continue;
      hit(found, table, v, s.span);
      if (s.type === 'component') {
        for (let dot = v.indexOf('.'); dot > 0; dot = v.indexOf('.', dot + 1)) hit(found, table, v.slice(0, dot), s.span);
      }
    }
    // Only the types the paste has signals of (each condition is met at its first matching signal; a
    // type's conditions are its own, so the order the types are taken in changes nothing).
    for (let type = 0; type < first.length; type++) {
      const head = first[type] as number;
      if (head < 0) continue;
      const list = this.loose[type];
      if (list) this.resolveLoose(list, head, signals, lowered, found);
    }
    this.phrases.scan(words, found);
    this.cjkPhrases.scan(words, found);
    const k = this.kindIds.get(kind);
    if (k !== undefined) found.set(k, -1, -1);
    return found;
  }

  private resolveLoose(list: ReadonlyArray<{ id: number; c: CompiledCondition; prefix: string }>, head: number, signals: readonly Signal[], lowered: readonly string[], found: Found): void {
    const next = this.nextOfType;
    for (const { id, c, prefix } of list) {
      if (found.has(id)) continue;
      for (let k = head; k >= 0; k = next[k] as number) {
        if (looseMatch(c, prefix, lowered[k] as string)) {
          const span = (signals[k] as Signal).span;
          found.set(id, span[0], span[1]);
          break;
        }
      }
    }
  }
}

/** Each signal type's index in SIGNAL_TYPES (the per-type arrays of ConditionIndex). */
const TYPE_INDEX = Object.fromEntries(SIGNAL_TYPES.map((t, i) => [t, i])) as Record<SignalType, number>;

function hit(found: Found, table: Map<string, number>, value: string, span: Span): void {
  const id = table.get(value);
  if (id !== undefined && !found.has(id)) found.set(id, span[0], span[1]);
}

/** `prefix` is the status wildcard without its '*' (else the value itself). */
function looseMatch(c: CompiledCondition, prefix: string, v: string): boolean {
  switch (c.key) {
    case 'status':
      // The '*' stands for at least one more digit: "4.7.5*" is EOP's 4.7.500-599, not RFC 3463's own 4.7.5 (cryptographic failure).
      return v.length > prefix.length && v.startsWith(prefix);
    case 'exception': {
      // Any part of a dotted name, or its start: "MapiException" matches MapiExceptionShutoffQuotaExceeded.
      if (v === c.value) return true;
      for (let from = 0; ; ) {
        const dot = v.indexOf('.', from);
        const end = dot < 0 ? v.length : dot;
        if (end - from >= c.value.length && v.startsWith(c.value, from)) return true;
        if (dot < 0) return false;
        from = dot + 1;
      }
    }
    default:
      return v === c.value || v.startsWith(c.value);
  }
}

/** A PhraseIndex's trie (PhraseIndex.state()). */
export interface PhraseIndexState {
  rootChild: Int32Array<ArrayBuffer>;
  /** The probe table as placeEdges() laid it out: node, word, child a slot (node -1: empty). */
  edges: Int32Array<ArrayBuffer>;
  endStart: Int32Array<ArrayBuffer>;
  endIds: Int32Array<ArrayBuffer>;
}

/**
 * Finds every catalog phrase in the paste in one pass over its words: a trie over lexicon word ids
 * (the root's children by direct index, deeper ones in an open-addressing table), walked from each
 * word as far as the words go on matching.
 */
export class PhraseIndex {
  private readonly phrases: Array<{ id: number; words: string[] }> = [];
  private readonly ids = new Set<number>();
  /** Lexicon id -> the trie node after that first word (0: none; the root is node 0). */
  private rootChild = new Int32Array(0);
  /** Deeper edges (node, word) -> child node, three numbers a slot (node -1: empty), so a probe reads one place. */
  private edges = new Int32Array(0);
  private edgeMask = 0;
  /** Node -> how many children it has; for a node with one, that child's word and node (no probe needed). */
  private kids = new Int32Array(1);
  private onlyWord = new Int32Array(1);
  private onlyChild = new Int32Array(1);
  /** Node -> the phrase condition ids that end there: endIds[endStart[node] .. endStart[node + 1]). */
  private endStart = new Int32Array(1);
  private endIds = new Int32Array(0);

  add(c: CompiledCondition, id: number): void {
    if (!c.words || c.words.length === 0 || this.ids.has(id)) return;
    this.ids.add(id);
    this.phrases.push({ id, words: c.words });
  }

  /** Puts every phrase word in the lexicon and builds the trie. */
  bind(lexicon: Lexicon): void {
    const paths = this.phrases.map((p) => ({ id: p.id, words: p.words.map((w) => lexicon.add(w)) }));
    this.rootChild = new Int32Array(lexicon.size);
    // Edge keys node·2^16 + word id (ids of phrase words are far below 2^16 at this point).
    const edges = new Map<number, number>();
    if (lexicon.size >= 65536) throw new Error('too many words for the phrase trie');
    let nodes = 1;
    const ends: number[][] = [];
    for (const p of paths) {
      let node = 0;
      p.words.forEach((w, j) => {
        if (j === 0) {
          if (this.rootChild[w] === 0) this.rootChild[w] = nodes++;
          node = this.rootChild[w] as number;
        } else {
          const key = node * 65536 + w;
          let child = edges.get(key);
          if (child === undefined) edges.set(key, (child = nodes++));
          node = child;
        }
      });
      (ends[node] ??= []).push(p.id);
    }
    this.endStart = new Int32Array(nodes + 1);
    const flat: number[] = [];
    for (let node = 0; node < nodes; node++) {
      this.endStart[node] = flat.length;
      for (const id of ends[node] ?? []) flat.push(id);
    }
    this.endStart[nodes] = flat.length;
    this.endIds = Int32Array.from(flat);
    this.placeEdges(edges, nodes);
  }

  /** The deeper edges (keys node·2^16 + word) in the probe table, and each node's children counted (the one child of a chain kept). */
  private placeEdges(edges: ReadonlyMap<number, number>, nodes: number): void {
    let capacity = 16;
    while (capacity < edges.size * 2) capacity *= 2;
    this.edgeMask = capacity - 1;
    const table = new Int32Array(capacity * 3);
    for (let slot = 0; slot < capacity; slot++) table[slot * 3] = -1;
    this.kids = new Int32Array(nodes);
    this.onlyWord = new Int32Array(nodes);
    this.onlyChild = new Int32Array(nodes);
    for (const [key, child] of edges) {
      const node = Math.floor(key / 65536);
      const word = key % 65536;
      let slot = edgeHash(node, word) & this.edgeMask;
      while ((table[slot * 3] as number) >= 0) slot = (slot + 1) & this.edgeMask;
      table[slot * 3] = node;
      table[slot * 3 + 1] = word;
      table[slot * 3 + 2] = child;
      this.kids[node] = (this.kids[node] as number) + 1;
      this.onlyWord[node] = word;
      this.onlyChild[node] = child;
    }
    this.edges = table;
  }

  /** The trie as typed arrays (after bind()): the edge table as placed, not its per-node counts (restore() derives them). */
  state(): PhraseIndexState {
    return { rootChild: this.rootChild.slice(), edges: this.edges.slice(), endStart: this.endStart.slice(), endIds: this.endIds.slice() };
  }

  /**
   * The trie from state(), in place of add() and bind() (whose words the restored lexicon already
   * holds); false when its shape is wrong (lengths, the edge table no power of two or without an
   * empty slot, an edge to or from a node the trie has not). Each node's children are counted again
   * from the table (and the one child of a chain kept), as placeEdges() counts them.
   */
  restore(s: PhraseIndexState): boolean {
    const { rootChild, edges, endStart, endIds } = s;
    if (!(rootChild instanceof Int32Array) || !(edges instanceof Int32Array) || !(endStart instanceof Int32Array) || !(endIds instanceof Int32Array)) return false;
    const nodes = endStart.length - 1;
    const cap = edges.length / 3;
    if (nodes < 1 || endStart[0] !== 0 || endStart[nodes] !== endIds.length) return false;
    if (!Number.isInteger(cap) || cap < 16 || (cap & (cap - 1)) !== 0) return false;
    const kids = new Int32Array(nodes);
    const onlyWord = new Int32Array(nodes);
    const onlyChild = new Int32Array(nodes);
    let empty = false;
    for (let slot = 0; slot < cap; slot++) {
      const node = edges[slot * 3] as number;
      if (node < 0) {
        empty = true;
        continue;
      }
      const child = edges[slot * 3 + 2] as number;
      if (node >= nodes || child <= 0 || child >= nodes) return false;
      kids[node] = (kids[node] as number) + 1;
      onlyWord[node] = edges[slot * 3 + 1] as number;
      onlyChild[node] = child;
    }
    if (!empty) return false;
    for (let w = 0; w < rootChild.length; w++) if ((rootChild[w] as number) < 0 || (rootChild[w] as number) >= nodes) return false;
    this.rootChild = rootChild;
    this.edges = edges;
    this.edgeMask = cap - 1;
    this.kids = kids;
    this.onlyWord = onlyWord;
    this.onlyChild = onlyChild;
    this.endStart = endStart;
    this.endIds = endIds;
    return true;
  }

  /** The child of a node with several children by word, or 0. */
  private child(node: number, word: number): number {
    const edges = this.edges;
    for (let slot = edgeHash(node, word) & this.edgeMask; ; slot = (slot + 1) & this.edgeMask) {
      const n = edges[slot * 3] as number;
      if (n < 0) return 0;
      if (n === node && edges[slot * 3 + 1] === word) return edges[slot * 3 + 2] as number;
    }
  }

  /** Marks each phrase found with the span of its first occurrence. */
  scan(words: WordBuf, found: Found): void {
    const lex = words.lex;
    const n = words.n;
    const root = this.rootChild;
    const endStart = this.endStart;
    const endIds = this.endIds;
    const hop = words.hop;
    const kids = this.kids;
    const onlyWord = this.onlyWord;
    const onlyChild = this.onlyChild;
    for (let i = 0; i < n; i++) {
      const first = lex[i] as number;
      if (first < 0 || first >= root.length) continue;
      let node = root[first] as number;
      for (let j = i; node !== 0; ) {
        const e = endStart[node + 1] as number;
        // A phrase glued by '_' to the words on both sides is inside a parameter name
        // (`lmtp_over_quota_perm_failure`, `reject_unknown_recipient_domain`): no phrase of the paste.
        if (e > (endStart[node] as number) && !gluedByUnderscore(words, words.start[i] as number, words.end[j] as number)) {
          for (let k = endStart[node] as number; k < e; k++) {
            const id = endIds[k] as number;
            if (!found.has(id)) found.set(id, words.start[i] as number, words.end[j] as number);
          }
        }
        // No phrase goes on from here: whatever the next word, no child.
        const count = kids[node] as number;
        if (count === 0) break;
        if (++j >= n) break;
        // A multi-line reply's repeated "550-5.7.1" prefix: the phrase goes on after it.
        if (hop !== null && (hop[j] as number) > 0 && (j += hop[j] as number) >= n) break;
        const w = lex[j] as number;
        node = w < 0 ? 0 : count === 1 ? (onlyWord[node] === w ? (onlyChild[node] as number) : 0) : this.child(node, w);
      }
    }
  }
}

/**
 * Whether the text [start, end) has a '_' right before and right after it (only read where a phrase ends, so rarely).
 * One side is not enough: OpenSSL's `SSL23_GET_SERVER_HELLO:unknown protocol` is a real error's words.
 */
function gluedByUnderscore(words: WordBuf, start: number, end: number): boolean {
  if (words.slow !== null) return false;
  const src = words.src;
  return start > 0 && src.charCodeAt(start - 1) === 95 && end < src.length && src.charCodeAt(end) === 95;
}

function edgeHash(node: number, word: number): number {
  return (Math.imul(node, 0x9e3779b1) ^ Math.imul(word + 0x632be5ab, 0x85ebca77)) >>> 7;
}

/** IntentConditions' packed lists (IntentConditions.state()). */
export interface IntentConditionsState {
  ex: Int32Array<ArrayBuffer>;
  exStart: Int32Array<ArrayBuffer>;
  req: Int32Array<ArrayBuffer>;
  reqStart: Int32Array<ArrayBuffer>;
  ev: Int32Array<ArrayBuffer>;
  weights: Float64Array<ArrayBuffer>;
  evStart: Int32Array<ArrayBuffer>;
}

/**
 * Every intent's conditions in flat arrays, intent after intent (contiguous, so the sum over the
 * intents in play walks little memory): its exclusions, its required-any list, its evidence and weights.
 */
export class IntentConditions {
  private ex: number[] | Int32Array = [];
  private exStart: number[] | Int32Array = [0];
  private req: number[] | Int32Array = [];
  private reqStart: number[] | Int32Array = [0];
  private ev: number[] | Int32Array = [];
  private weights: number[] | Float64Array = [];
  private evStart: number[] | Int32Array = [0];

  /** The next intent's conditions (intents are numbered in the order they are added). */
  add(evidence: ReadonlyArray<{ id: number; weight: number }>, requireAny: ReadonlyArray<{ id: number }>, exclude: ReadonlyArray<{ id: number }>): void {
    const push = (to: number[] | Int32Array | Float64Array, v: number) => (to as number[]).push(v);
    for (const e of exclude) push(this.ex, e.id);
    push(this.exStart, this.ex.length);
    for (const r of requireAny) push(this.req, r.id);
    push(this.reqStart, this.req.length);
    for (const e of evidence) {
      push(this.ev, e.id);
      push(this.weights, e.weight);
    }
    push(this.evStart, this.ev.length);
  }

  /** Packs the lists into typed arrays (after the last add). */
  finish(): void {
    this.ex = Int32Array.from(this.ex);
    this.exStart = Int32Array.from(this.exStart);
    this.req = Int32Array.from(this.req);
    this.reqStart = Int32Array.from(this.reqStart);
    this.ev = Int32Array.from(this.ev);
    this.weights = Float64Array.from(this.weights);
    this.evStart = Int32Array.from(this.evStart);
  }

  /** The packed lists (after finish()). */
  state(): IntentConditionsState {
    const copy = (a: number[] | Int32Array) => Int32Array.from(a);
    return { ex: copy(this.ex), exStart: copy(this.exStart), req: copy(this.req), reqStart: copy(this.reqStart), ev: copy(this.ev), weights: Float64Array.from(this.weights), evStart: copy(this.evStart) };
  }

  /** In place of add() and finish(): false when the lists do not fit `intents` intents. */
  restore(s: IntentConditionsState, intents: number): boolean {
    const fits = (start: Int32Array, list: Int32Array) => start.length === intents + 1 && start[0] === 0 && start[intents] === list.length;
    if (!fits(s.exStart, s.ex) || !fits(s.reqStart, s.req) || !fits(s.evStart, s.ev) || s.weights.length !== s.ev.length) return false;
    this.ex = s.ex;
    this.exStart = s.exStart;
    this.req = s.req;
    this.reqStart = s.reqStart;
    this.ev = s.ev;
    this.weights = s.weights;
    this.evStart = s.evStart;
    return true;
  }

  /** Intent ii's condition ids: its evidence, required-any and exclusions, in declaration order. */
  idsOf(ii: number): { evidence: ArrayLike<number>; requireAny: ArrayLike<number>; exclude: ArrayLike<number> } {
    const part = (list: number[] | Int32Array, start: number[] | Int32Array) => list.slice(start[ii] as number, start[ii + 1] as number);
    return { evidence: part(this.ev, this.evStart), requireAny: part(this.req, this.reqStart), exclude: part(this.ex, this.exStart) };
  }

  /** Intent ii's summed evidence weights in the paste, in declaration order (-1 when excluded or a required condition is missing). */
  sum(ii: number, found: Found): number {
    const ex = this.ex;
    for (let k = this.exStart[ii] as number, end = this.exStart[ii + 1] as number; k < end; k++) if (found.has(ex[k] as number)) return -1;
    const req = this.req;
    const r0 = this.reqStart[ii] as number;
    const r1 = this.reqStart[ii + 1] as number;
    if (r1 > r0) {
      let any = false;
      for (let k = r0; k < r1 && !any; k++) any = found.has(req[k] as number);
      if (!any) return -1;
    }
    const ev = this.ev;
    const weights = this.weights;
    let sum = 0;
    for (let k = this.evStart[ii] as number, end = this.evStart[ii + 1] as number; k < end; k++) if (found.has(ev[k] as number)) sum += weights[k] as number;
    return sum;
  }
}
