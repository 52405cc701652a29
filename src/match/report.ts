// Machine-written mail that reports nothing wrong: a DMARC aggregate report (RFC 7489, appendix C:
// <feedback>, <record>, <row>, <policy_evaluated>, <auth_results>), an abuse feedback report (ARF,
// RFC 5965: Feedback-Type, Original-Mail-From, Arrival-Date …), or an automatic reply itself ("Thank
// you for your email. I am out of the office … limited access to email"). Their "<spf>fail</spf>",
// "Feedback-Type: abuse" or "out of the office" share words with SPF and DMARC rejections and OOF
// problems, but no playbook reads them: the verdict is `none`. A paste that also holds a reply or
// status code (a bounce quoting a report), or an auto-reply quoted with a word of trouble ("the
// external senders don't get this"), stays a candidate. A note about documentation ("out-of-office
// replies are supported now; this section of the help pages should be updated") is `none` as well,
// unless it tells of trouble, and so is a change note (a pull request or release note: "Add option
// to explicitly specify the use of STARTTLS"). So is a phishing lure dressed as a quota notice ("Your
// Mailbox Has Exceeded It Quota/Limit … To Re-Validate, Please Click"), and an article that explains
// a code under "Meaning:", "Causes:" and "Fixes:" headings, its codes being examples.
import { Automaton } from './automaton.ts';
import { foldCjkCode } from './cjk.ts';
import { mentionsTrouble } from './success.ts';
import type { Signal } from './types.ts';

/** DMARC aggregate report elements; the first four exist only in such a report. */
const DMARC_TAGS = [
  '<policy_evaluated>', '<auth_results>', '<policy_published>', '<report_metadata>',
  '<disposition>', '<source_ip>', '<header_from>', '<envelope_from>', '<feedback>', '<identifiers>',
];
const DMARC_OWN = 4;
/** ARF fields; the report needs Feedback-Type and one more. */
const ARF_FIELDS = ['feedback-type:', 'original-mail-from:', 'original-rcpt-to:', 'arrival-date:', 'reported-domain:', 'source-ip:', 'incidents:'];

/**
 * What an automatic reply says of its sender, in the first person, and how it names itself; an
 * auto-reply needs two of them ("Thank you for your email" alone is any reply).
 */
const AUTO_REPLY = [
  'thank you for your email', 'thank you for your message', 'i am out of the office', "i'm out of the office", 'i am currently out of the office',
  'i am out of office', 'i am away from the office', 'i am on vacation', 'i am on leave', 'i am on annual leave', 'while i am away',
  'limited access to email', 'limited access to my email', 'not have access to email', 'will respond when i', 'will reply when i',
  'when i return', 'i will return on', 'i will be back on', 'this is an automated response', 'this is an automatic reply',
  'automatic reply:', 'auto-reply:', 'autoreply:', 'out of office:',
];
/**
 * The same in Chinese and Japanese (the automaton reads ASCII): Simplified, and a Traditional paste's
 * characters are folded as they are read (自動回覆 as 自动回覆, 假期結束後 as 假期结束后); 回覆 and 答覆
 * stay listed apart, 覆 being a Simplified character of its own. Outlook's zh-CN subject says 自动答复.
 */
const AUTO_REPLY_CJK = ['自动回复', '自动回覆', '自动答复', '自动答覆', '正在休假', '休假中', '假期结束后', '自動返信', '不在にしております', '休暇中']
  .map((w) => Array.from(w, (ch) => foldCjkCode(ch.charCodeAt(0))));
/** First code unit of each word above, for a cheap test per character. */
const CJK_FIRST = new Set(AUTO_REPLY_CJK.map((w) => w[0] as number));

/** How many of the CJK auto-reply words the head holds: one walk, a comparison per character below U+3040. */
function cjkAutoReplyWords(head: string, end: number): number {
  let seen = 0;
  for (let i = 0; i < end; i++) {
    const c = head.charCodeAt(i);
    if (c < 0x3040) continue;
    const f = foldCjkCode(c);
    if (!CJK_FIRST.has(f)) continue;
    for (let w = 0; w < AUTO_REPLY_CJK.length; w++) {
      if (seen & (1 << w)) continue;
      const word = AUTO_REPLY_CJK[w] as number[];
      if (word[0] !== f || i + word.length > end) continue;
      let k = 1;
      while (k < word.length && foldCjkCode(head.charCodeAt(i + k)) === word[k]) k++;
      if (k === word.length) seen |= 1 << w;
    }
  }
  let n = 0;
  for (let b = seen; b !== 0; b &= b - 1) n++;
  return n;
}

/**
 * How a note about documentation names what it is about: a help page, a section or article of the docs
 * that "should be updated" or "now supports" a feature. Such a note shares a feature's words with the
 * playbook of that feature's failures ("out-of-office replies … should be updated"), but reports no failure.
 */
const DOC_NOTE = ['help page', 'help pages', 'help article', 'documentation', 'this section', 'the docs', 'docs page', 'wiki page', 'should be updated', 'needs to be updated', 'now supports'];

/**
 * How a change note names itself: a pull request or commit message, release notes ("Add option to
 * explicitly specify the use of STARTTLS", "This PR adds that option, tested with our subscription").
 * It tells what a library or an application now does with a feature whose failures have playbooks
 * (STARTTLS, OAuth for SMTP), but reports no failure; one of these marks is enough.
 */
const CHANGE_NOTE = [
  'pull request', 'this pr ', 'this pr,', 'this pr.', 'changelog', 'release notes', 'signed-off-by:', 'this patch', 'this commit',
  'add option', 'add an option', 'adds an option', 'added an option', 'add support for', 'adds support for', 'added support for',
];

/**
 * How a phishing lure asks for the click: a "mailbox full" or "storage limit" notice that wants the
 * account re-validated through a link ("Your Mailbox Has Exceeded It Quota/Limit … To Re-Validate,
 * Please Click", "Please follow the link below to Expand your Storage Limit"). It names the quota
 * and the size of a full mailbox, but it is phishing, not a bounce: two of these marks make it `none`.
 */
const LURE = [
  're-validate', 'revalidate', 'click here to', 'please click', 'follow the link below', 'verify your mailbox', 'verify your account',
  'validate your mailbox', 'expand mail storage', 'expand your storage', 'upgrade your mailbox', 'increase your mailbox', 'final warning',
  'will be deactivated', 'will be suspended', 'account will be closed',
];

/**
 * The headings of an article that explains a code rather than a paste of it failing: a
 * deliverability guide's "421 — Try Again Later / Meaning: … / Common messages: … / Causes: … /
 * Fixes: …". Its codes and quoted replies are examples; two of these headings, each opening a line,
 * make it `none` whatever codes it lists.
 */
const EXPLAINER_HEADINGS = ['\nmeaning:', '\ncauses:', '\nfixes:', '\ncommon messages:', '\ncommon causes:', '\nhow to fix:'];

/** The longest of EXPLAINER_HEADINGS: a heading that starts in the head ends at most this far past it. */
const LONGEST_HEADING = Math.max(...EXPLAINER_HEADINGS.map((h) => h.length));

/**
 * A troubleshooting article's list of causes: a line that names it ("Common causes (by priority)",
 * "Possible causes:") and then at least three bulleted items ("• Missing or incorrect SPF/DKIM/DMARC …",
 * "- Client -> SMTP submission errors: …"). Its items name failures as kinds to check, not as what a
 * server said: the list alone makes the paste an explainer.
 */
const CAUSE_HEADINGS = ['common causes', 'possible causes', 'typical causes', 'likely causes', 'root causes', 'probable causes'];
const CAUSE_ITEMS = 3;

/** Whether lower[at] starts a line's bullet ('-', '*', '•', '+' or "1." / "1)" after blanks). */
function bulletAt(lower: string, at: number, end: number): boolean {
  let i = at;
  while (i < end && (lower.charCodeAt(i) === 32 || lower.charCodeAt(i) === 9)) i++;
  const c = lower.charCodeAt(i);
  if (c === 45 || c === 42 || c === 43 || c === 0x2022) return lower.charCodeAt(i + 1) === 32;
  let j = i;
  while (j < end && j - i < 3 && lower.charCodeAt(j) >= 48 && lower.charCodeAt(j) <= 57) j++;
  return j > i && (lower.charCodeAt(j) === 46 || lower.charCodeAt(j) === 41) && lower.charCodeAt(j + 1) === 32;
}

/** Whether a cause heading opens a line of the head and the next CAUSE_ITEMS lines with text are bullets. */
function listsCauses(lower: string, end: number): boolean {
  for (const h of CAUSE_HEADINGS) {
    let at = lower.indexOf(h);
    while (at >= 0 && at < end) {
      let i = at - 1;
      while (i >= 0 && (lower.charCodeAt(i) === 32 || lower.charCodeAt(i) === 9 || lower.charCodeAt(i) === 35)) i--;
      const after = lower.charCodeAt(at + h.length);
      // At a line's start (markdown '#' allowed), and the heading ends there: ':', ' (' or the line's end.
      if ((i < 0 || lower.charCodeAt(i) === 10) && (after === 58 || after === 10 || after === 13 || (after === 32 && lower.charCodeAt(at + h.length + 1) === 40) || Number.isNaN(after))) {
        let line = lower.indexOf('\n', at);
        let items = 0;
        while (line >= 0 && line < end && items < CAUSE_ITEMS) {
          const next = lower.indexOf('\n', line + 1);
          const stop = next < 0 ? lower.length : next;
          if (lower.slice(line + 1, stop).trim() !== '') {
            if (!bulletAt(lower, line + 1, stop)) break;
            items++;
          }
          line = next;
        }
        if (items >= CAUSE_ITEMS) return true;
      }
      at = lower.indexOf(h, at + h.length);
    }
  }
  return false;
}

function isExplainer(lower: string): boolean {
  const end = Math.min(lower.length, HEAD);
  // Searched in the head only (a heading starting past it does not count), not through a 1 MiB paste.
  const head = lower.length > end + LONGEST_HEADING ? lower.slice(0, end + LONGEST_HEADING) : lower;
  if (listsCauses(head, end)) return true;
  let n = 0;
  for (const h of EXPLAINER_HEADINGS) {
    const at = head.indexOf(h);
    if (at >= 0 && at < end && ++n >= 2) return true;
  }
  return false;
}

/**
 * The field Outlook.com's junk-mail reporting program (JMRP) puts atop the complained-about message
 * it sends to the sender's postmaster: a complaint report in its own format, not ARF. One is enough.
 */
const COMPLAINT_FIELDS = ['x-hmxmroriginalrecipient:'];

const PATTERNS = [...DMARC_TAGS, ...ARF_FIELDS, ...AUTO_REPLY, ...DOC_NOTE, ...CHANGE_NOTE, ...LURE, ...COMPLAINT_FIELDS];
const ARF_END = DMARC_TAGS.length + ARF_FIELDS.length;
const AUTO_END = ARF_END + AUTO_REPLY.length;
const DOC_END = AUTO_END + DOC_NOTE.length;
const CHANGE_END = DOC_END + CHANGE_NOTE.length;
const LURE_END = CHANGE_END + LURE.length;
const automaton = new Automaton(PATTERNS);
const found = new Uint8Array(PATTERNS.length);

/** Reports sit at the start of what is pasted: the head is enough. */
const HEAD = 16 * 1024;

export function isReportOnly(signals: readonly Signal[], lower: string): boolean {
  if (isExplainer(lower)) return true;
  // Reports and auto-replies carry no SMTP codes (a success DSN's are read in success.ts): any code,
  // component or exception, and the paste is something else (and most error pastes end here, unscanned).
  for (const s of signals) {
    const t = s.type;
    if (t === 'replyCode' || t === 'statusCode' || t === 'component' || t === 'exception' || t === 'hresult' || t === 'eventId') return false;
  }
  found.fill(0);
  automaton.scan(lower, found, 0, Math.min(lower.length, HEAD));
  let own = 0;
  let dmarc = 0;
  for (let p = 0; p < DMARC_TAGS.length; p++) {
    if (found[p] === 0) continue;
    dmarc++;
    if (p < DMARC_OWN) own++;
  }
  if (own >= 1 && dmarc >= 2) return true;
  let arf = 0;
  for (let p = DMARC_TAGS.length; p < ARF_END; p++) arf += found[p] as number;
  if (found[DMARC_TAGS.length] === 1 && arf >= 2) return true;
  let auto = 0;
  for (let p = ARF_END; p < AUTO_END; p++) auto += found[p] as number;
  let doc = 0;
  for (let p = AUTO_END; p < DOC_END; p++) doc += found[p] as number;
  let change = 0;
  for (let p = DOC_END; p < CHANGE_END; p++) change += found[p] as number;
  let lure = 0;
  for (let p = CHANGE_END; p < LURE_END; p++) lure += found[p] as number;
  if (lure >= 2) return true;
  for (let p = LURE_END; p < PATTERNS.length; p++) if (found[p] === 1) return true;
  // A note about documentation (two of its marks) or a change note (one), and no word of trouble.
  if (doc >= 2 || change >= 1) return !mentionsTrouble(lower);
  if (auto < 2) auto += cjkAutoReplyWords(lower, Math.min(lower.length, HEAD));
  return auto >= 2 && !mentionsTrouble(lower);
}
