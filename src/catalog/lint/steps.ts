// Step graphs: step ids are unique within a playbook and every next link names a step, end or escalate.
import type { CatalogProblem } from '../load.ts';
import { OUTCOMES } from './graph.ts';
import { defineRule, eachPlaybook } from './rule.ts';

export const uniqueStepIds = defineRule('unique-step-ids', 'step ids are unique within a playbook', (ctx) =>
  eachPlaybook(ctx, (p, file) => {
    const ids = new Set<string>();
    const problems: CatalogProblem[] = [];
    p.steps.forEach((s, i) => {
      if (ids.has(s.id)) problems.push({ file, field: `steps[${i}].id`, message: `step id "${s.id}" is used twice` });
      ids.add(s.id);
    });
    return problems;
  }),
);

export const stepLinks = defineRule('step-links', 'next.done / failed / skipped name a step of the playbook, end or escalate, never the step itself', (ctx) =>
  eachPlaybook(ctx, (p, file) => {
    const ids = new Set(p.steps.map((s) => s.id));
    const problems: CatalogProblem[] = [];
    p.steps.forEach((s, i) => {
      for (const outcome of OUTCOMES) {
        const target = s.next?.[outcome];
        if (target && target !== 'end' && target !== 'escalate' && !ids.has(target)) {
          problems.push({ file, field: `steps[${i}].next.${outcome}`, message: `"${target}" is not a step of this playbook (nor end / escalate)` });
        }
        if (target === s.id) problems.push({ file, field: `steps[${i}].next.${outcome}`, message: 'a step cannot lead to itself' });
      }
    });
    return problems;
  }),
);
