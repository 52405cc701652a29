import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();

describe('intent examples', () => {
  for (const intent of matcher.catalog.intents) {
    it(`${intent.id}: every example matches ${intent.playbook} first`, () => {
      for (const ex of intent.examples) {
        const r = matcher.match(ex.text);
        expect(r.verdict, `${ex.source}`).not.toBe('none');
        expect(r.matches[0]?.playbook, `${ex.source}: ${ex.text.slice(0, 80)}`).toBe(intent.playbook);
      }
    });
  }
});
