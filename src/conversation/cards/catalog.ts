// Browsing and searching the playbook catalog from a thread.
import type { Catalog } from '../../catalog/load.ts';
import { AREAS, type Playbook } from '../../catalog/schema.ts';
import { safeLine } from '../../text/neutralise.ts';
import { reply, type Reply } from '../reply.ts';
import { shortTitle, startButton } from './parts.ts';

const SHOWN = 8;

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

export function catalogCard(thread: string, catalog: Catalog, query: string): Reply {
  if (!query.trim()) {
    const counts = AREAS.map((a) => `${a}: ${catalog.playbooks.filter((p) => p.area === a).length}`);
    return reply(thread, `${catalog.playbooks.length} playbooks`, [
      { type: 'header', text: `The catalog: ${catalog.playbooks.length} playbooks` },
      { type: 'list', items: counts },
      { type: 'text', text: 'Search it: playbooks <words> (for example: playbooks starttls, playbooks 5.7.1 relay).' },
    ], { kind: 'catalog' });
  }
  const found = searchCatalog(catalog, query);
  const q = safeLine(query, 80);
  if (found.length === 0) return reply(thread, `No playbook mentions ${q}`, [{ type: 'text', text: `No playbook mentions “${q}”. Try other words, or paste the error itself.` }], { kind: 'catalog' });
  const shown = found.slice(0, SHOWN);
  return reply(thread, `${found.length} playbooks for ${q}`, [
    { type: 'header', text: `Playbooks for “${q}”: ${found.length}` },
    { type: 'list', items: shown.map((p, i) => `${i + 1}. ${p.title} (${p.id})`) },
    ...(found.length > SHOWN ? [{ type: 'text' as const, text: `${found.length - SHOWN} more; add words to narrow it.` }] : []),
    { type: 'buttons', buttons: shown.map((p, i) => startButton({ playbook: p.id }, `Start ${i + 1}: ${shortTitle(p.title, 32)}`, false)) },
  ], { kind: 'catalog' });
}
