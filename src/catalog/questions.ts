// Telling-apart questions: for a pair of playbooks that pastes often leave undecided, a question a
// person can answer (written by us in questions/*.yaml, never generated from evidence names), and for
// each answer the playbook it settles on. The matcher asks it when its top two are such a pair; the
// answer re-ranks with `settle`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { Condition, Id, Reference } from './schema.ts';
import type { Catalog, CatalogProblem } from './load.ts';
import { PROJECT_ROOT } from './load.ts';

export const Answer = z
  .object({
    /** What the person says, in a few words (a button label). */
    label: z.string().min(2).max(80),
    /** The playbook this answer settles on; absent for "I don't know" (nothing changes). */
    settles: Id.optional(),
  })
  .strict();

export const Question = z
  .object({
    id: Id,
    /** The two playbooks this question tells apart. */
    between: z.tuple([Id, Id]),
    /** The question, answerable by a person without reading evidence names. */
    ask: z.string().min(20).max(400),
    /** How to find the answer when it is not known (a place to look, a command to run). */
    howToTell: z.string().min(20),
    answers: z.array(Answer).min(2).max(4),
    /** The paste shows all of these (the evidence both playbooks share): ask, however far apart the scores are. */
    askWhen: z.array(Condition).min(1).max(8).optional(),
    /** Any of these (evidence only one of the two has) decides it already: no question then. */
    unlessAny: z.array(Condition).max(30).optional(),
    references: z.array(Reference).min(1),
  })
  .strict();
export type Question = z.infer<typeof Question>;

/** Read questions/*.yaml under the catalog root; every problem is reported with file and field. */
export function readQuestions(root: string = PROJECT_ROOT): { questions: Question[]; problems: CatalogProblem[] } {
  const dir = join(root, 'questions');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort();
  } catch {
    return { questions: [], problems: [] };
  }
  const questions: Question[] = [];
  const problems: CatalogProblem[] = [];
  for (const name of names) {
    const file = `questions/${name}`;
    let raw: unknown;
    try {
      raw = parse(readFileSync(join(dir, name), 'utf8'));
    } catch (e) {
      problems.push({ file, field: '', message: `not valid YAML: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    const r = Question.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) problems.push({ file, field: issue.path.map(String).join('.'), message: issue.message });
      continue;
    }
    if (`${r.data.id}.yaml` !== name) problems.push({ file, field: 'id', message: `id "${r.data.id}" must match the file name` });
    questions.push(r.data);
  }
  return { questions, problems };
}

/** Cross-checks against the catalog: both playbooks exist, every answer settles on one of them, both are reachable. */
export function lintQuestions(catalog: Catalog, questions: readonly Question[]): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const pairs = new Map<string, string>();
  for (const q of questions) {
    const file = `questions/${q.id}.yaml`;
    const [a, b] = q.between;
    if (a === b) problems.push({ file, field: 'between', message: 'a question tells two different playbooks apart' });
    q.between.forEach((id, i) => {
      if (!catalog.playbookById.has(id)) problems.push({ file, field: `between[${i}]`, message: `no playbook "${id}"` });
    });
    const key = [a, b].sort().join(' ');
    const other = pairs.get(key);
    if (other) problems.push({ file, field: 'between', message: `the same pair is already asked by ${other}` });
    pairs.set(key, q.id);
    const settled = new Set<string>();
    q.answers.forEach((ans, i) => {
      if (ans.settles === undefined) return;
      if (!q.between.includes(ans.settles)) problems.push({ file, field: `answers[${i}].settles`, message: `"${ans.settles}" is not one of the two playbooks in between` });
      settled.add(ans.settles);
    });
    for (const id of q.between) if (!settled.has(id)) problems.push({ file, field: 'answers', message: `no answer settles on "${id}"` });
  }
  return problems;
}

export { answerIndex, questionFor, settle, type Ranked } from './settle.ts';
