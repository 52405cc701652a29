// Topics: each playbook names topics of TOPICS.md, and every topic is covered by some playbook.
import type { CatalogProblem } from '../load.ts';
import { TOPICS, TOPIC_SET } from '../topics.ts';
import type { Catalog } from '../load.ts';
import { defineRule, eachPlaybook } from './rule.ts';

export function coveredTopics(catalog: Catalog): Set<string> {
  return new Set(catalog.playbooks.flatMap((p) => p.topics.filter((t) => TOPIC_SET.has(t) && t !== 'none')));
}

export const knownTopics = defineRule('known-topics', 'every topic a playbook names is in TOPICS.md', (ctx) =>
  eachPlaybook(ctx, (p, file) => {
    const problems: CatalogProblem[] = [];
    p.topics.forEach((t, i) => {
      if (!TOPIC_SET.has(t) || t === 'none') problems.push({ file, field: `topics[${i}]`, message: `"${t}" is not a topic of TOPICS.md` });
    });
    return problems;
  }),
);

export const topicsCovered = defineRule('topics-covered', 'every topic of TOPICS.md is covered by a playbook', (ctx) => {
  const covered = coveredTopics(ctx.catalog);
  return TOPICS.filter((t) => t !== 'none' && !covered.has(t)).map((t) => ({ file: 'playbooks/', field: 'topics', message: `topic "${t}" is covered by no playbook` }));
});
