import { describe, expect, it } from 'vitest';
import { markContinuations } from '../../src/match/continuation.ts';
import { PhraseIndex, compileCondition, Found } from '../../src/match/evidence.ts';
import { Lexicon, scanWords, WordBuf } from '../../src/match/lexicon.ts';
import { defaultMatcher } from '../../src/match/index.ts';

/** The words a phrase hops over, as "word(s) at i: n". */
function hops(text: string): Array<[string, number]> {
  const lexicon = new Lexicon(() => 0, 64);
  const words = new WordBuf();
  scanWords(text, text.toLowerCase(), lexicon, words);
  markContinuations(text, words);
  const out: Array<[string, number]> = [];
  for (let i = 0; i < words.n; i++) if (words.hop && (words.hop[i] as number) > 0) out.push([words.text(i), words.hop[i] as number]);
  return out;
}

const GMAIL = '550-5.7.1 [192.0.2.1] Our system has detected that this message is likely\n550-5.7.1 unsolicited mail. To reduce the amount of spam sent to Gmail, this\n550 5.7.1 message has been blocked.';

describe('multi-line SMTP replies (continuation prefixes)', () => {
  it('marks the prefix each line repeats from a dashed line just before it', () => {
    expect(hops(GMAIL)).toEqual([['550', 4], ['550', 4]]);
    expect(hops(GMAIL.replaceAll('\n', '\r\n'))).toEqual([['550', 4], ['550', 4]]);
    expect(hops('  421-4.7.0 first part\n  421-4.7.0 second part\n  421 last')).toEqual([['421', 4], ['421', 1]]);
  });

  it('leaves lines that are no continuation alone', () => {
    // No dash on the line before, another code, a line between, a code not at the line's start.
    expect(hops('550 5.7.1 one reply\n550 5.7.1 another reply')).toEqual([]);
    expect(hops('550-5.7.1 one\n451 4.7.0 other')).toEqual([]);
    expect(hops('550-5.7.1 one\n\n550 5.7.1 two')).toEqual([]);
    expect(hops('550-5.7.1 one\nsaw 550 5.7.1 two')).toEqual([]);
  });

  it('lets a phrase run on across the prefix (and only there)', () => {
    const index = new PhraseIndex();
    index.add(compileCondition({ phrase: 'this message is likely unsolicited mail' }), 1);
    index.add(compileCondition({ phrase: 'this message has been blocked' }), 2);
    const lexicon = new Lexicon(() => 0, 256);
    index.bind(lexicon);
    const found = (text: string): number[] => {
      const words = new WordBuf();
      scanWords(text, text.toLowerCase(), lexicon, words);
      markContinuations(text, words);
      const f = new Found(3);
      f.reset(3);
      index.scan(words, f);
      return [1, 2].filter((id) => f.has(id));
    };
    expect(found(GMAIL)).toEqual([1, 2]);
    expect(found(GMAIL.replaceAll('550-', '550 '))).toEqual([]);
  });

  it('matches a wrapped Gmail rejection on its phrase', () => {
    expect(defaultMatcher().match(GMAIL).verdict).not.toBe('none');
  });
});
