// Everything `ehlo lint` checks beyond the schema: ids, links between files, step graphs, probe
// targets, topic coverage, duplicate evidence and example counts. Every problem is reported at once.
import { crossCheck, readCatalog, type Catalog, type CatalogProblem } from './load.ts';
import { lintQuestions, readQuestions } from './questions.ts';
import { EVIDENCE_KEYS, type Condition, type Playbook } from './schema.ts';
import { TOPICS, TOPIC_SET } from './topics.ts';

/** Placeholders a step's probe target may use; the conversation fills them from the paste or asks. */
export const TARGET_PLACEHOLDERS = new Set(['host', 'domain', 'ip', 'email', 'url', 'port']);
export const MIN_EXAMPLES_PER_PLAYBOOK = 3;

export interface LintStats {
  playbooks: number;
  intents: number;
  topics: number;
  topicsCovered: number;
}

function placeholders(target: string): string[] {
  const out: string[] = [];
  let i = target.indexOf('{');
  while (i >= 0) {
    const j = target.indexOf('}', i);
    if (j < 0) {
      out.push(target.slice(i));
      break;
    }
    out.push(target.slice(i + 1, j));
    i = target.indexOf('{', j);
  }
  return out;
}

function lintSteps(p: Playbook, file: string, problems: CatalogProblem[]): void {
  const ids = new Set<string>();
  p.steps.forEach((s, i) => {
    if (ids.has(s.id)) problems.push({ file, field: `steps[${i}].id`, message: `step id "${s.id}" is used twice` });
    ids.add(s.id);
  });
  p.steps.forEach((s, i) => {
    for (const outcome of ['done', 'failed', 'skipped'] as const) {
      const target = s.next?.[outcome];
      if (target && target !== 'end' && target !== 'escalate' && !ids.has(target)) {
        problems.push({ file, field: `steps[${i}].next.${outcome}`, message: `"${target}" is not a step of this playbook (nor end / escalate)` });
      }
      if (target === s.id) problems.push({ file, field: `steps[${i}].next.${outcome}`, message: 'a step cannot lead to itself' });
    }
    if (s.probe) {
      for (const ph of placeholders(s.probe.target)) {
        if (!TARGET_PLACEHOLDERS.has(ph)) {
          problems.push({ file, field: `steps[${i}].probe.target`, message: `unknown placeholder {${ph}}; use one of ${[...TARGET_PLACEHOLDERS].map((x) => `{${x}}`).join(', ')}` });
        }
      }
    }
  });
}

function conditionKey(c: Condition): string {
  const key = EVIDENCE_KEYS.find((k) => c[k] !== undefined) as string;
  return `${key}=${String(c[key as keyof Condition]).toLowerCase()}`;
}

/** Lint the catalog under root: schema problems plus every cross-file rule. */
export function lintCatalog(root?: string): { problems: CatalogProblem[]; stats: LintStats; catalog: Catalog } {
  const { catalog, problems } = readCatalog(root);
  problems.push(...crossCheck(catalog));
  // Telling-apart questions (questions/*.yaml): schema, then both playbooks exist and each is settled on.
  const asked = readQuestions(catalog.root);
  problems.push(...asked.problems, ...lintQuestions(catalog, asked.questions));
  const file = (o: object, fallback: string) => catalog.fileOf.get(o) ?? fallback;

  const seen = new Map<string, string>();
  for (const item of [...catalog.playbooks.map((p) => ['playbook', p] as const), ...catalog.intents.map((i) => ['intent', i] as const)]) {
    const [what, obj] = item;
    const key = `${what}:${obj.id}`;
    const f = file(obj, obj.id);
    if (seen.has(key)) problems.push({ file: f, field: 'id', message: `${what} id "${obj.id}" is also used by ${seen.get(key)}` });
    seen.set(key, f);
  }

  const covered = new Set<string>();
  for (const p of catalog.playbooks) {
    const f = file(p, p.id);
    p.topics.forEach((t, i) => {
      if (!TOPIC_SET.has(t) || t === 'none') problems.push({ file: f, field: `topics[${i}]`, message: `"${t}" is not a topic of TOPICS.md` });
      else covered.add(t);
    });
    lintSteps(p, f, problems);
    const intents = catalog.intents.filter((i) => i.playbook === p.id);
    if (intents.length === 0) problems.push({ file: f, field: 'id', message: 'no intent leads to this playbook' });
    const pastes = new Set(intents.flatMap((i) => i.examples.map((e) => e.text.trim())));
    if (intents.length && pastes.size < MIN_EXAMPLES_PER_PLAYBOOK) {
      problems.push({ file: f, field: 'id', message: `only ${pastes.size} distinct real paste(s) across its intents' examples; at least ${MIN_EXAMPLES_PER_PLAYBOOK} are needed` });
    }
  }
  for (const t of TOPICS) {
    if (t !== 'none' && !covered.has(t)) problems.push({ file: 'playbooks/', field: 'topics', message: `topic "${t}" is covered by no playbook` });
  }

  const bySignature = new Map<string, string>();
  for (const i of catalog.intents) {
    const sig = i.evidence.map(conditionKey).sort().join('|');
    const other = bySignature.get(sig);
    if (other) problems.push({ file: file(i, i.id), field: 'evidence', message: `same evidence as intent "${other}"; merge them or tell them apart` });
    else bySignature.set(sig, i.id);
    i.evidence.forEach((e, k) => {
      if (e.phrase !== undefined && e.phrase.trim().split(/\s+/).length < 2 && e.phrase.length < 6 && !/\d/.test(e.phrase)) {
        problems.push({ file: file(i, i.id), field: `evidence[${k}].phrase`, message: 'a one-word phrase this short (and with no digit, like a code) matches too much; use a longer phrase' });
      }
    });
  }

  return {
    problems,
    catalog,
    stats: { playbooks: catalog.playbooks.length, intents: catalog.intents.length, topics: TOPICS.length - 1, topicsCovered: covered.size },
  };
}
