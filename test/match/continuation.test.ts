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

  it('marks the repeats of a reply another MTA re-wrapped, inside the lines', () => {
    // Postfix quoting Gmail: the first "550-5.7.1" opens the reply, the later ones and the closing "550 5.7.1" repeat it.
    const POSTFIX = 'host gmail-smtp-in.l.google.com[192.0.2.26]\n    said: 550-5.7.1 [192.0.2.22] Our system has detected that this\n    message is 550-5.7.1 likely suspicious due to the very low reputation of\n    the sending IP 550-5.7.1 address. Please visit 550 5.7.1\n    https://support.google.com/mail/answer/188131';
    expect(hops(POSTFIX)).toEqual([['550', 4], ['550', 4], ['550', 4]]);
    // sendmail's transcript quotes each line after "<<< ".
    expect(hops('<<< 550-5.7.1 does not have authentication information or fails to pass\n<<< 550-5.7.1 authentication checks.\n<<< 550 5.7.1 information.')).toEqual([['550', 4], ['550', 4]]);
    // A lone "NNN " after a reply's "NNN-" with no repeat between may be a new reply; codes inside numbers are none.
    expect(hops('550 5.1.1 a and 550-5.1.1 b')).toEqual([]);
    expect(hops('550-5.1.1 a and 550 5.1.1 b')).toEqual([]);
    expect(hops('from 192.0.2.250 550-5.1.1 a 192.0.2.550-x')).toEqual([]);
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
