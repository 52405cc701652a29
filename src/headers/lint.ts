// `ehlo lint` for the header rules (src/headers/rules.ts), as it checks intents: unique kebab-case
// ids, a known kind, topics of the vocabulary with a weight in (0, 1], message placeholders the
// kind fills, the fields each kind needs, and a playbook for every topic a rule argues for.
import type { Catalog, CatalogProblem } from '../catalog/load.ts';
import { TOPIC_SET } from '../catalog/topics.ts';
import { HEADER_PLAYBOOKS } from './report.ts';
import { KIND_PLACEHOLDERS, RULE_KINDS } from './rule-kinds.ts';
import { HEADER_RULES, type HeaderRule } from './rules.ts';

const FILE = 'src/headers/rules.ts';

function placeholders(message: string): string[] {
  const out: string[] = [];
  let i = message.indexOf('{');
  while (i >= 0) {
    const j = message.indexOf('}', i);
    if (j < 0) break;
    out.push(message.slice(i + 1, j));
    i = message.indexOf('{', j);
  }
  return out;
}

export function lintHeaderRules(catalog: Catalog, rules: readonly HeaderRule[] = HEADER_RULES): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    const field = (f: string) => `HEADER_RULES[${i}] (${r.id}).${f}`;
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(r.id)) problems.push({ file: FILE, field: field('id'), message: 'must be kebab-case' });
    if (seen.has(r.id)) problems.push({ file: FILE, field: field('id'), message: `rule id "${r.id}" is used twice` });
    seen.add(r.id);
    if (!RULE_KINDS[r.kind]) {
      problems.push({ file: FILE, field: field('kind'), message: `unknown rule kind "${r.kind}"` });
      return;
    }
    for (const ph of placeholders(r.message)) {
      if (!KIND_PLACEHOLDERS[r.kind].includes(ph)) problems.push({ file: FILE, field: field('message'), message: `placeholder {${ph}} is not filled by kind ${r.kind} (it fills ${KIND_PLACEHOLDERS[r.kind].map((x) => `{${x}}`).join(', ')})` });
    }
    if (r.topic !== undefined) {
      if (!TOPIC_SET.has(r.topic) || r.topic === 'none') problems.push({ file: FILE, field: field('topic'), message: `"${r.topic}" is not a topic of TOPICS.md` });
      else {
        const id = HEADER_PLAYBOOKS[r.topic];
        const ok = id ? catalog.playbookById.has(id) : catalog.playbooks.some((p) => p.topics.includes(r.topic as string));
        if (!ok) problems.push({ file: FILE, field: field('topic'), message: `no playbook leads from topic "${r.topic}"${id ? ` (expected ${id})` : ''}` });
      }
      if (r.weight === undefined || !(r.weight > 0 && r.weight <= 1)) problems.push({ file: FILE, field: field('weight'), message: 'a rule with a topic needs a weight in (0, 1]' });
    } else if (r.weight !== undefined) problems.push({ file: FILE, field: field('weight'), message: 'a weight without a topic argues for nothing' });
    if ((r.kind === 'antispam-value' && (!r.field || !r.values?.length)) || (r.kind === 'antispam-range' && (!r.field || r.min === undefined || r.max === undefined))) {
      problems.push({ file: FILE, field: field('field'), message: `kind ${r.kind} needs field and ${r.kind === 'antispam-value' ? 'values' : 'min and max'}` });
    }
    if (r.kind === 'auth-result' && (!r.method || !r.results?.length)) problems.push({ file: FILE, field: field('method'), message: 'kind auth-result needs method and results' });
    if (r.kind === 'hop-delay' && r.minSeconds === undefined) problems.push({ file: FILE, field: field('minSeconds'), message: 'kind hop-delay needs minSeconds' });
    if (r.kind === 'hop-count' && r.maxHops === undefined) problems.push({ file: FILE, field: field('maxHops'), message: 'kind hop-count needs maxHops' });
  });
  return problems;
}
