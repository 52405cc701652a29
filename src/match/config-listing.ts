// A mail server's configuration pasted on its own: Postfix main.cf lines (`virtual_maildir_limit_message
// = "The user you are trying to reach is over quota."`), an INI/TOML section, a block configuration
// (maddy's `default_destination { reject 550 5.1.1 "User doesn't exist" }`), Exim's routers. Its
// texts and codes are what the server is set up to say, not what a server said: no playbook reads them
// and the verdict is `none`.
//
// Only when the paste carries no mail system's report of a failed delivery (failure-context.ts; the
// caller checks that first) and, of its first MAX_LINES non-blank lines, at least MIN_LINES and all but
// one in five are configuration lines:
// - `name = value` where the name is one word of letters, digits, '_', '.' or '-' with at least one '_'
//   or '.' in it (a parameter: `smtpd_recipient_restrictions =`, `mail.smtp.host=`), not prose "x = y";
//   on an indented line any one-word name (Exim's `  driver = dnslookup`); a lone `name:` heading;
// - a `[section]` line, a line starting with a letter and ending in '{' with no ':', '(' or '=' in it (opens a
//   block; a JSON object's `"key": {`, a stack frame's `(net.js:1148:16) {` or program source's
//   `var t = nodemailer.createTransport('SMTP', {` does not) or holding only the '}' that closes such a block;
// - a line inside an open block, unless it ends in ',' (a printed object's `errno: -4039,`);
// - a '#' comment (not "#5.0.0 …", the way Exim and qmail print a status).
// A log or a bounce has timestamps, "said:", "Diagnostic-Code:" lines: they are no configuration lines,
// so the share stays under the bar. Only called when a match would be claimed (matcher.ts).

import { Automaton } from './automaton.ts';
import type { WhyItem } from './types.ts';

/** Non-blank lines looked at, at most, and how many must be configuration lines at least. */
const MAX_LINES = 200;
const MIN_LINES = 3;

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

/**
 * Whether the line [i, to) (blanks already skipped) is `name = value` with a parameter-shaped name
 * (`indented`: the line starts with blanks, then any one-word name counts: Exim's `  driver = dnslookup`),
 * or a lone `name:` heading (an Exim router or transport, a YAML section).
 */
function isAssignment(text: string, i: number, to: number, indented: boolean): boolean {
  const start = i;
  let marked = indented;
  while (i < to && isNameChar(text.charCodeAt(i))) {
    const c = text.charCodeAt(i);
    if (c === 95 || c === 46) marked = true;
    i++;
  }
  if (i === start) return false;
  if (text.charCodeAt(i) === 58 && i + 1 === to) return true;
  if (!marked) return false;
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i < to && text.charCodeAt(i) === 61 && text.charCodeAt(i + 1) !== 61;
}

/**
 * Whether [i, to) holds a ':' (a stack frame "(net.js:1148:16) {", a JSON or YAML key), a '(' or an '='
 * (a call or an assignment in program source, "var t = createTransport('SMTP', {"): no block header.
 */
function hasColon(text: string, i: number, to: number): boolean {
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 || c === 40 || c === 61) return true;
  }
  return false;
}

/**
 * The names a mail client's settings card lists, one to a line (a guide's "Connection settings" list,
 * a table's first column, an app's settings dump): "- Host", "| Port | 587 |", "Username: …".
 */
const SETTING_NAMES = [
  'host', 'hostname', 'server', 'smtp server', 'outgoing server', 'smtp host', 'port', 'security', 'encryption',
  'encryption method', 'username', 'user name', 'password', 'authentication', 'auth method', 'from address', 'imap server', 'pop3 server',
];
/** Words that tell of a failure: with one, the card is what the failing client was set to, and the paste is read as a report. */
const CARD_TROUBLE = ['error', 'exception', 'failed', 'unsuccessful', 'denied', 'refused', 'timed out', 'rejected', 'invalid', 'cannot', "can't"];

/**
 * Whether the paste is a settings card: at least four of SETTING_NAMES each open a line (after a
 * list mark or a table's '|'), each followed by the line's end, ':' or '|', and no failure word
 * anywhere. A guide's SMTP settings for Microsoft 365 name the same host, port and AUTH as a failing
 * client's paste; they ask nothing of a playbook.
 */
export function isSettingsCard(text: string): boolean {
  // The names first, straight off the text (most pastes have none at a line's start, and no copy of
  // the paste is made for them); the failure words only for the rare paste that lists four.
  const named = new Set<string>();
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    addSettingNames(text, start, end, named);
    start = end + 1;
  }
  if (named.size < 4) return false;
  const lower = text.toLowerCase();
  for (const w of CARD_TROUBLE) if (lower.includes(w)) return false;
  return true;
}

/** What String.prototype.trim() removes. */
function isTrimSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** The first list or table marks a settings line may open with. */
function isCardMark(c: number): boolean {
  return c === 45 || c === 42 || c === 124 || c === 0x2022;
}

/**
 * Adds the setting names the line [start, end) opens with (after blanks and list or table marks,
 * letters compared without case), each followed by the line's end, ':' or '|' (the names are ASCII:
 * folding the line's ASCII letters is the same as lowercasing it).
 */
function addSettingNames(text: string, start: number, end: number, named: Set<string>): void {
  let i = start;
  let last = end - 1;
  while (last >= i && isTrimSpace(text.charCodeAt(last))) last--;
  while (i <= last && isTrimSpace(text.charCodeAt(i))) i++;
  while (i <= last && isCardMark(text.charCodeAt(i))) {
    i++;
    while (i <= last && isTrimSpace(text.charCodeAt(i))) i++;
  }
  for (const name of SETTING_NAMES) {
    if (last + 1 - i < name.length) continue;
    let k = 0;
    while (k < name.length) {
      let c = text.charCodeAt(i + k);
      if (c >= 65 && c <= 90) c += 32;
      if (c !== name.charCodeAt(k)) break;
      k++;
    }
    if (k < name.length) continue;
    let j = i + k;
    while (j <= last && isTrimSpace(text.charCodeAt(j))) j++;
    if (j > last || text.charCodeAt(j) === 58 || text.charCodeAt(j) === 124) named.add(name);
  }
}

/** Whether the paste is a configuration listing (see above). `text` is the paste as given. */
export function isConfigListing(text: string): boolean {
  if (isSettingsCard(text)) return true;
  let lines = 0;
  let config = 0;
  let depth = 0;
  for (let start = 0; start < text.length && lines < MAX_LINES; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let i = start;
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    let last = end - 1;
    while (last >= i && (text.charCodeAt(last) === 32 || text.charCodeAt(last) === 9 || text.charCodeAt(last) === 13)) last--;
    if (last >= i) {
      lines++;
      const first = text.charCodeAt(i);
      const tail = text.charCodeAt(last);
      if (first === 125 && last === i) {
        // Closes a block this listing opened (a JSON object's brace is no configuration).
        if (depth > 0) {
          config++;
          depth--;
        }
      } else if (tail === 123 && isLetter(first) && !hasColon(text, i, last)) {
        config++;
        depth++;
      } else if ((depth > 0 && tail !== 44) || (first === 91 && tail === 93) || (first === 35 && !(i + 1 <= last && text.charCodeAt(i + 1) >= 48 && text.charCodeAt(i + 1) <= 57))) {
        config++;
      } else if (isAssignment(text, i, last + 1, i > start)) {
        config++;
      }
    }
    start = end + 1;
  }
  return config >= MIN_LINES && config * 5 >= lines * 4;
}

/**
 * The tags that open a sender-authentication record in DNS: SPF's "v=spf1", DMARC's "v=DMARC1", DKIM's
 * "v=DKIM1". A paste that quotes one and carries no reply or status code and no mail system's report of a
 * failed delivery (the caller checks both) is a setup guide or a record put up for review ("记录值:v=spf1
 * include:spf.qiye.aliyun.com -all", "SPFレコード例: v=spf1 include:example.jp ~all"): it names SPF,
 * DKIM and spoofing as what the record is for, and asks nothing of a playbook about a rejection.
 */
const RECORD_TAGS = ['v=spf1', 'v=dmarc1', 'v=dkim1'];
const recordTags = new Automaton(RECORD_TAGS);
const recordSeen = new Uint8Array(RECORD_TAGS.length);
/** How much of the paste the tags are looked for in. */
const RECORD_HEAD = 64 * 1024;

/** Whether the lowercased paste quotes an SPF, DMARC or DKIM record (one bounded automaton pass). */
export function quotesAuthRecord(lower: string): boolean {
  recordSeen.fill(0);
  return recordTags.scan(lower, recordSeen, 0, Math.min(lower.length, RECORD_HEAD)) > 0;
}

/** Exim ACL verbs that open a statement ("deny    message = …", "warn  log_message = …"). */
const ACL_VERBS = ['accept', 'deny', 'drop', 'defer', 'discard', 'require', 'warn'];

/**
 * Whether the line [from, to) is a line of a server's configuration: a '#' comment (not "#5.0.0 …"), a
 * sendmail.cf rewriting rule ("R$*  $#error $@ 5.7.1 $: "550 Relaying denied""), or an assignment as
 * isAssignment reads it, after an Exim ACL verb too ("  deny  message = rejected because $sender_host_address
 * is in a black list"); a diff's '+' or '-' in front is skipped (a review of a configuration change).
 */
function isConfigLine(text: string, from: number, to: number): boolean {
  let i = from;
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (i < to && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) {
    i++;
    while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  }
  let indented = i > from;
  if (i >= to) return false;
  const c = text.charCodeAt(i);
  // A comment: '#' and a blank ("# Always add X-Spam-Score …"), or a setting commented out ("#proxy_interfaces = …");
  // not "#< #5.7.1 smtp;550 …" (an Exchange NDR's diagnostic), "##[error]" (a CI log) nor a heading that opens on
  // a reply ("# 550 5.7.1 服务不可用…", a page about that error).
  if (c === 35) {
    let k = i + 1;
    while (k < to && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
    if (k > i + 1) return !(k < to && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57);
    return spacedAssignment(text, i + 1, to, false);
  }
  if (c === 82 && text.charCodeAt(i + 1) === 36) return true;
  let j = i;
  while (j < to && isLetter(text.charCodeAt(j))) j++;
  if (j > i && j < to && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) && ACL_VERBS.some((v) => v.length === j - i && text.startsWith(v, i))) {
    i = j;
    while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    indented = true;
  }
  return spacedAssignment(text, i, to, indented);
}

/**
 * isAssignment with a blank beside its '=' ("message       = …", "dnslists = …"): a .NET exception's
 * property dump ("  Message=5.2.0 STOREDRV.Submission.Exception:…") writes none and is no configuration.
 */
function spacedAssignment(text: string, i: number, to: number, indented: boolean): boolean {
  if (!isAssignment(text, i, to, indented)) return false;
  const eq = text.indexOf('=', i);
  if (eq < 0 || eq >= to) return false;
  const before = text.charCodeAt(eq - 1);
  const after = eq + 1 < to ? text.charCodeAt(eq + 1) : 32;
  return before === 32 || before === 9 || after === 32 || after === 9;
}

/**
 * Whether every piece of evidence the best candidate found (its phrases and codes, not its wording) stands on
 * a configuration line (isConfigLine): an Exim ACL's deny message, a sendmail.cf rule's error text, a
 * commented setting. They are what the server is set up to answer, quoted in a question or a review beside
 * prose, not what a server answered. At most MAX_WHY items are looked at; each reads its own line only.
 */
const MAX_WHY = 16;
export function evidenceOnConfigLines(text: string, why: readonly WhyItem[]): boolean {
  let seen = 0;
  for (let k = 0; k < why.length && k < MAX_WHY; k++) {
    const w = why[k] as WhyItem;
    if (w.span === null || w.evidence.startsWith('wording like')) continue;
    const at = w.span[0];
    const from = text.lastIndexOf('\n', at - 1) + 1;
    let to = text.indexOf('\n', at);
    if (to < 0) to = text.length;
    if (!isConfigLine(text, from, to)) return false;
    seen++;
  }
  return seen > 0;
}
