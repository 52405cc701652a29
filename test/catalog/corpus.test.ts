import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { defaultMatcher } from '../../src/match/index.ts';
import { evaluate, formatMisses, readFixtureCases } from '../../src/match/evaluate.ts';

const fixtures = fileURLToPath(new URL('../fixtures', import.meta.url));
const cases = readFixtureCases(fixtures);
const matcher = defaultMatcher();

describe('the labelled corpus (shared/corpus copy and test/fixtures/cases)', () => {
  it('every case keeps its public source', () => {
    for (const c of cases) expect(c.source.length, c.id).toBeGreaterThan(5);
  });

  it('gets the top-1 topic right on at least 95% of cases', () => {
    const e = evaluate(matcher, cases.filter((c) => c.topic !== 'none'));
    if (e.misses.length) console.log(`confusion list (${e.misses.length} misses of ${e.total}):\n${formatMisses(e)}`);
    expect(e.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('answers none for every none case', () => {
    const negatives = cases.filter((c) => c.topic === 'none');
    expect(negatives.length).toBeGreaterThan(0);
    for (const c of negatives) expect(matcher.match(c.text).verdict, c.id).toBe('none');
  });
});
