// The shape of one lint rule: a name, one line on what it checks, and a function from the loaded catalog to
// the problems it finds (each with file and field). Rules are registered in src/catalog/lint/index.ts.
import type { Catalog, CatalogProblem } from '../load.ts';

export interface LintContext {
  catalog: Catalog;
  /** The file an intent or playbook came from (relative to the catalog root). */
  file(o: object, fallback: string): string;
}

export interface LintRule {
  /** kebab-case, shown with each problem it finds. */
  name: string;
  what: string;
  check(ctx: LintContext): CatalogProblem[];
}

export function defineRule(name: string, what: string, check: (ctx: LintContext) => CatalogProblem[]): LintRule {
  return { name, what, check };
}

/** Runs `fn` on each playbook with its file, concatenating the problems. */
export function eachPlaybook(ctx: LintContext, fn: (p: Catalog['playbooks'][number], file: string) => CatalogProblem[]): CatalogProblem[] {
  return ctx.catalog.playbooks.flatMap((p) => fn(p, ctx.file(p, p.id)));
}
