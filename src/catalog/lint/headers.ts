// Header rules: the rules `ehlo headers` judges a pasted header block by (src/headers/rules.ts) are data
// like intents, and are checked as such (src/headers/lint.ts).
import { lintHeaderRules } from '../../headers/lint.ts';
import { defineRule } from './rule.ts';

export const headerRules = defineRule(
  'header-rules',
  'each header rule has a unique kebab-case id, a known kind with the fields it needs, message placeholders its kind fills, and a vocabulary topic with a playbook',
  (ctx) => lintHeaderRules(ctx.catalog),
);
