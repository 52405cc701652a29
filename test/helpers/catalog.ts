// A copy of the project's catalog in a temp folder, with some files replaced: lint rules run on it as on the real one.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintCatalog } from '../../src/catalog/lint.ts';
import type { LintRule } from '../../src/catalog/lint/index.ts';
import { PROJECT_ROOT } from '../../src/catalog/load.ts';

export function projectFile(rel: string): string {
  return readFileSync(join(PROJECT_ROOT, rel), 'utf8');
}

/** The project catalog with `files` (relative paths → text) replaced. */
export function catalogWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ehlo-catalog-'));
  cpSync(join(PROJECT_ROOT, 'intents'), join(root, 'intents'), { recursive: true });
  cpSync(join(PROJECT_ROOT, 'playbooks'), join(root, 'playbooks'), { recursive: true });
  for (const [rel, text] of Object.entries(files)) writeFileSync(join(root, rel), text);
  return root;
}

/** `file | field | message` lines that `rules` report on the catalog under root. */
export function problemsOf(root: string, rules: readonly LintRule[]): string[] {
  return lintCatalog(root, rules).problems.map((p) => `${p.file} | ${p.field} | ${p.message}`);
}

/** Replaces exactly one occurrence of `from` (throws when it is absent, so a test cannot pass by accident). */
export function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`not found: ${from}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
