import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultMatcher } from '../../src/match/index.ts';
import { MAX_ANALYSED_CHARS } from '../../src/match/matcher.ts';

const matcher = defaultMatcher();

function wellFormed(text: string): void {
  const r = matcher.match(text);
  expect(['match', 'ambiguous', 'none']).toContain(r.verdict);
  expect(r.matches.length).toBeLessThanOrEqual(5);
  for (let i = 1; i < r.matches.length; i++) expect(r.matches[i - 1]!.score).toBeGreaterThanOrEqual(r.matches[i]!.score);
  for (const m of r.matches) {
    expect(m.score).toBeGreaterThanOrEqual(0);
    expect(m.score).toBeLessThanOrEqual(1);
    for (const w of m.why) if (w.span) expect(w.span[1]).toBeLessThanOrEqual(Math.min(text.length, MAX_ANALYSED_CHARS));
  }
}

describe('hostile input', () => {
  it('never throws and always answers in shape (random text)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), (s) => wellFormed(s)), { numRuns: 300 });
  });

  it('never throws on strings built from code-like pieces', () => {
    const piece = fc.constantFrom('550', ' ', '5.1.1', '.', '4.4.7', '[Agent:', ']', 'STOREDRV.', 'Deliver', '@', 'contoso.com', '::', '0x', '8004010F', '#', ';', '\n', 'Event ID:', '1035', 'KB', '(401)', 'Unauthorized', 'IMCEAEX-', '/o=');
    fc.assert(fc.property(fc.array(piece, { maxLength: 400 }), (parts) => wellFormed(parts.join(''))), { numRuns: 300 });
  });

  it('answers a 1 MiB paste of digits and dots', () => {
    wellFormed('1.'.repeat(512 * 1024));
    wellFormed('5.5.5.5'.repeat(150_000));
  });

  it('analyses only the first MiB of a 5 MB paste and says so', () => {
    const big = `550 5.1.1 RESOLVER.ADR.RecipNotFound; not found\n${'x'.repeat(5 * 1024 * 1024)}`;
    const r = matcher.match(big);
    expect(r.truncated).toEqual({ analysedChars: MAX_ANALYSED_CHARS, totalChars: big.length });
  });

  it('copes with binary junk and Slack mention tokens', () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    wellFormed(junk);
    wellFormed('<!channel> <!here> <@U123ABC> '.repeat(2000));
  });

  it('says none for text that is no Exchange error', () => {
    for (const t of [
      '250 2.0.0 OK',
      '220 mx.google.com ESMTP a1si123456qkb.12 - gsmtp',
      'Exception in thread "main" java.lang.NullPointerException\n\tat com.example.App.main(App.java:14)',
      'npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree',
      'Back-off restarting failed container web in pod web-5d9c7b6f4-abcde_default',
      'lol thanks, see you at lunch',
    ]) expect(matcher.match(t).verdict).toBe('none');
  });
});
