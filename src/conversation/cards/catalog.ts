// Browsing and searching the playbook catalog from a thread.
import type { Catalog } from '../../catalog/load.ts';
import { AREAS } from '../../catalog/schema.ts';
import { searchCatalog } from '../../catalog/search.ts';
import { safeLine } from '../../text/neutralise.ts';
import { reply, type Reply } from '../reply.ts';
import { shortTitle, startButton } from './parts.ts';

const SHOWN = 8;

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
