import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { loadCatalog, PROJECT_ROOT, type Catalog } from '../../src/catalog/load.ts';
import { readCompiled } from '../../src/match/compiled.ts';
import { Matcher } from '../../src/match/matcher.ts';
import type { MatcherTables } from '../../src/match/tables.ts';
import { snapshotInputs } from './snapshot-inputs.ts';

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

// The recorded results (test/match/results.test.ts) for every snapshot input.
const recorded = gunzipSync(readFileSync(fileURLToPath(new URL('./fixtures/results-snapshot.jsonl.gz', import.meta.url))))
  .toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { name: string; result: unknown });

describe("the matcher's tables (a warm start takes them over instead of building)", () => {
  const catalog = loadCatalog();
  const compiled = readCompiled(catalog.root, catalog.key as string) ?? (new Matcher(catalog), readCompiled(catalog.root, catalog.key as string));

  it('restore to what a build gives: the same tables again, and every recorded result', () => {
    const built = new Matcher(catalog, compiled);
    expect(built.restored).toBe(false);
    const tables = built.tables();
    expect(tables).toBeDefined();
    const warm = new Matcher(catalog, { text: compiled!.text, conditions: [] }, tables);
    expect(warm.restored).toBe(true);
    expect(warm.tables()).toEqual(tables);
    const inputs = snapshotInputs(catalog);
    expect(inputs.map((i) => i.name)).toEqual(recorded.map((r) => r.name));
    const drift = inputs.filter((input, i) => JSON.stringify(warm.match(input.text)) !== JSON.stringify(recorded[i]?.result)).map((i) => i.name);
    expect(drift).toEqual([]);
  });

  it('are refused when they do not fit the catalog or are malformed, and the matcher is built instead', () => {
    const tables = new Matcher(catalog, compiled).tables()!;
    const reference = answers(new Matcher(catalog, compiled));
    const fewer = { ...catalog, intents: catalog.intents.slice(1) };
    const broken: Array<[string, Catalog, MatcherTables]> = [
      ['another format', catalog, { ...tables, format: tables.format + 1 }],
      ['another catalog', fewer, tables],
      ['a lexicon table of no power of two', catalog, { ...tables, lexicon: { ...tables.lexicon, table: tables.lexicon.table.subarray(4) } }],
      // Every slot an edge (node 0, word 0, child 1): no probe would ever end.
      ['a phrase trie without an empty slot', catalog, { ...tables, conditions: { ...tables.conditions, phrases: { ...tables.conditions.phrases, edges: Int32Array.from(tables.conditions.phrases.edges, (_, k) => (k % 3 === 2 ? 1 : 0)) } } }],
      ['a phrase trie edge to a node it has not', catalog, { ...tables, conditions: { ...tables.conditions, phrases: { ...tables.conditions.phrases, edges: edgeTo(tables.conditions.phrases.edges, tables.conditions.phrases.endStart.length - 1) } } }],
      ['a phrase edge table of no whole number of slots', catalog, { ...tables, conditions: { ...tables.conditions, phrases: { ...tables.conditions.phrases, edges: tables.conditions.phrases.edges.subarray(1) } } }],
      ['trigger lists of another length', catalog, { ...tables, triggerStart: tables.triggerStart.subarray(1) }],
      ['intent lists of another length', catalog, { ...tables, intentConditions: { ...tables.intentConditions, evStart: tables.intentConditions.evStart.subarray(1) } }],
      ['too few question ids', catalog, { ...tables, telling: tables.telling.subarray(1) }],
    ];
    // The literals' automaton in two bytes a transition, as built, and so in the tables.
    expect(tables.literals.delta).toBeInstanceOf(Uint16Array);
    // The literals' automaton of other patterns (another version's) is built afresh; the rest is taken over.
    const otherLiterals = new Matcher(catalog, compiled, { ...tables, literals: { ...tables.literals, patterns: ['zebra'] } });
    expect(otherLiterals.restored).toBe(true);
    expect(answers(otherLiterals)).toEqual(reference);
    expect(otherLiterals.tables()?.literals).toEqual(tables.literals);
    for (const [what, cat, t] of broken) {
      const m = new Matcher(cat, compiled, t);
      expect(m.restored, what).toBe(false);
      if (cat === catalog) expect(answers(m), what).toEqual(reference);
    }
  });
});

/** The edge table with its first edge's child set to `node`. */
function edgeTo(edges: Int32Array<ArrayBuffer>, node: number): Int32Array<ArrayBuffer> {
  const out = edges.slice();
  for (let slot = 0; slot * 3 < out.length; slot++) {
    if ((out[slot * 3] as number) >= 0) {
      out[slot * 3 + 2] = node;
      break;
    }
  }
  return out;
}
