import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintCatalog } from '../../src/catalog/lint.ts';
import { loadCatalog, CatalogError } from '../../src/catalog/load.ts';

const model = readFileSync(new URL('../../playbooks/oof-mailbox-rules-agent-legacyinterop.yaml', import.meta.url), 'utf8');

function tempCatalog(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ehlo-lint-'));
  mkdirSync(join(root, 'intents'));
  mkdirSync(join(root, 'playbooks'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(root, name), body);
  return root;
}

describe('ehlo lint', () => {
  it('passes on the project catalog', () => {
    const { problems } = lintCatalog();
    expect(problems.map((p) => `${p.file} ${p.field}: ${p.message}`)).toEqual([]);
  });

  it('names the file, the field and what is wrong, for every problem at once', () => {
    const root = tempCatalog({
      'playbooks/oof-mailbox-rules-agent-legacyinterop.yaml': model.replace('area: queues-and-transport', 'area: nowhere'),
      'intents/a.yaml': 'id: a\nplaybook: missing-playbook\ntitle: An intent\nevidence:\n  - { status: "9.9.9", weight: 0.5 }\nexamples:\n  - { text: "550 5.1.1 x y z", source: "test" }\n',
      'intents/b.yaml': 'id: wrong-name\nplaybook: x\ntitle: Another\nevidence:\n  - { phrase: "relay denied", weight: 0.5 }\nexamples:\n  - { text: "relay denied here", source: "test" }\n',
      'intents/c.yaml': 'id: c\nplaybook: [oops\n',
    });
    const { problems } = lintCatalog(root);
    const text = problems.map((p) => `${p.file} | ${p.field} | ${p.message}`);
    expect(text.some((t) => t.startsWith('playbooks/oof-mailbox-rules-agent-legacyinterop.yaml | area |'))).toBe(true);
    expect(text.some((t) => t.startsWith('intents/a.yaml | evidence[0].status |'))).toBe(true);
    expect(text.some((t) => t.startsWith('intents/b.yaml | id |') && t.includes('file name'))).toBe(true);
    expect(text.some((t) => t.startsWith('intents/c.yaml |') && t.includes('YAML'))).toBe(true);
    expect(() => loadCatalog(root)).toThrow(CatalogError);
  });

  it('catches broken links between steps and intents', () => {
    const broken = model.replace('  - id: check-third-party-agents', '  - id: check-third-party-agents\n    next: { failed: no-such-step }');
    const root = tempCatalog({
      'playbooks/oof-mailbox-rules-agent-legacyinterop.yaml': broken,
      'intents/x.yaml': 'id: x\nplaybook: not-there\ntitle: Dangling intent\nevidence:\n  - { phrase: "agent transient failure", weight: 0.5 }\nexamples:\n  - { text: "Agent transient failure", source: "test" }\n',
    });
    const messages = lintCatalog(root).problems.map((p) => `${p.field}: ${p.message}`);
    expect(messages.some((m) => m.includes('next.failed') && m.includes('no-such-step'))).toBe(true);
    expect(messages.some((m) => m.startsWith('playbook:') && m.includes('not-there'))).toBe(true);
    expect(messages.some((m) => m.includes('no intent leads to this playbook'))).toBe(true);
  });
});
