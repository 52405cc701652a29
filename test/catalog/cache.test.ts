import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, PROJECT_ROOT } from '../../src/catalog/load.ts';

function copyCatalog(): string {
  const root = mkdtempSync(join(tmpdir(), 'ehlo-cache-'));
  cpSync(join(PROJECT_ROOT, 'intents'), join(root, 'intents'), { recursive: true });
  cpSync(join(PROJECT_ROOT, 'playbooks'), join(root, 'playbooks'), { recursive: true });
  return root;
}

describe('catalog cache', () => {
  const cacheOf = (root: string) => join(root, 'node_modules', '.cache', 'ehlo', 'catalog.json');
  const file = 'playbooks/oof-mailbox-rules-agent-legacyinterop.yaml';

  it('serves the same catalog from the cache and notices a changed file', () => {
    const root = copyCatalog();
    const first = loadCatalog(root);
    expect(existsSync(cacheOf(root))).toBe(true);
    const second = loadCatalog(root);
    expect(second.playbooks).toEqual(first.playbooks);
    expect(second.fileOf.get(second.playbookById.get('oof-mailbox-rules-agent-legacyinterop')!)).toBe(file);
    const path = join(root, file);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^title: .*$/m, 'title: A changed title for the cache test'));
    expect(loadCatalog(root).playbookById.get('oof-mailbox-rules-agent-legacyinterop')!.title).toBe('A changed title for the cache test');
  });

  it('ignores a corrupt cache and still refuses a broken catalog', () => {
    const root = copyCatalog();
    loadCatalog(root);
    writeFileSync(cacheOf(root), '{ not json');
    expect(loadCatalog(root).playbooks.length).toBeGreaterThan(0);
    writeFileSync(join(root, file), 'id: [broken');
    expect(() => loadCatalog(root)).toThrow(/not valid YAML/);
  });
});
