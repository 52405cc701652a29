// Other MTAs' bounces and logs of issue 12 (test/fixtures/cases/mta3.jsonl, each with its public source): a
// provider's table of enhanced status codes is a code table (listing.ts, enhancedRowCode); a manual's prose
// about its messages and options is reference text (manual.ts); the wording families other MTAs share for a
// loop (Gmail's "may indicate a mail loop"), an Exim delay ("Delay reason:"), Yahoo's TS03 block and
// "Message not allowed", Exim's X-Host-Lookup-Failed and a receiver's "DMARC check failed". Each rule both ways.
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';
import { isCodeTable } from '../../src/match/listing.ts';
import { readsAsManual } from '../../src/match/manual.ts';

const matcher = defaultMatcher();
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};

describe('a table of enhanced status codes', () => {
  const TABLE = "| 4.4.6 |\nRecipient's email address is configured\nin a loop: maximum hop count for a message has been\nexceeded. |\n| 4.4.7 |\nRecipient's email server is not\navailable: Message expired. Message wait time in queue\nexceeds limit. |\n| 5.0.0 |\nGeneric message for no route is\navailable to deliver a message or failure. |\n| 5.1.1 |\nRecipient could not be resolved. Check\nthe destination addresses and resend the message. |";
  it('takes rows opening on three different X.Y.Z codes (a pipe cell, a spaced dash)', () => {
    expect(isCodeTable(TABLE)).toBe(true);
    expect(isCodeTable('4.4.2 - The server started to deliver the message but then the connection was dropped.\n5.1.0 - Sender denied. Often seen with contacts.\n5.2.2 - The recipient has exceeded their mailbox storage quota.')).toBe(true);
    expect(topTopic(TABLE)).toBe('none');
  });
  it("leaves a report's status lines and a session's replies alone", () => {
    expect(isCodeTable('Status: 5.1.1\nStatus: 5.2.2\nStatus: 5.4.4')).toBe(false);
    expect(isCodeTable('5.1.1 <a@example.jp>... User unknown\n5.2.2 <b@example.jp>... Mailbox full\n5.4.4 <c@example.jp>... Host unknown')).toBe(false);
    expect(isCodeTable("5.1.0 - Unknown address error 550-'5.1.1 <a@x>... User unknown'\n5.1.0 - Unknown address error 550-'5.1.1 <b@x>... User unknown'")).toBe(false);
  });
});

describe("a manual's prose about its messages and options", () => {
  const MDAEMON = '...sends 552 when account is over quota (otherwise sends 452)\n\nEnabling this option will cause a 552 response ("Requested mail action aborted: exceeded storage allocation") when delivery is attempted to a recipient whose account exceeds its quota. Normally there would be a 452 response ("Requested action not taken: insufficient system storage"). This is disabled by default.';
  it('answers none for option help with two markers of that voice', () => {
    expect(readsAsManual(MDAEMON.toLowerCase())).toBe(true);
    expect(topTopic(MDAEMON)).toBe('none');
  });
  it('keeps a user who says "this error means" once beside a real reply', () => {
    expect(readsAsManual('i think this error means that my mailbox is full: 552 5.2.2 mailbox full')).toBe(false);
    expect(topTopic('I think this error means that the mailbox is full:\n552 5.2.2 <kijitora@example.jp>: Mailbox full, quota exceeded')).toBe('mailbox-full');
  });
});

describe('wording other MTAs share', () => {
  it("Gmail's 554 5.6.0 'Message exceeded 50 hops, this may indicate a mail loop' is a loop, not bad content", () => {
    expect(topTopic('S: 554-5.6.0 Message exceeded 50 hops, this may indicate a mail loop. Learn more at\nS: 554 5.6.0  https://support.google.com/mail/answer/6598 u78sm10746758ywu.13 - gsmtp')).toBe('loop-detected');
  });
  it("Exim's delay warning and Yahoo's TS03 block are read", () => {
    const t = topTopic(' stuart@yahoo.com\n   Delay reason: SMTP error from remote mail server after MAIL\nFROM:<projects@example.com> SIZE=2701:\n   host mta7.am0.yahoodns.net [98.136.216.26]: 421 4.7.1 [TS03] All\nmessages from 64.191.2.130 will be permanently deferred; Retrying will NOT\nsucceed. See http://postmaster.yahoo.com/421-ts03.html');
    expect(['delivery-delayed', 'ip-blocklisted']).toContain(t);
  });
  it("Yahoo's 554 Message not allowed and Exim's X-Host-Lookup-Failed are the receiver's policy", () => {
    expect(topTopic('554 Message not allowed - [299]')).toBe('remote-policy-reject');
    expect(topTopic('550-X-Host-Lookup-Failed: Reverse DNS lookup does not match for\n10.0.0.1 550 (deferred)')).toBe('remote-policy-reject');
  });
  it("a receiver's 'DMARC check failed' is a DMARC rejection; a DMARC word alone is not", () => {
    expect(topTopic('smtp: DATA error  {"check":"dmarc","dkim_res":"none","reason":"No aligned identifiers","smtp_code":550,"smtp_enchcode":"5.7.1","smtp_msg":"DMARC check failed","spf_from":"yahoo.com"}')).toBe('dmarc-reject');
    expect(topTopic('We publish a DMARC record for our domain.')).toBe('none');
  });
});
