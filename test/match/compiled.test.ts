import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, PROJECT_ROOT } from '../../src/catalog/load.ts';
import { readCompiled } from '../../src/match/compiled.ts';
import { Matcher } from '../../src/match/matcher.ts';

function copyCatalog(): string {
  const root = mkdtempSync(join(tmpdir(), 'ehlo-compiled-'));
  cpSync(join(PROJECT_ROOT, 'intents'), join(root, 'intents'), { recursive: true });
  cpSync(join(PROJECT_ROOT, 'playbooks'), join(root, 'playbooks'), { recursive: true });
  return root;
}

const PASTES = [
  '432 4.2.0 STOREDRV.Deliver; Agent transient failure during message resubmission [Agent: Mailbox Rules Agent]',
  'users say outlook keeps asking for a password after we moved mailboxes to exchange online',
  'Remote Server returned 550 5.7.1 Unable to relay',
];
const answers = (m: Matcher) => PASTES.map((p) => JSON.stringify(m.match(p)));

describe('the compiled matcher cache (beside the validated catalog)', () => {
  const binOf = (root: string) => join(root, 'node_modules', '.cache', 'ehlo', 'matcher.bin');

  it('is written on the first start, read on the next, and answers the same', () => {
    const root = copyCatalog();
    const cold = new Matcher(loadCatalog(root));
    expect(existsSync(binOf(root))).toBe(true);
    const catalog = loadCatalog(root);
    expect(readCompiled(root, catalog.key!)).toBeDefined();
    expect(answers(new Matcher(catalog))).toEqual(answers(cold));
  });

  it('is keyed by the catalog: a changed file is not served the old index', () => {
    const root = copyCatalog();
    const before = loadCatalog(root);
    new Matcher(before);
    const file = join(root, 'playbooks', 'oof-mailbox-rules-agent-legacyinterop.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Zebra giraffe okapi'));
    const after = loadCatalog(root);
    expect(after.key).not.toBe(before.key);
    expect(readCompiled(root, after.key!)).toBeUndefined();
    const m = new Matcher(after);
    expect(m.match('zebra giraffe okapi in exchange outlook').matches[0]?.playbook).toBe('oof-mailbox-rules-agent-legacyinterop');
  });

  it('ignores a corrupt, truncated or foreign file and compiles again', () => {
    const root = copyCatalog();
    const reference = answers(new Matcher(loadCatalog(root)));
    const good = readFileSync(binOf(root));
    const flipped = Buffer.from(good);
    flipped[flipped.length - 3] = (flipped[flipped.length - 3] as number) ^ 0xff;
    for (const bad of [flipped, good.subarray(0, good.length >> 1), Buffer.from('not a cache'), Buffer.alloc(0)]) {
      writeFileSync(binOf(root), bad);
      const catalog = loadCatalog(root);
      expect(readCompiled(root, catalog.key!)).toBeUndefined();
      expect(answers(new Matcher(catalog))).toEqual(reference);
    }
  });
});
