// Generalisation round of issue 12 (no new cases): real errors of the tuning set that stayed under the
// `none` line for want of a general mechanism, each shown both ways.
// - A mail system's own failure report lends its bonus to a stage or reason phrase of 0.15 ("in reply to
//   end of DATA command", "Connection timed out" after sendmail's "had delivery errors"), matcher.ts.
// - Postfix's "delivery temporarily suspended" is a failure report's wording (failure-context.ts), and such
//   a report is never "outside mail" however its reason reads (foreign.ts, matcher.ts).
// - "Authentication failed" beside an enhanced status code of class X.0 or X.7 is an SMTP AUTH refusal;
//   a 535 reply alone passes that intent's gate (RFC 4954).
// - A reply code opens a reply when a quoted text or the address it is about follows it (signals.ts).
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';
import { extractSignals } from '../../src/match/signals.ts';
import { splitWords } from '../../src/match/words.ts';

const matcher = defaultMatcher();
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};
const replies = (text: string) => extractSignals(text, splitWords(text), text.toLowerCase()).filter((s) => s.type === 'replyCode').map((s) => s.value);

describe('a failure report lends its weight to a 0.15 phrase', () => {
  // https://github.com/rjbs/Mail-DeliveryStatus-BounceParser/blob/main/t/corpus/spam-rejection5.msg (mta2-rjbs2-spam-rejection5)
  const POSTFIX = [
    'This is the mail system at host server4.example.co.uk.',
    '',
    "I'm sorry to have to inform you that your message could not",
    "be delivered to one or more recipients. It's attached below.",
    '',
    '<a@b.c>: host mail.b.c[213.167.71.35] said:',
    '    550 "Sorry, your message has triggered a SPAM block, please contact the',
    '    postmaster" (in reply to end of DATA command)',
    '',
    'Final-Recipient: rfc822; a@b.c',
    'Action: failed',
    'Status: 5.0.0',
  ].join('\n');
  // https://github.com/sisimai/set-of-emails/blob/master/maildir/bsd/lhost-exim-37.eml (fld8-mta-soe-lhost-exim-37)
  const EXIM = [
    'This message was created automatically by mail delivery software.',
    '',
    'A message that you sent could not be delivered to one or more of its',
    'recipients. This is a permanent error. The following address(es) failed:',
    '',
    '  kijitora@example.net',
    '    host mx.example.net [192.0.2.222]',
    '    SMTP error from remote mail server after end of data:',
    '    553 neko.example.com does not exist',
  ].join('\n');
  it("reads the receiver's refusal after DATA in Postfix's and Exim's bounces", () => {
    expect(topTopic(POSTFIX)).toBe('remote-policy-reject');
    expect(topTopic(EXIM)).toBe('remote-policy-reject');
  });
  it("reads sendmail's per-address reason under its 'had delivery errors' head", () => {
    // https://github.com/sisimai/set-of-emails/blob/master/maildir/bsd/lhost-x1-04.eml (fld2-soe-lhost-x1-04)
    const X1 = 'The original message was received at Fri, 21 Mar 2025 13:13:48 +0900 (JST)\nfrom nekochan@example.co.jp\n\n---The following addresses had delivery errors---\n\nkijitora-neko@neko.example.go.jp [Connection timed out]';
    expect(topTopic(X1)).toBe('connection-failed');
  });
  it('gives no bonus without a report: the same words in a program error stay none', () => {
    expect(topTopic('The request to the API failed: Connection timed out')).toBe('none');
  });
});

describe("Postfix's deferral reason", () => {
  it('is a mail failure however its reason reads', () => {
    // mta4-nomo-server-cert-not-verified (Postfix's queue reason for a destination whose certificate fails)
    expect(topTopic('(delivery temporarily suspended: Server certificate not verified)')).toBe('tls-cert-invalid');
  });
  it('leaves the same reason of another program outside mail', () => {
    expect(topTopic('curl: Server certificate not verified')).toBe('none');
  });
});

describe('authentication failed beside an SMTP code', () => {
  it("is an AUTH refusal with a 5.0.0 status (Magento SMTP Pro to Office 365)", () => {
    // https://github.com/aschroder/Magento-SMTP-Pro-Email-Extension/issues/80 (fld4-cl-magentosmtppro80-500-auth-failed)
    const MAGENTO = "I am using the module with an Office365 account. I've tested in three environments with the same configuratrion. In local and in testing environments the module runs OK, the mails are sended and there is no error with the test button.\nThe problem is the production environment. I recive the error: 5.0.0 Authentication Failed, but the configuration is the same as in the other two environments.";
    expect(topTopic(MAGENTO)).toBe('smtp-auth-failed');
  });
  it('is no mail question without a code (git, a web login)', () => {
    expect(topTopic('fatal: Authentication failed for https://github.com/x/y.git')).toBe('none');
    expect(topTopic('git push failed: Authentication Failed, but the configuration is the same as in the other two environments.')).toBe('none');
  });
});

describe('a reply code before a quoted text or its address', () => {
  it('opens a reply', () => {
    expect(replies('rcpt to:<$USER@mydomain.de>\n550 "You are not allowed to send email"')).toEqual(['550']);
    expect(replies('554 <a@b.c>: Relay access denied')).toEqual(['554']);
    expect(replies('host mx.nn.auone-net.jp[192.0.2.222] said: 550 <neko-nyaan@ne.auone-net.jp>: Recipient address rejected.')).toEqual(['550']);
  });
  it('leaves markup and a quoted number alone', () => {
    expect(replies('550 <br>')).toEqual([]);
    expect(replies('Server returned 550 <html>')).toEqual([]);
    expect(replies('width: 550 "px"')).toEqual([]);
  });
});
