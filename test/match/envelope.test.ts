import { describe, expect, it } from 'vitest';
import { envelopeWords } from '../../src/match/envelope.ts';
import { splitWords } from '../../src/match/words.ts';
import { WordBuf } from '../../src/match/lexicon.ts';

describe("a delivery report's envelope lines", () => {
  it('are marked word by word; Diagnostic-Code, Status and Action stay', () => {
    const text = 'Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; bob@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown';
    const words = WordBuf.fromWords(splitWords(text));
    const mask = envelopeWords(text.toLowerCase(), words);
    expect(mask).toBeDefined();
    const kept = Array.from({ length: words.n }, (_, i) => i).filter((i) => mask![i] !== 1).map((i) => words.text(i));
    expect(kept).not.toContain('dns');
    expect(kept).not.toContain('rfc822');
    expect(kept).toEqual(expect.arrayContaining(['action', 'failed', 'status', 'diagnostic', 'user', 'unknown']));
  });

  it('leave a paste without such fields alone', () => {
    const text = '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown';
    expect(envelopeWords(text.toLowerCase(), WordBuf.fromWords(splitWords(text)))).toBeUndefined();
  });
});
