// Telling-apart questions in the matcher: the catalog's question for a pair of playbooks (asked when
// the best two are that pair), and the pairs a paste leaves undecided whatever the scores say (the
// question's askWhen evidence is all there, none of its unlessAny): then the other of the pair is
// ranked second, just below the first, and the verdict is `ambiguous` with the question.
import type { Condition } from '../catalog/schema.ts';
import type { TellingQuestion } from '../catalog/settle.ts';
import type { Found } from './evidence.ts';
import type { Span } from './types.ts';

interface Row {
  question: TellingQuestion;
  askWhen: Array<{ id: number; label: string }>;
  unless: number[];
}

/** What a forced question adds: the question, the other playbook, the shared evidence seen (for its "why"). */
export interface Forced {
  question: TellingQuestion;
  other: string;
  shared: Array<{ label: string; span: Span | null }>;
}

export class TellingIndex {
  private readonly rows: Row[];
  private readonly byPlaybook = new Map<string, Row[]>();

  /** `register` compiles a condition into the matcher's condition index and returns its id and label. */
  constructor(questions: readonly TellingQuestion[], register: (c: Condition) => { id: number; label: string }) {
    this.rows = questions.map((question) => ({
      question,
      askWhen: (question.askWhen ?? []).map(register),
      unless: (question.unlessAny ?? []).map((c) => register(c).id),
    }));
    for (const row of this.rows) {
      if (row.askWhen.length === 0) continue;
      for (const p of row.question.between) {
        const list = this.byPlaybook.get(p) ?? [];
        list.push(row);
        this.byPlaybook.set(p, list);
      }
    }
  }

  /** The question for the two playbooks, in either order. */
  forPair(a: string, b: string): TellingQuestion | undefined {
    for (const { question: q } of this.rows) if ((q.between[0] === a && q.between[1] === b) || (q.between[0] === b && q.between[1] === a)) return q;
    return undefined;
  }

  /** The question the paste leaves open for the playbook ranked first, if any. */
  forced(top: string, found: Found): Forced | undefined {
    const rows = this.byPlaybook.get(top);
    if (!rows) return undefined;
    for (const row of rows) {
      if (!row.askWhen.every((c) => found.has(c.id))) continue;
      if (row.unless.some((id) => found.has(id))) continue;
      const [a, b] = row.question.between;
      return {
        question: row.question,
        other: a === top ? b : a,
        shared: row.askWhen.map((c) => ({ label: c.label, span: found.get(c.id) ?? null })),
      };
    }
    return undefined;
  }
}
