import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';
import { breakdown, formatBreakdown, type LabelledCase } from '../../src/match/evaluate.ts';

const cases: LabelledCase[] = [
  { id: 'a', text: "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'", source: 'test', topic: 'recipient-not-found', lang: 'en', kind: 'ndr' },
  { id: 'b', text: 'npm ERR! code ELIFECYCLE\nnpm ERR! errno 1', source: 'test', topic: 'none', lang: 'en', kind: 'log' },
  { id: 'c', text: "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'", source: 'test', topic: 'mailbox-full', lang: 'de', kind: 'ndr' },
];

describe('evaluation breakdown per language and paste kind', () => {
  const b = breakdown(defaultMatcher(), cases);
  it('counts top-1, top-3 and the none rate per group', () => {
    expect(b.all.total).toBe(3);
    expect(b.all.top1).toBeCloseTo(2 / 3);
    expect(b.byLang.get('de')?.top1).toBe(0);
    expect(b.byLang.get('en')?.top1).toBe(1);
    expect(b.byKind.get('log')?.negatives).toBe(1);
    expect(b.byKind.get('log')?.negativesNone).toBe(1);
    expect(b.all.noneRate).toBeCloseTo(1 / 3);
  });
  it('falls back to the matcher-seen kind and English when a case carries neither', () => {
    const c = breakdown(defaultMatcher(), [{ id: 'x', text: '451 5.7.3 STARTTLS is required to send mail', source: 't', topic: 'starttls-required' }]);
    expect([...c.byLang.keys()]).toEqual(['en']);
    expect([...c.byKind.keys()]).toEqual(['smtp-reply']);
  });
  it('prints a table with every group', () => {
    const t = formatBreakdown(b);
    expect(t).toMatch(/by language/);
    expect(t).toMatch(/\n {2}de +1 /);
    expect(t).toMatch(/by paste kind/);
  });
});
