// Self-hosted mail servers' pastes of issue 12 (test/fixtures/cases/mta5.jsonl, each with its public
// source): an admin telling in words that Microsoft put the server's IP on its block list (SNDS
// "Blocked due to user complaints or other evidence of spamming", "blocked our server's IP"); an ISP
// blocking outbound port 25 told without "port 25 blocked"; maddy's "Use Submission for outgoing
// SMTP" refusal of an outside recipient; Postfix postscreen's "Service currently unavailable" and hMailServer's
// "Recipient not in route list" are the receiving server's own refusals; a change note that adds a setting reads as a manual's
// voice. Each rule is shown both ways.
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';
import { readsAsManual } from '../../src/match/manual.ts';

const matcher = defaultMatcher();
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};

describe('block list told in words', () => {
  it('reads SNDS status and an admin account of the block as ip-blocklisted', () => {
    expect(topTopic('I signed up for https://sendersupport.olc.protection.outlook.com/snds/index.aspx which is telling me that our ip address is "Blocked due to user complaints or other evidence of spamming".')).toBe('ip-blocklisted');
    expect(topTopic("Microsoft had blocked our server's IP address from sending email to any of their services. When our clients tried to email anyone with an Outlook, Hotmail, or Live.com address, the messages bounced back with an error saying the server was on their block list.")).toBe('ip-blocklisted');
  });
  it('leaves a question about PTR records alone', () => {
    expect(topTopic('I have a question about ptr record \n\nMake sure that your public IP has a PTR record set to mail.demo.online.\nIf your hosting provider does not allow you to set PTR records but has\nassigned their own hostname, then edit /etc/zone-mta/pools.toml and replace\nthe hostname mail.lubanlock.online with the actual hostname of this server.\n\nAnyone i already add record ptr but still not work')).toBe('none');
  });
});

describe('outbound port 25 blocked by the ISP', () => {
  it('matches the wording without "port 25 blocked"', () => {
    expect(topTopic("To successfully deliver emails, it's necessary to actually connect to port 25. Some ISPs block this due to ongoing abuse.\n\nIt seems this sometimes causes confusion, especially since Postfix defers and not directly bounces the messages.")).toBe('connection-failed');
  });
});

describe("maddy's submission refusal", () => {
  it('reads 501 5.1.8 Use Submission for outgoing SMTP as a relay refusal', () => {
    expect(topTopic('smtp: RCPT error\t{"effective_rcpt":"xxx@gmail.com","msg_id":"5462730f","reason":"reject directive used","smtp_code":501,"smtp_enchcode":"5.1.8","smtp_msg":"Use Submission for outgoing SMTP","to":"xxx@gmail.com"}')).toBe('relay-denied');
  });
});

describe("the receiving server's own refusals", () => {
  it("reads postscreen's 450 4.3.2 and hMailServer's route-list refusal", () => {
    expect(topTopic('Nov 22 16:03:56 siren postfix/postscreen[8266]: NOQUEUE: reject: RCPT from [209.85.160.43]:45612: 450 4.3.2 Service currently unavailable; from=<account@gmail.com>, to=<user@abc.com>, proto=ESMTP, helo=<mail-pl0-f43.google.com>')).toBe('remote-policy-reject');
    expect(topTopic('When the route match the destination domain but the email address isn\'t in the route list Hmailserver return the smtp error "421 Recipient not in route list" instead of "550 recipient not in route list".')).toBe('relay-denied');
  });
});

describe('change note voice', () => {
  const NOTE = 'This is a more elegant solution to the "SPF when no DMARC policy" problem I want to solve. This patch adds a new no_dmarc_policy settings, which can be used to control the level of rejects on SPF failure when DMARC has been evaluated, and no DMARC policy has been published by the sender';
  it('answers none for a patch description that adds a setting', () => {
    expect(readsAsManual(NOTE.toLowerCase())).toBe(true);
    expect(topTopic(NOTE)).toBe('none');
  });
  it('keeps a real DMARC rejection', () => {
    expect(readsAsManual('this patch adds a retry.')).toBe(false);
    expect(topTopic('550 5.7.509 Access denied, sending domain [EXAMPLE.ORG] does not pass DMARC verification and has a DMARC policy of reject.')).toBe('dmarc-reject');
  });
});
