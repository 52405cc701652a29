import { describe, expect, it } from 'vitest';
import { markAddressHops } from '../../src/match/address-hop.ts';
import { markContinuations } from '../../src/match/continuation.ts';
import { Lexicon, scanWords, WordBuf } from '../../src/match/lexicon.ts';
import { defaultMatcher } from '../../src/match/index.ts';

/** The words a phrase hops over, as [word, n]. */
function hops(text: string): Array<[string, number]> {
  const lexicon = new Lexicon(() => 0, 64);
  const words = new WordBuf();
  scanWords(text, text.toLowerCase(), lexicon, words);
  markContinuations(text, words);
  markAddressHops(text, words);
  const out: Array<[string, number]> = [];
  for (let i = 0; i < words.n; i++) if (words.hop && (words.hop[i] as number) > 0) out.push([words.text(i), words.hop[i] as number]);
  return out;
}

describe('addresses in angle brackets inside a phrase', () => {
  it('marks the first word of each bracketed address with its word count', () => {
    expect(hops('Recipient <recipient@example.net> does not exist')).toEqual([['recipient', 3]]);
    expect(hops('User <a.b@mail.example.org> unknown; mailbox <c@d.e> is full')).toEqual([['a', 5], ['c', 3]]);
  });

  it('leaves brackets alone that hold no address, white space or no closing bracket', () => {
    expect(hops('a <b> c')).toEqual([]);
    expect(hops('<> null sender')).toEqual([]);
    expect(hops('x <a@b c> y')).toEqual([]);
    expect(hops('x <a@b.c y')).toEqual([]);
  });

  it('keeps the hops of a multi-line reply', () => {
    expect(hops('550-5.7.1 <a@b.c> first\n550 5.7.1 second')).toEqual([['a', 3], ['550', 4]]);
  });

  it('lets a phrase run on across the address', () => {
    const r = defaultMatcher().match('host mx.a.b.c[192.0.2.1] said: 501 5.1.3 Recipient <recipient@example.net> does not exist (in reply to RCPT TO command)');
    expect(r.matches[0]?.topics).toContain('recipient-not-found');
    expect(r.matches[0]?.why.some((w) => w.evidence === 'phrase "Recipient does not exist"')).toBe(true);
  });
});
