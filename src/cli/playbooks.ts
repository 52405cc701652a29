// `ehlo playbooks [words…] [--json]` lists the catalog by area; `ehlo playbooks show ID` prints one.
import type { Command } from 'commander';
import { loadCatalog, type Catalog } from '../catalog/load.ts';
import { AREAS, type Playbook } from '../catalog/schema.ts';
import { searchCatalog } from '../catalog/search.ts';
import { TOPICS } from '../catalog/topics.ts';
import { EXIT, UsageError } from './exit.ts';
import { renderPlaybook } from './render-playbook.ts';

/** The playbooks the words find (all of them without words), as the chat's `playbooks <words>` finds them. */
function chosenBy(catalog: Catalog, words: string[]): Playbook[] {
  return words.length ? searchCatalog(catalog, words.join(' ')) : catalog.playbooks;
}

export function listPlaybooks(catalog: Catalog, words: string[]): string {
  const chosen = chosenBy(catalog, words);
  if (chosen.length === 0) return `No playbook mentions ${words.map((w) => `"${w}"`).join(' and ')}. Try fewer words, or: ehlo playbooks\n`;
  const lines: string[] = [];
  for (const area of AREAS) {
    const inArea = chosen.filter((p) => p.area === area);
    if (!inArea.length) continue;
    lines.push(`${area} (${inArea.length})`);
    for (const p of inArea) lines.push(`  ${p.id.padEnd(44)} ${p.title}`);
    lines.push('');
  }
  const covered = new Set(catalog.playbooks.flatMap((p) => p.topics));
  const all = TOPICS.filter((t) => t !== 'none');
  const missing = all.filter((t) => !covered.has(t));
  lines.push(`${chosen.length} of ${catalog.playbooks.length} playbooks · topics covered ${all.length - missing.length}/${all.length}${missing.length ? ` (not yet: ${missing.join(', ')})` : ''}`);
  lines.push('Read one: ehlo playbooks show <id>');
  return `${lines.join('\n')}\n`;
}

export function registerPlaybooks(program: Command): void {
  const cmd = program
    .command('playbooks')
    .description('list the playbook catalog grouped by area, optionally only those mentioning WORDS')
    .argument('[words...]', 'words to look for in the id, title, summary, topics and symptoms (the playbooks that mention the most of them; an exact id finds that playbook)')
    .option('--json', 'print the catalog as JSON (id, title, area, topics, summary)')
    .action((words: string[], opts: { json?: boolean }) => {
      const catalog = loadCatalog();
      if (opts.json) {
        const list = chosenBy(catalog, words).map((p) => ({ id: p.id, title: p.title, area: p.area, topics: p.topics, summary: p.summary, versions: p.appliesTo.versions }));
        process.stdout.write(`${JSON.stringify(list)}\n`);
      } else process.stdout.write(listPlaybooks(catalog, words));
      process.exitCode = EXIT.ok;
    });
  cmd
    .command('show')
    .description('print one playbook as a user reads it: diagnosis, causes, steps, references')
    .argument('<id>', 'playbook id (see: ehlo playbooks)')
    .option('--json', 'print the playbook as JSON')
    .action((id: string, opts: { json?: boolean }) => {
      const catalog = loadCatalog();
      const p = catalog.playbookById.get(id);
      if (!p) {
        const near = catalog.playbooks.filter((x) => x.id.includes(id) || id.includes(x.id)).map((x) => x.id);
        throw new UsageError(`no playbook "${id}".${near.length ? ` Did you mean: ${near.slice(0, 5).join(', ')}?` : ' List them with: ehlo playbooks'}`);
      }
      process.stdout.write(opts.json ? `${JSON.stringify(p, null, 2)}\n` : renderPlaybook(p, catalog));
      process.exitCode = EXIT.ok;
    });
}
