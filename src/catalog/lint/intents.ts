// Intents: every playbook is reached by an intent with enough distinct real pastes; no two intents look
// for the same evidence; no one-word phrase so short it matches anything.
import type { CatalogProblem } from '../load.ts';
import { EVIDENCE_KEYS, type Condition } from '../schema.ts';
import { defineRule, eachPlaybook } from './rule.ts';

export const MIN_EXAMPLES_PER_PLAYBOOK = 3;

export const playbookReached = defineRule('playbook-reached', `an intent leads to each playbook, with at least ${MIN_EXAMPLES_PER_PLAYBOOK} distinct real pastes`, (ctx) =>
  eachPlaybook(ctx, (p, file) => {
    const intents = ctx.catalog.intents.filter((i) => i.playbook === p.id);
    if (intents.length === 0) return [{ file, field: 'id', message: 'no intent leads to this playbook' }];
    const pastes = new Set(intents.flatMap((i) => i.examples.map((e) => e.text.trim())));
    if (pastes.size < MIN_EXAMPLES_PER_PLAYBOOK) {
      return [{ file, field: 'id', message: `only ${pastes.size} distinct real paste(s) across its intents' examples; at least ${MIN_EXAMPLES_PER_PLAYBOOK} are needed` }];
    }
    return [];
  }),
);

function conditionKey(c: Condition): string {
  const key = EVIDENCE_KEYS.find((k) => c[k] !== undefined) as string;
  return `${key}=${String(c[key as keyof Condition]).toLowerCase()}`;
}

export const distinctEvidence = defineRule('distinct-evidence', 'no two intents look for exactly the same evidence', (ctx) => {
  const problems: CatalogProblem[] = [];
  const bySignature = new Map<string, string>();
  for (const i of ctx.catalog.intents) {
    const sig = i.evidence.map(conditionKey).sort().join('|');
    const other = bySignature.get(sig);
    if (other) problems.push({ file: ctx.file(i, i.id), field: 'evidence', message: `same evidence as intent "${other}"; merge them or tell them apart` });
    else bySignature.set(sig, i.id);
  }
  return problems;
});

export const specificPhrases = defineRule('specific-phrases', 'a one-word phrase is long enough (or has a digit) not to match everything', (ctx) =>
  ctx.catalog.intents.flatMap((i) =>
    i.evidence.flatMap((e, k) =>
      e.phrase !== undefined && e.phrase.trim().split(/\s+/).length < 2 && e.phrase.length < 6 && !/\d/.test(e.phrase)
        ? [{ file: ctx.file(i, i.id), field: `evidence[${k}].phrase`, message: 'a one-word phrase this short (and with no digit, like a code) matches too much; use a longer phrase' }]
        : [],
    ),
  ),
);
