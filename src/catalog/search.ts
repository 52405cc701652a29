// Searching the catalog by words: one meaning everywhere (the chat's `playbooks <words>`, `start
// <words>`, and `ehlo playbooks <words>`). Playbooks are ranked by how many of the words their id,
// title, summary, topics and symptoms mention; an exact id wins.
import type { Catalog } from './load.ts';
import type { Playbook } from './schema.ts';

function haystack(p: Playbook): string {
  return [p.id, p.title, p.summary, ...p.topics, ...p.symptoms].join(' ').toLowerCase();
}

/** Playbooks ranked by how many of the words they mention (all words first); an exact id wins. */
export function searchCatalog(catalog: Catalog, query: string): Playbook[] {
  const q = query.trim().toLowerCase();
  const exact = catalog.playbookById.get(q);
  if (exact) return [exact];
  const words = q.split(/[^a-z0-9.]+/).filter((w) => w.length >= 2).slice(0, 12);
  if (words.length === 0) return [];
  const scored = catalog.playbooks
    .map((p) => {
      const hay = haystack(p);
      return { p, hits: words.filter((w) => hay.includes(w)).length };
    })
    .filter((s) => s.hits > 0)
    .sort((a, b) => b.hits - a.hits || a.p.id.localeCompare(b.p.id));
  const best = scored[0]?.hits ?? 0;
  return scored.filter((s) => s.hits === best || s.hits >= Math.ceil(words.length / 2)).map((s) => s.p);
}

