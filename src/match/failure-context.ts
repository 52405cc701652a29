// A paste in which a mail system itself reports a failed or retried delivery: a Postfix or sendmail
// log line with status=bounced / deferred / expired or a 4.x.x / 5.x.x dsn, an RFC 3464 report's
// "Action: failed" and "Diagnostic-Code:", Exim's "SMTP error from remote mail server", sendmail's
// "permanent fatal errors", qmail's "I wasn't able to deliver", "host … said: 550". Such a paste is
// about a delivery problem whatever else it quotes, so the evidence an intent finds in it counts a
// little more (matcher.ts: FAILURE_CONTEXT_WEIGHT): a weak but real phrase ("unknown host", "Quota
// exceeded") of a bounce then reaches the `none` line, the same words in a chat or a stack trace do not.
// Found with the paste's other literal markers in one pass (literals.ts); a paste that pass does not
// answer for gets a pass of its own (Aho–Corasick over the lowercased head); no regex.
import { Automaton } from './automaton.ts';

export const FAILURE_MARKERS: readonly string[] = [
  'status=bounced', 'status=deferred', 'status=expired', 'dsn=4.', 'dsn=5.', 'stat=deferred',
  'action: failed', 'action: delayed', 'diagnostic-code:',
  'smtp error from remote mail server', 'the following address(es) failed', 'this is a permanent error',
  'permanent fatal errors', 'had delivery errors', 'failed addresses follow', "wasn't able to deliver your message",
  'could not be delivered to one or more', 'undelivered mail returned to sender', 'mail delivery failed',
  'delivery to the following recipient failed', 'noqueue: reject:', 'milter-reject:',
  ' said: 4', ' said: 5', 'refused to talk to me', ' defer (',
  // Other mail systems' own opening lines of a failure or delay report (OpenSMTPD, DragonFly Mail Agent,
  // Amazon SES / WorkMail, Oracle Messaging Server, Courier, McAfee and MessageLabs gateways, Gmail).
  'an error has occurred while attempting to deliver', 'a message is delayed for more than', 'there was an error delivering your mail',
  'an error occurred while trying to deliver the mail', 'your message cannot be delivered to the following recipients',
  'the following recipients cannot be delivered', 'the following addresses had delivery problems', 'i was unable to deliver your message',
  'technical details of permanent failure', 'technical details of temporary failure',
  // Other MTAs' and providers' report wording: Hotmail's DSN, Yahoo's failure notice, qmail-send giving up,
  // Gmail's DSN, DragonFly Mail Agent.
  'delivery to the following recipients failed', 'unable to deliver your message', 'remote host said:', "i'm not going to try again",
  'delivery status notification (failure)', 'following recipients failed permanently',
  // Per-address lines the same reports share: Exim's delay warning ("Delay reason:"), qmail-send's verdict on
  // the remote host ("does not like recipient", "failed after I sent the message", "Giving up on"), sendmail's
  // and DragonFly's transcript heads ("... while talking to", "did not like our RCPT TO"), Gmail's and other
  // providers' DSN ("The response from the remote server was"), OpenSMTPD's relay log ("relay: TempFail"),
  // a delivery-status part's "X-Supplementary-Info:".
  'delay reason:', 'does not like recipient', 'failed after i sent the message', 'giving up on ', '... while talking to',
  'did not like our rcpt to', 'did not like our data', 'the response from the remote server was', 'relay: tempfail',
  'x-supplementary-info:',
  // Postfix's reason for holding a destination's mail in the deferred queue ("(delivery temporarily suspended:
  // connect to …)", "… Server certificate not verified)"): its queue manager's own words of a deferral.
  'delivery temporarily suspended',
];

/** The head of the paste the markers are looked for in (they sit near the top of a report or log). */
const HEAD = 64 * 1024;

let markers: Automaton | undefined;
const seen = new Uint8Array(FAILURE_MARKERS.length);

/**
 * Whether the lowercased paste carries a mail system's own report of a failed or retried delivery.
 * `marks`: which FAILURE_MARKERS the literals pass found (literals.ts), when it answered for this paste.
 */
export function reportsDeliveryFailure(lower: string, marks?: Uint8Array): boolean {
  if (marks) return marks.includes(1);
  seen.fill(0);
  return (markers ??= new Automaton(FAILURE_MARKERS)).scan(lower, seen, 0, Math.min(lower.length, HEAD)) > 0;
}
