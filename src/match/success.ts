// A paste that shows only things going well: the successful part of an SMTP debug log (220
// greeting, 250 EHLO lines, 235 authenticated, 354, 250 queued), a delivered message in an MTA log
// ("status=sent (250 2.6.0 … Queued mail for delivery)"). It shares hosts and words with real
// failures (outlook.office365.com, STARTTLS, AUTH) but asks nothing of a playbook: the verdict is
// `none`. Any failing reply or status, an Exchange component (a 250 can still be a handled drop, as
// RESOLVER.OOF.IntToExt), an exception, an error word, or a greeting or EHLO keyword masked by a
// firewall's SMTP inspection ("220 ******", "250-XXXXXXXA") keeps the paste a candidate.
import { Automaton } from './automaton.ts';
import type { Signal } from './types.ts';

/** Words that say something went wrong (checked in the lowercased head only when every code is a success). */
const TROUBLE = [
  'error', 'fail', 'exception', 'denied', 'refused', 'timed out', 'timeout', 'unable', 'invalid', 'reject', 'not supported',
  'unsuccessful', 'cannot', "can't", 'could not', "couldn't", 'wrong', 'bounce', 'undeliver', 'delay', 'defer', 'block', 'problem',
  'xxxxxxx', '*******', 'not received', 'never', "doesn't", 'does not', "don't", 'not work', 'issue', 'stuck', 'missing', 'lost', 'dropped', 'quarantin', 'junk', 'spam',
];

/** How much of the paste the trouble words are looked for in. */
const HEAD = 64 * 1024;

/** All the trouble words found in one pass (Aho–Corasick), not one scan per word. */
const trouble = new Automaton(TROUBLE);
const seen = new Uint8Array(TROUBLE.length);

export function isSuccessOnly(signals: readonly Signal[], lower: string): boolean {
  let replies = 0;
  for (const s of signals) {
    switch (s.type) {
      case 'replyCode':
        if (s.value.charCodeAt(0) !== 50 && s.value.charCodeAt(0) !== 51) return false;
        replies++;
        break;
      case 'statusCode':
        if (s.value.charCodeAt(0) !== 50) return false;
        break;
      case 'component': case 'exception': case 'hresult': case 'eventId': case 'http':
        return false;
      default:
        break;
    }
  }
  if (replies === 0) return false;
  seen.fill(0);
  return trouble.scan(lower, seen, 0, Math.min(lower.length, HEAD)) === 0;
}
