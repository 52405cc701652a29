// Plain-word descriptions of issue 12 (test/fixtures/cases/desc2.jsonl, each with its public source): how
// users say a symptom with no error code — a credential prompt loop ("prompts for my password"), Outlook
// dropping its connection ("disconnects from Exchange"), good mail in Junk ("marks email as junk"), late
// mail ("delaying delivery"), forwarding that stopped, an attachment "too large", mail to Outlook.com
// bouncing from a blacklisted IP, no availability in the scheduling view. Each family is shown with a
// real report and with a non-error that shares its words (a question, a feature note, an explainer).
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};

describe('symptom vocabularies in plain words', () => {
  it('reads a password prompt loop told without a dialog', () => {
    expect(topTopic("I'm using the latest release of Outlook for Mac and I'll still be asked for passwords constantly during the day.\n\nHave uninstalled every key, and re-installed Outlook.")).toBe('outlook-anywhere-rpc');
    expect(topTopic('On iMac I am getting the repeated and annoying prompts for my password for work email via Office 365 through Outlook desktop app. I\'ve tried all of the steps listed above - no joy; its still happening.')).toBe('outlook-anywhere-rpc');
  });
  it('reads Outlook dropping its connection to Exchange', () => {
    expect(topTopic('Outlook desktop app consistently disconnects from Exchange within a minute after office add-in is opened')).toBe('outlook-connectivity');
  });
  it('reads good mail put in Junk, and leaves an explainer of the junk folder alone', () => {
    expect(topTopic('outlook goes and marks email as junk that is 3 days old and I have approved them. It also marks as junk email from senders that I routinely communicate with.')).toBe('inbound-spam-junked');
    expect(topTopic('email from our server get placed in the junk folder')).toBe('inbound-spam-junked');
    expect(topTopic('Q1. What is a junk mail folder? Junk mail folder (jmf), which is also known as a spam folder, is a designated location/folder within your email client where unsolicited (or unwanted) messages are automatically delivered.')).toBe('none');
  });
  it('reads late mail, stopped forwarding and an attachment refused as too large', () => {
    expect(topTopic("Shay G.'s Outlook is delaying delivery of certain emails. She is receiving some emails two days later from their sent date, but it's not all emails. Please investigate.")).toBe('delivery-delayed');
    expect(topTopic('email forwarding was somehow disabled on September 2020. this document is incomplete now as we need to do more changes in ECP')).toBe('external-forwarding-blocked');
    expect(topTopic('My outlook will not let me send email attachments-- stating its too large I have tried to send only one and it still will not send the response')).toBe('message-too-large');
  });
  it('reads a blacklisted sending IP and an empty scheduling view, not a free/busy how-it-works note', () => {
    expect(topTopic('I send a bit of email through forwardemail.net, but these usually bounce when sending to outlook accounts. We have all the correct SPFs in place - but it seems to be tied to the IPs having been blacklisted - not our domain.')).toBe('ip-blocklisted');
    expect(topTopic("Solve: calendar scheduling issue\n\nCan't see people's free/busy time.\n\nMakes scheduling meetings a nightmare!")).toBe('free-busy-failure');
    expect(topTopic('By default, all users in the same Exchange Online environment can view each other’s free/busy time. Using the Organization–Sharing settings you can share more information, but not less.')).toBe('none');
  });
  it('answers none for questions and feature notes of the same topics', () => {
    expect(topTopic('This section only applies to mailbox rules. How do you apply it on "Forwarding"?')).toBe('none');
    expect(topTopic('We need more detail around the requirements for free/busy if hybrid agent and on premises mailboxes.  Please add.  Thanks!')).toBe('none');
    expect(topTopic('It would be great if, similar to the O365 admin portal, we were able to set end-user Automatic Replies from Identity Management.')).toBe('none');
  });
});
