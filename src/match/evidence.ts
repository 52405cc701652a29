// Evidence: one intent's condition compiled for lookup, and the paste's signals indexed to answer it.
import { EVIDENCE_KEYS, type Condition, type EvidenceKey, type PasteKind } from '../catalog/schema.ts';
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

/** The paste's signals grouped for evidence lookup, plus the phrases found in it. */
export class PasteIndex {
  private readonly byType = new Map<SignalType, Signal[]>();
  readonly kind: PasteKind;
  private readonly phraseHits: Map<string, Span>;

  constructor(signals: readonly Signal[], kind: PasteKind, phraseHits: Map<string, Span>) {
    for (const s of signals) {
      let list = this.byType.get(s.type);
      if (!list) this.byType.set(s.type, (list = []));
      list.push(s);
    }
    this.kind = kind;
    this.phraseHits = phraseHits;
  }

  /** Where the condition is met in the paste (the first place), or undefined. */
  find(c: CompiledCondition): Span | null | undefined {
    if (c.key === 'phrase') return this.phraseHits.get(c.value);
    if (c.key === 'kind') return c.value === this.kind ? null : undefined;
    const list = this.byType.get(SIGNAL_FOR_KEY[c.key] as SignalType);
    if (!list) return undefined;
    for (const s of list) if (valueMatches(c, s.value)) return s.span;
    return undefined;
  }
}

function valueMatches(c: CompiledCondition, value: string): boolean {
  const v = value.toLowerCase();
  switch (c.key) {
    case 'status':
      return c.value.endsWith('*') ? v.startsWith(c.value.slice(0, -1)) : v === c.value;
    case 'component':
      return v === c.value || (v.startsWith(c.value) && v.charCodeAt(c.value.length) === 46);
    case 'exception':
      // Any part of a dotted name, or its start: "MapiException" matches MapiExceptionShutoffQuotaExceeded.
      return v === c.value || v.split('.').some((part) => part.startsWith(c.value));
    case 'agent':
      return v === c.value || v.startsWith(c.value);
    default:
      return v === c.value;
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
