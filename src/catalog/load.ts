// Load intents/*.yaml and playbooks/*.yaml, validate each with zod, and report every problem with
// its file and field. loadCatalog() refuses a catalog with problems; readCatalog() returns them.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { CACHE_FORMAT, catalogKey, readCache, writeCache, type CachedCatalog } from './cache.ts';
import type { Intent, Playbook } from './schema.ts';
import type { TellingQuestion } from './settle.ts';

// The YAML parser and the zod schemas (together some 400 modules) are loaded only when the YAML is
// read, not when the validated catalog comes from the cache (`ehlo match` on a warm start).
const require = createRequire(import.meta.url);
const yaml = () => require('yaml') as typeof import('yaml');
const schemas = () => require('./schema.ts') as typeof import('./schema.ts');
const questionFiles = () => require('./questions.ts') as typeof import('./questions.ts');

export interface CatalogProblem {
  file: string;
  field: string;
  message: string;
}

export interface Catalog {
  root: string;
  intents: Intent[];
  playbooks: Playbook[];
  playbookById: Map<string, Playbook>;
  /** The telling-apart questions of questions/*.yaml that are valid (ehlo lint reports the others). */
  questions?: TellingQuestion[];
  /** File each intent / playbook came from, for messages. */
  fileOf: Map<object, string>;
  /** The content hash of the files it was read from (set by loadCatalog; keys the compiled matcher cache). */
  key?: string;
}

export class CatalogError extends Error {
  readonly problems: CatalogProblem[];
  constructor(problems: CatalogProblem[]) {
    super(`the catalog has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}\nRun \`ehlo lint\` to see them all.`);
    this.problems = problems;
  }
}

export function formatProblem(p: CatalogProblem): string {
  return `${p.file}${p.field ? ` › ${p.field}` : ''}: ${p.message}`;
}

/** The project root (where intents/ and playbooks/ live). */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function yamlFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort().map((n) => join(dir, n));
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

function readOne<T>(file: string, root: string, schema: z.ZodType<T>, problems: CatalogProblem[]): T | null {
  const rel = relative(root, file);
  let data: unknown;
  try {
    data = yaml().parse(readFileSync(file, 'utf8'), { prettyErrors: true });
  } catch (err) {
    problems.push({ file: rel, field: '', message: `not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` });
    return null;
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push({ file: rel, field: fieldPath(issue.path), message: issue.message });
    return null;
  }
  const id = (result.data as { id?: string }).id;
  const stem = basename(file).replace(/\.ya?ml$/, '');
  if (id !== stem) problems.push({ file: rel, field: 'id', message: `id "${id}" must equal the file name "${stem}"` });
  return result.data;
}

/** Read and validate every file; never throws for content problems. */
export function readCatalog(root: string = PROJECT_ROOT): { catalog: Catalog; problems: CatalogProblem[] } {
  const { Intent, Playbook } = schemas();
  const problems: CatalogProblem[] = [];
  const fileOf = new Map<object, string>();
  const intents: Intent[] = [];
  const playbooks: Playbook[] = [];
  for (const file of yamlFiles(join(root, 'playbooks'))) {
    const p = readOne(file, root, Playbook, problems);
    if (p) {
      playbooks.push(p);
      fileOf.set(p, relative(root, file));
    }
  }
  for (const file of yamlFiles(join(root, 'intents'))) {
    const i = readOne(file, root, Intent, problems);
    if (i) {
      intents.push(i);
      fileOf.set(i, relative(root, file));
    }
  }
  if (playbooks.length === 0) problems.push({ file: 'playbooks/', field: '', message: 'no playbook files found' });
  if (intents.length === 0) problems.push({ file: 'intents/', field: '', message: 'no intent files found' });
  const playbookById = new Map(playbooks.map((p) => [p.id, p]));
  // Questions whose pair is not in the catalog are left out here; the lint rule names them.
  const questions = questionFiles().readQuestions(root).questions.filter((q) => q.between.every((id) => playbookById.has(id)));
  return { catalog: { root, intents, playbooks, playbookById, fileOf, questions }, problems };
}

/**
 * Load the catalog for use; a catalog with any problem stops here with every problem listed.
 * A validated catalog is cached (see cache.ts) until any of its files changes.
 */
export function loadCatalog(root: string = PROJECT_ROOT): Catalog {
  const key = catalogKey(root, readFileSync(SCHEMA_FILE, 'utf8'));
  const cached = readCache(root, key);
  if (cached) return { ...fromCache(root, cached), key };
  const { catalog, problems } = readCatalog(root);
  const all = [...problems, ...crossCheck(catalog)];
  if (all.length) throw new CatalogError(all);
  const file = (o: object) => catalog.fileOf.get(o) ?? '';
  writeCache(root, {
    format: CACHE_FORMAT,
    key,
    playbooks: catalog.playbooks.map((value) => ({ file: file(value), value })),
    intents: catalog.intents.map((value) => ({ file: file(value), value })),
    questions: catalog.questions ?? [],
  });
  catalog.key = key;
  return catalog;
}

const SCHEMA_FILE = fileURLToPath(new URL('./schema.ts', import.meta.url));

function fromCache(root: string, cached: CachedCatalog): Catalog {
  const fileOf = new Map<object, string>();
  for (const { file, value } of [...cached.playbooks, ...cached.intents]) fileOf.set(value, file);
  const playbooks = cached.playbooks.map((p) => p.value);
  return { root, playbooks, intents: cached.intents.map((i) => i.value), playbookById: new Map(playbooks.map((p) => [p.id, p])), fileOf, questions: cached.questions ?? [] };
}

/** Checks across files that the matcher needs to hold (lint adds more). */
export function crossCheck(catalog: Catalog): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  for (const intent of catalog.intents) {
    if (!catalog.playbookById.has(intent.playbook)) {
      problems.push({ file: catalog.fileOf.get(intent) ?? intent.id, field: 'playbook', message: `no playbook "${intent.playbook}" in playbooks/` });
    }
  }
  return problems;
}
