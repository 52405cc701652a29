// A delivery report's envelope lines (RFC 3464 per-message and per-recipient fields that name hosts,
// addresses and dates, the returned message's trace headers) are the same in every bounce whatever
// went wrong: "Reporting-MTA: dns; mx.example.net" says nothing of a DNS failure. Their words are left
// out of the paste's wording (freetext.ts similarities); phrases and codes still read them. The
// Diagnostic-Code, Status and Action lines are the report's substance and stay.
import type { WordBuf } from './lexicon.ts';

const FIELDS = [
  'reporting-mta:', 'received-from-mta:', 'arrival-date:', 'final-recipient:', 'original-recipient:', 'x-actual-recipient:',
  'remote-mta:', 'last-attempt-date:', 'return-path:', 'received:', 'message-id:', 'mime-version:', 'content-type:',
  'content-transfer-encoding:', 'delivered-to:', 'x-original-to:', 'x-postfix-queue-id:', 'x-postfix-sender:',
];

/** Per word, 1 when it lies on an envelope line of a delivery report; undefined when the paste has none. */
export function envelopeWords(lower: string, words: WordBuf): Uint8Array | undefined {
  if (!lower.includes('final-recipient:') && !lower.includes('reporting-mta:') && !lower.includes('received:')) return undefined;
  let mask: Uint8Array | undefined;
  let w = 0;
  for (let lineStart = 0; lineStart < lower.length && w < words.n; ) {
    let lineEnd = lower.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = lower.length;
    let s = lineStart;
    while (s < lineEnd && (lower.charCodeAt(s) === 32 || lower.charCodeAt(s) === 9)) s++;
    if (FIELDS.some((f) => lower.startsWith(f, s))) {
      while (w < words.n && (words.start[w] as number) < lineStart) w++;
      while (w < words.n && (words.end[w] as number) <= lineEnd) (mask ??= new Uint8Array(words.n))[w++] = 1;
    }
    lineStart = lineEnd + 1;
  }
  return mask;
}
