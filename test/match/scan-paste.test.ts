import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Lexicon, scanWords, WordBuf } from '../../src/match/lexicon.ts';
import { extractSignals, scanPaste } from '../../src/match/signals.ts';

// scanPaste() finds the words and the signal chunks in one pass; it must give what the two
// separate scans give, on any text (pieces of mail-flow errors, punctuation, non-ASCII).
const pieces = ['550', '5.1.1', '550-5.7.1', 'RESOLVER.ADR.RecipNotFound', 'user@contoso.com', '10.0.0.1', '::1', 'fe80::1', 'Get-Mailbox',
  'MapiExceptionShutoffQuotaExceeded', 'System.Net.Sockets.SocketException', 'failed.', 'Error:', '0x80070005', 'Event ID 1025', 'KB5001779',
  'HTTP 401', '(503 Service Unavailable)', ' ', '\n', '; ', '[Agent: Mailbox Rules Agent]', 'İstanbul', 'Größe', '\u00a0', 'ΣΑΣ', '#', '...', '::'];

function words(buf: WordBuf): Array<[number, number, number]> {
  return Array.from({ length: buf.n }, (_, i) => [buf.start[i] as number, buf.end[i] as number, buf.lex[i] as number]);
}

describe('scanPaste', () => {
  it('gives the same words as scanWords and the same signals as a separate chunk scan', () => {
    const lexicon = new Lexicon(() => -1);
    fc.assert(fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), { maxLength: 40 }), (parts) => {
      const text = parts.join('');
      const lower = text.toLowerCase();
      const a = new WordBuf();
      const b = new WordBuf();
      scanWords(text, lower, lexicon, a);
      const separate = extractSignals(text, a, lower);
      scanPaste(text, lower, lexicon, b);
      expect(words(b)).toEqual(words(a));
      expect(extractSignals(text, b, lower)).toEqual(separate);
    }), { numRuns: 400 });
  });
});
