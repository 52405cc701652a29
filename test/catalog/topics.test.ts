import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { TOPICS } from '../../src/catalog/topics.ts';

describe('topic vocabulary', () => {
  it('equals the topics of TOPICS.md, in order', () => {
    const md = readFileSync(new URL('../fixtures/TOPICS.md', import.meta.url), 'utf8');
    const fromMd = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| topic') && !l.startsWith('|---'))
      .map((l) => l.split('|')[1]!.trim());
    expect([...TOPICS]).toEqual(fromMd);
  });
});
