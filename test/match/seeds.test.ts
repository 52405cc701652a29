// Every seed's own pasted text (test/fixtures/cases/seeds.jsonl, the cases cut from shared/seeds/*.txt)
// leads to that seed's playbook, or is ambiguous between it and one other with a written question
// that has an answer settling on it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCases } from '../../src/match/evaluate.ts';
import { answerResult } from '../../src/match/answer.ts';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();
const catalog = matcher.catalog;
const cases = readCases(new URL('../fixtures/cases/seeds.jsonl', import.meta.url).pathname).filter((c) => /^seed\d{3}-/.test(c.id));

/** The playbooks written from seed NNN (their references name shared/seeds/NNN_…) that cover the case's topic. */
function seedPlaybooks(id: string, topic: string): string[] {
  const n = id.slice(4, 7);
  return catalog.playbooks
    .filter((p) => p.references.some((r) => r.seed?.startsWith(`shared/seeds/${n}_`)) && p.topics.includes(topic))
    .map((p) => p.id);
}

describe('each seed leads to its own playbook', () => {
  it('covers every seed file', () => {
    const seeds = new Set(cases.map((c) => c.id.slice(4, 7)));
    const files = readFileSync(new URL('../fixtures/cases/seeds.jsonl', import.meta.url), 'utf8');
    expect(seeds.size).toBeGreaterThanOrEqual(5);
    expect(files).toContain('seed002-ndr');
  });

  it.each(cases.map((c) => ({ id: c.id, c })))('$id', ({ c }) => {
    const own = seedPlaybooks(c.id, c.topic);
    expect(own.length, `no playbook of seed ${c.id.slice(4, 7)} covers ${c.topic}`).toBeGreaterThan(0);
    const r = matcher.match(c.text);
    const [first, second] = r.matches;
    if (r.verdict === 'match') {
      expect(own).toContain(first?.playbook);
      return;
    }
    expect(r.verdict).toBe('ambiguous');
    const pair = [first?.playbook, second?.playbook];
    const mine = own.find((p) => pair.includes(p));
    expect(mine, `ambiguous between ${pair.join(' and ')}`).toBeDefined();
    expect(r.questionId, 'an ambiguous seed asks a written question').toBeDefined();
    const settling = r.answers?.findIndex((a) => a.settles === mine) ?? -1;
    expect(settling).toBeGreaterThanOrEqual(0);
    const a = answerResult(r, catalog, String(settling + 1));
    expect(a.ok && a.result.verdict).toBe('match');
    expect(a.ok && a.result.matches[0]?.playbook).toBe(mine);
  });
});

/** The seed write-ups themselves (../shared/seeds beside the checkout, or beside its worktrees' folder): the whole text pasted. */
const SEEDS_DIR = [join(catalog.root, '..', 'shared', 'seeds'), join(catalog.root, '..', '..', 'shared', 'seeds')].find((d) => existsSync(d)) ?? '';
const seedFiles = (() => {
  try {
    return readdirSync(SEEDS_DIR).filter((f) => /^\d{3}_.*\.txt$/.test(f)).sort();
  } catch {
    return [];
  }
})();

describe.skipIf(seedFiles.length === 0)('each whole seed write-up leads to one of its playbooks', () => {
  it.each(seedFiles)('%s', (name) => {
    const own = catalog.playbooks.filter((p) => p.references.some((r) => r.seed === `shared/seeds/${name}`)).map((p) => p.id);
    expect(own.length).toBeGreaterThan(0);
    const r = matcher.match(readFileSync(join(SEEDS_DIR, name), 'utf8'));
    if (r.verdict === 'match') {
      expect(own).toContain(r.matches[0]?.playbook);
      return;
    }
    expect(r.verdict).toBe('ambiguous');
    const pair = r.matches.slice(0, 2).map((m) => m.playbook);
    const mine = pair.filter((p) => own.includes(p));
    expect(mine.length, `ambiguous between ${pair.join(' and ')}`).toBeGreaterThan(0);
    expect(r.questionId, 'a written question').toBeDefined();
    for (const p of mine) {
      const i = r.answers?.findIndex((a) => a.settles === p) ?? -1;
      const a = answerResult(r, catalog, String(i + 1));
      expect(a.ok && a.result.matches[0]?.playbook).toBe(p);
    }
  });
});
