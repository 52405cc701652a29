// Other providers' submission services through client libraries (issue 12, test/fixtures/cases/prov.jsonl and
// prov-dev.jsonl, each with its public source): a client's sign-in refused by Yahoo (its bracketed reason codes
// such as "(#AUTH005)"), by NetEase ("550 User has no permission") or by Gmail in its own wording ("Authentication
// Required. Learn more at", "Please log in via your web browser") answers `none` and names the provider
// (provider.ts); the same failures from Exchange Online or Outlook.com keep their topics. Each rule both ways.
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};
const providerName = (text: string) => matcher.match(text).otherProvider?.name;

describe("Yahoo's reason codes", () => {
  it('answers none for a refused Yahoo sign-in and names Yahoo', () => {
    const nodemailer = 'Error: Invalid login: 535 5.7.0 (#AUTH005) Too many bad auth attempts.';
    expect(topTopic(nodemailer)).toBe('none');
    expect(providerName(nodemailer)).toBe('Yahoo Mail');
    expect(topTopic('When using port 465 I get the following error:\nFailed to send email to: abc@xyz.com: javax.mail.AuthenticationFailedException: 535 5.7.0 (#AUTH005) Too many bad auth attempts..')).toBe('none');
  });
  it('keeps Exchange Online’s own 535 5.7.3', () => {
    expect(topTopic('`535 5.7.3 Authentication unsuccessful [AM0PR10CA0036.EURPRD10.PROD.OUTLOOK.COM]`')).toBe('smtp-auth-failed');
  });
});

describe("NetEase's 'User has no permission'", () => {
  it('answers none for the refusal of a mailbox whose SMTP service is off', () => {
    expect(topTopic("SMTPAuthenticationError(550, 'User has no permission'))")).toBe('none');
  });
  it('keeps Exchange’s Send As refusal', () => {
    expect(topTopic('Sending email with MailKit: 5.7.60 SMTP; Client does not have permissions to send as this sender')).toBe('sendas-permission-denied');
  });
});

describe("Gmail's own wording", () => {
  it('answers none for Gmail asking for authentication or a browser sign-in', () => {
    expect(topTopic('The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.5.1 Authentication Required. Learn more at')).toBe('none');
    expect(
      topTopic('javax.mail.AuthenticationFailedException: 534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgnsbv6\n534-5.7.14 Please log in via your web browser and\n534-5.7.14 then try again.\n534 5.7.14  https://support.google.com/mail/answer/78754 e189sm14997239p'),
    ).toBe('none');
  });
  it('keeps Exchange Online’s 5.7.57 and a STARTTLS refusal from Outlook.com', () => {
    expect(topTopic('530 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM [AM0PR10CA0081.EURPRD10.PROD.OUTLOOK.COM]')).toBe('smtp-client-not-authenticated');
    expect(topTopic("host: \"smtp-mail.outlook.com\"\n{ [AuthError: Invalid login - 530 5.7.0 Must issue a STARTTLS command first]\n  name: 'AuthError',\n  data: '530 5.7.0 Must issue a STARTTLS command first' }")).toBe('starttls-required');
  });
});
