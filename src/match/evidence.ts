// Evidence: one intent's condition compiled for lookup, and the paste's signals indexed to answer it.
import type { Condition, EvidenceKey, PasteKind } from '../catalog/schema.ts';

/** The evidence keys in schema.ts's order (a copy, so the matcher loads without zod; a test keeps them equal). */
export const EVIDENCE_KEYS: readonly EvidenceKey[] = ['status', 'reply', 'component', 'agent', 'phrase', 'eventId', 'kb', 'hresult', 'exception', 'cmdlet', 'http', 'kind'];
import { phraseWords } from './words.ts';
import type { Signal, SignalType, Span, Word } from './types.ts';

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

/** Where each condition is met in a paste: condition id -> span (null for the paste kind). */
export type Found = Map<number, Span | null>;

/**
 * Every distinct condition of the catalog, indexed so a paste is answered in time proportional to its
 * signals: exact values by hash lookup, components by their dotted prefixes, and only the few
 * prefix-style conditions (status wildcards, exceptions, agents) checked one by one.
 */
export class ConditionIndex {
  private readonly ids = new Map<string, number>();
  private readonly exact = new Map<string, number>();
  private readonly loose: Array<{ id: number; c: CompiledCondition; type: SignalType }> = [];
  private readonly phraseIds = new Map<string, number>();
  private readonly kindIds = new Map<string, number>();
  readonly phrases = new PhraseIndex();

  /** The id of a condition, registering it on first sight. */
  register(c: CompiledCondition): number {
    const key = `${c.key}\u0000${c.value}`;
    let id = this.ids.get(key);
    if (id !== undefined) return id;
    id = this.ids.size;
    this.ids.set(key, id);
    if (c.key === 'phrase') {
      this.phraseIds.set(c.value, id);
      this.phrases.add(c);
    } else if (c.key === 'kind') {
      this.kindIds.set(c.value, id);
    } else {
      const type = SIGNAL_FOR_KEY[c.key] as SignalType;
      const loose = c.key === 'exception' || c.key === 'agent' || (c.key === 'status' && c.value.endsWith('*'));
      if (loose) this.loose.push({ id, c, type });
      else this.exact.set(`${type}\u0000${c.value}`, id);
    }
    return id;
  }

  resolve(signals: readonly Signal[], kind: PasteKind, words: readonly Word[]): Found {
    const found: Found = new Map();
    const byType = new Map<SignalType, Signal[]>();
    for (const s of signals) {
      let list = byType.get(s.type);
      if (!list) byType.set(s.type, (list = []));
      list.push(s);
      const v = s.value.toLowerCase();
      this.hit(found, `${s.type}\u0000${v}`, s.span);
      if (s.type === 'component') {
        for (let dot = v.indexOf('.'); dot > 0; dot = v.indexOf('.', dot + 1)) this.hit(found, `component\u0000${v.slice(0, dot)}`, s.span);
      }
    }
    for (const { id, c, type } of this.loose) {
      if (found.has(id)) continue;
      const s = byType.get(type)?.find((x) => looseMatch(c, x.value.toLowerCase()));
      if (s) found.set(id, s.span);
    }
    for (const [phrase, span] of this.phrases.scan(words)) {
      const id = this.phraseIds.get(phrase);
      if (id !== undefined) found.set(id, span);
    }
    const k = this.kindIds.get(kind);
    if (k !== undefined) found.set(k, null);
    return found;
  }

  private hit(found: Found, key: string, span: Span): void {
    const id = this.exact.get(key);
    if (id !== undefined && !found.has(id)) found.set(id, span);
  }
}

function looseMatch(c: CompiledCondition, v: string): boolean {
  switch (c.key) {
    case 'status':
      return v.startsWith(c.value.slice(0, -1));
    case 'exception':
      // Any part of a dotted name, or its start: "MapiException" matches MapiExceptionShutoffQuotaExceeded.
      return v === c.value || v.split('.').some((part) => part.startsWith(c.value));
    default:
      return v === c.value || v.startsWith(c.value);
  }
}

/** Finds every catalog phrase in the paste in one pass over its words. */
export class PhraseIndex {
  private readonly byFirst = new Map<string, Array<{ key: string; words: string[] }>>();

  add(c: CompiledCondition): void {
    if (!c.words || c.words.length === 0) return;
    const first = c.words[0] as string;
    let list = this.byFirst.get(first);
    if (!list) this.byFirst.set(first, (list = []));
    if (!list.some((p) => p.key === c.value)) list.push({ key: c.value, words: c.words });
  }

  scan(words: readonly Word[]): Map<string, Span> {
    const hits = new Map<string, Span>();
    for (let i = 0; i < words.length; i++) {
      const candidates = this.byFirst.get((words[i] as Word).text);
      if (!candidates) continue;
      for (const p of candidates) {
        if (hits.has(p.key) || i + p.words.length > words.length) continue;
        let ok = true;
        for (let j = 1; j < p.words.length && ok; j++) ok = (words[i + j] as Word).text === p.words[j];
        if (ok) hits.set(p.key, [(words[i] as Word).start, (words[i + p.words.length - 1] as Word).end]);
      }
    }
    return hits;
  }
}
