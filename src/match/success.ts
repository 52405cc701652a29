// A paste that shows only things going well: the successful part of an SMTP debug log (220
// greeting, 250 EHLO lines, 235 authenticated, 354, 250 queued), a delivered message in an MTA log
// ("status=sent (250 2.6.0 … Queued mail for delivery)"). It shares hosts and words with real
// failures (outlook.office365.com, STARTTLS, AUTH) but asks nothing of a playbook: the verdict is
// `none`. Any failing reply or status, an Exchange component (a 250 can still be a handled drop, as
// RESOLVER.OOF.IntToExt), an exception, an error word, or a greeting or EHLO keyword masked by a
// firewall's SMTP inspection ("220 ******", "250-XXXXXXXA") keeps the paste a candidate.
//
// What a success log carries that only looks like trouble is not taken for it:
// - a software version shaped like a status code ("X-Mailer: PHPMailer 5.2.28", "ESMTP Exim 4.94.2");
// - an HTTP success status (an OAuth token call's 200, Graph's 202 Accepted);
// - a setting named after a failure ("Connection: opening to smtp.office365.com:587, timeout=300",
//   "mail.smtp.timeout").
import { isAsciiLetter, isDigit } from './chars.ts';
import { Automaton } from './automaton.ts';
import type { Signal } from './types.ts';
import { VERSION_WORDS } from './version-words.ts';

/** Words that say something went wrong (checked in the lowercased head only when every code is a success). */
const TROUBLE = [
  'error', 'fail', 'exception', 'denied', 'refused', 'timed out', 'timeout', 'unable', 'invalid', 'reject', 'not supported',
  'unsuccessful', 'cannot', "can't", 'could not', "couldn't", 'wrong', 'bounce', 'undeliver', 'delay', 'defer', 'block', 'problem',
  'xxxxxxx', '*******', 'not received', 'never', "doesn't", 'does not', "don't", 'not work', 'issue', 'stuck', 'missing', 'lost', 'dropped', 'quarantin', 'junk', 'spam',
  'blacklist', 'blocklist', 'banned', 'exceed', 'expired', 'unavailable', 'quota', "isn't", "won't", "aren't", "didn't", 'why',
];

/**
 * Trouble words that also name a setting or a field: found only as one ("timeout=300", Postfix's
 * "delay=0.73, delays=0.06/0/0.13/0.54", sendmail's "xdelay=00:00:01"), they tell of no trouble.
 */
const SETTING_WORDS = new Set(['timeout', 'delay']);
/** Trouble words that are the start of a harmless word: "issue" in a certificate's "issuer" or "issued by". */
const HARMLESS_ENDINGS: ReadonlyMap<string, readonly string[]> = new Map([['issue', ['r', 'd ']]]);

/** How much of the paste the trouble words are looked for in. */
const HEAD = 64 * 1024;

/** All the trouble words found in one pass (Aho–Corasick), not one scan per word. */
const trouble = new Automaton(TROUBLE);
const seen = new Uint8Array(TROUBLE.length);

/** Message-content regions looked at, at most (a paste holds one or a few sessions). */
const MAX_CONTENT = 8;
const contentFrom = new Int32Array(MAX_CONTENT);
const contentTo = new Int32Array(MAX_CONTENT);
let contents = 0;

/**
 * The message content of each session in the paste: from a 354 reply to the next reply (the 250 that
 * accepts it). What the message says ("Subject: [Zabbix] Problem: disk full", an X-Mailer version) is
 * not what the session says: its words and codes are not read. A 354 without a later reply (a cut
 * log) marks nothing, so prose after it still counts.
 */
function findContent(signals: readonly Signal[]): void {
  contents = 0;
  let open = -1;
  for (const s of signals) {
    if (s.type !== 'replyCode') continue;
    const at = s.span[0];
    if (open >= 0 && at > open && contents < MAX_CONTENT) {
      contentFrom[contents] = open;
      contentTo[contents++] = at;
      open = -1;
    }
    if (s.value === '354' && open < 0) open = s.span[1];
  }
}

/** Index of the content region holding `at`, or -1. */
function contentAt(at: number): number {
  for (let k = 0; k < contents; k++) if (at >= (contentFrom[k] as number) && at < (contentTo[k] as number)) return k;
  return -1;
}

export function isSuccessOnly(signals: readonly Signal[], lower: string): boolean {
  findContent(signals);
  const inSession = (s: Signal) => contents === 0 || contentAt(s.span[0]) < 0;
  let replies = 0;
  for (const s of signals) {
    if (!inSession(s)) continue;
    switch (s.type) {
      case 'replyCode':
        if (s.value.charCodeAt(0) !== 50 && s.value.charCodeAt(0) !== 51) return endsInAcceptance(signals, lower);
        replies++;
        break;
      case 'statusCode':
        // A 2.x.x status is a success of its own (a DSN's "Status: 2.0.0", Postfix's "dsn=2.0.0, status=sent").
        if (s.value.charCodeAt(0) === 50) replies++;
        else if (!isVersion(lower, s.span[0])) return endsInAcceptance(signals, lower);
        break;
      case 'http':
        // An HTTP success (2xx) or redirect (3xx) is no failure.
        if (s.value.charCodeAt(0) !== 50 && s.value.charCodeAt(0) !== 51) return false;
        break;
      case 'component': case 'exception': case 'hresult': case 'eventId':
        return false;
      default:
        break;
    }
  }
  // No success reply or status: a delivery notice that says the message arrived is success enough.
  if (replies === 0 && !saysDelivered(lower)) return false;
  // A trouble word before the message was taken for delivery is part of the way there (JavaMail's
  // "DEBUG SMTP: mechanism PLAIN not supported by server" before its AUTH LOGIN succeeds); one after
  // it tells of trouble since ("… but it never arrives").
  const ok = !troubleOutsideContent(lower) || endsInAcceptance(signals, lower, true);
  contents = 0;
  return ok;
}

/**
 * What closes a session or a log as a success: the message taken for delivery (a 250 after the
 * message content, Postfix's "status=sent", a relay's "queued as", Exchange's "Queued mail for
 * delivery", dma's "delivery successful").
 */
const ACCEPTED = [
  'delivery successful', 'status=sent', 'queued as', 'queued mail for delivery', 'accepted for delivery',
  'successfully delivered to mail server',
];

/**
 * A session or log whose last word is a success, after a failure it got past: a client that tried
 * one AUTH mechanism, got 535, and then authenticated with another and had its message queued; a
 * smarthost log whose "authentication: AUTH cram-md5 not available: 535 …" is followed by "delivery
 * successful". The failure is judged from the last server reply, not from every reply: after the
 * message was taken for delivery nothing failed (no failing reply or status, no exception, no
 * trouble word), so there is nothing to act on.
 */
function endsInAcceptance(signals: readonly Signal[], lower: string, troubleBefore = false): boolean {
  const end = Math.min(lower.length, HEAD);
  let lastBad = -1;
  let accepted = -1;
  let sawData = false;
  for (const s of signals) {
    if (contents > 0 && contentAt(s.span[0]) >= 0) continue;
    const c = s.value.charCodeAt(0);
    switch (s.type) {
      case 'replyCode':
        if (c === 52 || c === 53) lastBad = Math.max(lastBad, s.span[1]);
        else if (s.value === '354') sawData = true;
        // The reply that ends a message's content accepts the message.
        else if (sawData && s.value === '250') { accepted = Math.max(accepted, s.span[1]); sawData = false; }
        break;
      case 'statusCode':
        if ((c === 52 || c === 53) && !isVersion(lower, s.span[0])) lastBad = Math.max(lastBad, s.span[1]);
        break;
      case 'http':
        if (c === 52 || c === 53) lastBad = Math.max(lastBad, s.span[1]);
        break;
      case 'component': case 'exception': case 'hresult': case 'eventId':
        lastBad = Math.max(lastBad, s.span[1]);
        break;
      default:
        break;
    }
  }
  for (const a of ACCEPTED) {
    const at = lower.lastIndexOf(a, end);
    if (at >= 0 && contentAt(at) < 0) accepted = Math.max(accepted, at + a.length);
  }
  const ok = accepted > lastBad && (lastBad >= 0 || troubleBefore) && !troubleBetween(lower, accepted, end);
  contents = 0;
  return ok;
}

/** Whether a TROUBLE word (other than as a setting, or a harmless longer word) stands in lower[from, to). */
function troubleBetween(lower: string, from: number, to: number): boolean {
  if (to <= from) return false;
  seen.fill(0);
  if (trouble.scan(lower, seen, from, to) === 0) return false;
  const tail = lower.slice(from, to);
  for (let p = 0; p < TROUBLE.length; p++) {
    if (seen[p] === 0) continue;
    const word = TROUBLE[p] as string;
    const endings = HARMLESS_ENDINGS.get(word);
    if (endings) {
      if (!onlyAsHarmless(tail, word, endings, tail.length)) return true;
    } else if (!SETTING_WORDS.has(word) || !onlyAsSetting(tail, word, tail.length)) return true;
  }
  return false;
}

/**
 * A delivery notice that tells of success: a delivery receipt ("Your message has been delivered to the
 * following recipients"), a relay notice ("Delivery to these recipients or groups is complete, but no
 * delivery notification was sent by the destination server"), a success DSN (RFC 3464 "Action:
 * delivered", "relayed", "expanded"; Postfix's "Your message was successfully delivered").
 */
const DELIVERED = [
  'your message has been delivered', 'your message was delivered', 'successfully delivered to the destination',
  'delivery to these recipients or groups is complete', 'delivery to the following recipients was completed',
  'delivery status notification (success)', 'delivery status notification (relay)', 'successfully relayed',
  'action: delivered', 'action: relayed', 'action: expanded',
];
const delivered = new Automaton(DELIVERED);
const deliveredSeen = new Uint8Array(DELIVERED.length);

function saysDelivered(lower: string): boolean {
  deliveredSeen.fill(0);
  return delivered.scan(lower, deliveredSeen, 0, Math.min(lower.length, HEAD)) > 0;
}

/** Whether the lowercased head names trouble: one of the TROUBLE words, other than as a setting. */
export function mentionsTrouble(lower: string): boolean {
  contents = 0;
  return troubleOutsideContent(lower);
}

/** mentionsTrouble, not reading the message content regions findContent marked. */
function troubleOutsideContent(lower: string): boolean {
  seen.fill(0);
  const end = Math.min(lower.length, HEAD);
  let found = 0;
  let from = 0;
  for (let k = 0; k <= contents; k++) {
    const to = k < contents ? Math.min(contentFrom[k] as number, end) : end;
    if (to > from) found += trouble.scan(lower, seen, from, to);
    if (k < contents) from = Math.max(from, contentTo[k] as number);
  }
  if (found === 0) return false;
  for (let p = 0; p < TROUBLE.length; p++) {
    if (seen[p] === 0) continue;
    const word = TROUBLE[p] as string;
    const endings = HARMLESS_ENDINGS.get(word);
    if (endings) {
      if (!onlyAsHarmless(lower, word, endings, end)) return true;
    } else if (!SETTING_WORDS.has(word) || !onlyAsSetting(lower, word, end)) return true;
  }
  return false;
}

/** Whether every occurrence of `word` before `end` goes on with one of the harmless endings. */
function onlyAsHarmless(lower: string, word: string, endings: readonly string[], end: number): boolean {
  for (let at = lower.indexOf(word); at >= 0 && at < end; at = lower.indexOf(word, at + word.length)) {
    if (contentAt(at) >= 0) continue;
    if (!endings.some((e) => lower.startsWith(e, at + word.length))) return false;
  }
  return true;
}

/** Whether the code-shaped number at `at` follows one of the VERSION_WORDS (version-words.ts) (one space or tab between). */
export function isVersion(lower: string, at: number): boolean {
  let i = at - 1;
  if (i < 0 || (lower.charCodeAt(i) !== 32 && lower.charCodeAt(i) !== 9)) return false;
  const wordEnd = i;
  while (i > 0 && isAsciiLetter(lower.charCodeAt(i - 1))) i--;
  if (wordEnd - i < 3 || wordEnd - i > 12) return false;
  return VERSION_WORDS.has(lower.slice(i, wordEnd));
}

/**
 * Whether every occurrence of `word` before `end` is a setting: a property name's last part
 * ("mail.smtp.timeout", "--timeout", "smtp_timeout", "xdelay=") or a name given a value
 * ("timeout=300", "delays=0.06/0/0.13/0.54", "Timeout   : 7200"). One indexOf walk; runs only
 * when the automaton found the word.
 */
function onlyAsSetting(lower: string, word: string, end: number): boolean {
  for (let at = lower.indexOf(word); at >= 0 && at < end; at = lower.indexOf(word, at + word.length)) {
    if (contentAt(at) >= 0) continue;
    const before = at > 0 ? lower.charCodeAt(at - 1) : 32;
    if (before === 46 || before === 45 || before === 95) continue;
    let j = at + word.length;
    // A plural field name: Postfix's "delays=".
    if (lower.charCodeAt(j) === 115) j++;
    while (j < lower.length && lower.charCodeAt(j) === 32) j++;
    const next = lower.charCodeAt(j);
    if (next === 61) continue;
    // "Timeout   : 7200 (sec)": a name, a colon, a number.
    if (next === 58) {
      let k = j + 1;
      while (k < lower.length && lower.charCodeAt(k) === 32) k++;
      if (isDigit(lower.charCodeAt(k))) continue;
    }
    return false;
  }
  return true;
}
