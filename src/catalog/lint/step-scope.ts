// What a step may add about its scope and its proof: `appliesTo` names only versions the playbook itself
// covers, and fewer than all of them (else it says nothing); `proof` sits on the step that makes a fix,
// since it is asked when that step was done.
import type { CatalogProblem } from '../load.ts';
import { defineRule, eachPlaybook } from './rule.ts';

export const stepVersions = defineRule('step-versions', "a step's appliesTo is a proper subset of its playbook's versions", (ctx) =>
  eachPlaybook(ctx, (p, file) => {
    const covered = new Set<string>(p.appliesTo.versions);
    const problems: CatalogProblem[] = [];
    p.steps.forEach((s, i) => {
      if (!s.appliesTo) return;
      const outside = s.appliesTo.filter((v) => !covered.has(v));
      if (outside.length) problems.push({ file, field: `steps[${i}].appliesTo`, message: `${outside.join(', ')} ${outside.length > 1 ? 'are' : 'is'} not among the playbook's versions (${[...covered].join(', ')})` });
      else if (new Set(s.appliesTo).size === covered.size) problems.push({ file, field: `steps[${i}].appliesTo`, message: "names every version the playbook covers, so it skips nothing: leave it out" });
    });
    if (p.steps.length && p.steps.every((s) => s.appliesTo)) problems.push({ file, field: 'steps', message: 'every step names its versions: at least one step must apply to all of the playbook' });
    return problems;
  }),
);

export const stepProofs = defineRule('step-proofs', 'a proof sits on a step that changes something (the fix it proves)', (ctx) =>
  eachPlaybook(ctx, (p, file) =>
    p.steps.flatMap((s, i): CatalogProblem[] =>
      s.proof && s.changes === false
        ? [{ file, field: `steps[${i}].proof`, message: `step "${s.id}" changes nothing, so there is no fix of its own to prove: put the proof on the step that makes the change` }]
        : [],
    ),
  ),
);
