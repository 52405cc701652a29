// Ids: every intent and playbook id is used once.
import type { CatalogProblem } from '../load.ts';
import { defineRule } from './rule.ts';

export const uniqueIds = defineRule('unique-ids', 'each intent id and each playbook id is used by one file', (ctx) => {
  const problems: CatalogProblem[] = [];
  const seen = new Map<string, string>();
  const items = [...ctx.catalog.playbooks.map((p) => ['playbook', p] as const), ...ctx.catalog.intents.map((i) => ['intent', i] as const)];
  for (const [what, obj] of items) {
    const key = `${what}:${obj.id}`;
    const f = ctx.file(obj, obj.id);
    const other = seen.get(key);
    if (other) problems.push({ file: f, field: 'id', message: `${what} id "${obj.id}" is also used by ${other}` });
    else seen.set(key, f);
  }
  return problems;
});
