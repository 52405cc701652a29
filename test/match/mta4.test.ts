// Other MTAs' logs and bounces as admins paste them on lists, forums and help pages (issue 12,
// test/fixtures/cases/mta4.jsonl, each with its public source): Hotmail's SC-004 wording for an IP
// blocked after complaints, qmail's "CNAME lookup failed", Exchange 5.5's "No routing hosts are
// reachable" and sendmail's "timeout writing message", the SPF project's Why link, cPanel's hourly
// defers-and-failures limit, an admin saying how long mail is "delayed for up to"; and, as `none`, a
// provider's help page on its own replies and a module's configuration guide (manual.ts). Each rule is
// shown both ways.
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';
import { readsAsManual } from '../../src/match/manual.ts';

const matcher = defaultMatcher();
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};

describe('other MTAs: wording families', () => {
  it("reads Hotmail's SC-004 as a blocked sending IP, not a content policy", () => {
    expect(topTopic('550 REPLY: 550 SC-004 Mail rejected by Windows Live Hotmail for policy reasons. A block has been placed against your IP address because we have received complaints concerning mail coming from that IP address.')).toBe('ip-blocklisted');
    expect(topTopic('550 5.7.1 Message rejected for policy reasons (in reply to end of DATA command)')).toBe('remote-policy-reject');
  });
  it("reads qmail's CNAME lookup failure as a DNS failure", () => {
    expect(topTopic("How do I deal with ``CNAME lookup failed temporarily''? The log showed that a message was deferred for this reason.")).toBe('dns-lookup-failed');
  });
  it('reads a dropped relay connection in an IMS or sendmail transcript as a connection failure', () => {
    expect(topTopic('4/5/99 10:22:44 AM : 499 No routing hosts are reachable for Message subject: "Case 27375". Rescheduling delivery for later.')).toBe('connection-failed');
    expect(topTopic('354 End data with <CR><LF>.<CR><LF>\ntimeout writing message to postfix.com: Broken pipe\nuser@company.com... Deferred')).toBe('connection-failed');
    expect(topTopic('Broken pipe')).toBe('none');
  });
  it("reads a remote 551 with the SPF project's Why link as an SPF failure", () => {
    expect(topTopic("Remote Server returned '<mx.mail.google.com #5.0.0 smtp; 551 5.0.0 Rejected, look at http://www.openspf.org/why.html?sender=al@topel.com&ip=69.84.129.239>'")).toBe('spf-fail');
  });
  it("reads cPanel's hourly defers-and-failures cap as a sending limit", () => {
    expect(topTopic('enforce_mail_permissions: Domain thedomain.com has exceeded the max defers and failures per hour (5/5 (100%)) allowed. Message discarded.')).toBe('sending-limit-exceeded');
  });
  it('reads mail "delayed for up to" hours as a delay, and a question about log statuses as none', () => {
    expect(topTopic('The mail logs show that these emails are typically delayed for up to 24 hours, sometimes longer, each attempt showing "Deferred" status in the maillog.')).toBe('delivery-delayed');
    expect(topTopic('In the "maillog" file I show some emails that say "status=sent", "status=deferred", "status=Accepted for delivery". What do these status really mean?')).toBe('none');
  });
});

describe("a help page's or a configuration guide's own voice", () => {
  const HELP = [
    'The information below will give you more details on the meaning of the error message and the steps you can take to solve the problem.',
    'Error message :',
    '554 5.7.1 Service unavailable; Client host [xxx.xxx.xxx.xxx] blocked.',
    '550 5.1.1 <xxxx@xxxx.xxx>: Recipient address rejected: User unknown in virtual alias table',
  ].join('\n');
  it('needs two markers of that voice', () => {
    expect(readsAsManual(HELP.toLowerCase())).toBe(true);
    expect(readsAsManual('what is the meaning of the error message below? 550 5.1.1 user unknown')).toBe(false);
  });
  it("answers none for the provider's page and keeps a real bounce", () => {
    expect(topTopic(HELP)).toBe('none');
    expect(topTopic('<bob@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual alias table (in reply to RCPT TO command)')).toBe('recipient-not-found');
  });
});
