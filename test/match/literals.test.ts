// The one-pass literal scan (literals.ts) answers detectKind and statedVersions exactly as their own passes do.
import { describe, expect, it } from 'vitest';
import { readFixtureCases } from '../../src/match/evaluate.ts';
import { detectKind } from '../../src/match/kind.ts';
import { PasteLiterals } from '../../src/match/literals.ts';
import { extractSignals } from '../../src/match/signals.ts';
import { statedVersions, VERSION_SUBSTRINGS } from '../../src/match/version.ts';
import { splitWords } from '../../src/match/words.ts';

const texts = [
  ...readFixtureCases(new URL('../fixtures', import.meta.url).pathname).map((c) => c.text),
  'Received: from a\nMessage-ID: <x@y>\nreturn-path: <a@b>',
  'Exchange Server 2019 CU14 on 15.2.1544.4, mailbox in Exchange Online via DM6PR01MB1234.namprd01.prod.outlook.com',
  'Version 15.1 (Build 2507.6) and 21Vianet partner.outlook.cn',
  'ÉCHEC: Undeliverable: 550 5.1.1',
  'EXO tenant, Office 365, outlook.office365.com',
  '',
];

describe('one pass over the literals', () => {
  const literals = new PasteLiterals();
  it('finds the same paste kind and stated versions as the separate passes', () => {
    let compared = 0;
    for (const text of texts) {
      const lower = text.toLowerCase();
      const signals = extractSignals(text, splitWords(text), lower);
      if (!literals.scan(text, lower)) continue;
      compared++;
      expect(detectKind(text, signals, lower, literals.kindMarks)).toBe(detectKind(text, signals));
      expect(statedVersions(text, lower, literals.hasVersionSubstring)).toEqual(statedVersions(text));
    }
    expect(compared).toBe(texts.length);
  });
  it('answers for every substring statedVersions asks about', () => {
    literals.scan('exchange online', 'exchange online');
    expect(VERSION_SUBSTRINGS.filter((s) => literals.hasVersionSubstring(s))).toEqual(['exchange', 'online']);
  });
  it('declines a paste longer than the kind head (its readers then scan for themselves)', () => {
    const long = 'x'.repeat(64 * 1024 + 1);
    expect(literals.scan(long, long)).toBe(false);
  });
});
