// `ehlo lint`: the schema and cross-file checks of load.ts, then every rule of src/catalog/lint/index.ts.
// Every problem is reported at once, each with its file and field.
import { crossCheck, readCatalog, type Catalog, type CatalogProblem } from './load.ts';
import { RULES, type LintContext, type LintRule } from './lint/index.ts';
import { coveredTopics } from './lint/topics.ts';
import { TOPICS } from './topics.ts';

export { MIN_EXAMPLES_PER_PLAYBOOK } from './lint/intents.ts';
export { TARGET_PLACEHOLDERS } from './lint/probes.ts';

export interface LintStats {
  playbooks: number;
  intents: number;
  topics: number;
  topicsCovered: number;
}

/** Lint the catalog under root: schema problems plus every rule (RULES unless a list is given). */
export function lintCatalog(root?: string, rules: readonly LintRule[] = RULES): { problems: CatalogProblem[]; stats: LintStats; catalog: Catalog } {
  const { catalog, problems } = readCatalog(root);
  problems.push(...crossCheck(catalog));
  const ctx: LintContext = { catalog, file: (o, fallback) => catalog.fileOf.get(o) ?? fallback };
  for (const rule of rules) problems.push(...rule.check(ctx));
  return {
    problems,
    catalog,
    stats: { playbooks: catalog.playbooks.length, intents: catalog.intents.length, topics: TOPICS.length - 1, topicsCovered: coveredTopics(catalog).size },
  };
}
